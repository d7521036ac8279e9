"""Importing CLP nominations from CSV: the whole file is checked first, every bad row is
reported with its line and reason, and a file with any bad row imports nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from grassroots.web.audit.models import AuditEntry
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections import services
from grassroots.web.elections.imports import NominationFileError
from grassroots.web.elections.models import Nomination, Section
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role
from tests.web.election_factories import candidates_create, election_create, section_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def section() -> Section:
    section = section_get(election_create())
    candidates_create(section, [("Ann Ash", "F"), ("Bob Bay", "M")])
    return section


def _good_file() -> str:
    leeds = Constituency.objects.get(name="Leeds Central and Headingley")
    return (
        "clp,candidate,date\n"
        f"{leeds.gss_code},Ann Ash,2026-03-01\n"
        "cardiff east,Ann Ash,2026-03-02\n"
        "Cardiff East,bob bay,2026-03-02\n"
    )


def test_nomination_import_stores_every_row_and_audits_once(section: Section) -> None:
    imported = services.nomination_import(actor=None, section=section, text=_good_file())

    assert imported == 3
    assert Nomination.objects.filter(candidate__name="Ann Ash").count() == 2
    assert AuditEntry.objects.filter(action="nomination.import").count() == 1


def test_nomination_import_bad_rows_listed_and_nothing_stored(section: Section) -> None:
    text = (
        "clp,candidate,date\n"
        "Cardiff East,Ann Ash,2026-03-01\n"  # good
        "Atlantis,Ann Ash,2026-03-01\n"  # line 3: no such CLP
        "Cardiff East,Zed Zee,2026-03-01\n"  # line 4: no such candidate
        "Cardiff East,Bob Bay,1st March\n"  # line 5: bad date
        "Cardiff East,Ann Ash,2026-03-04\n"  # line 6: repeats line 2
        "Cardiff East,Bob Bay,2027-01-01\n"  # line 7: after the close, and repeats line 5
        "Cardiff East\n"  # line 8: too few fields
    )

    with pytest.raises(NominationFileError) as err:
        services.nomination_import(actor=None, section=section, text=text)

    assert [str(e) for e in err.value.errors] == [
        'line 3: "Atlantis" is not a CLP name or GSS code',
        'line 4: "Zed Zee" is not a candidate in CLP representatives',
        'line 5: date "1st March": expected YYYY-MM-DD',
        "line 6: repeats line 2",
        "line 7: date 2027-01-01: nominations closed on 2026-06-30; repeats line 5",
        "line 8: expected 3 fields, got 1",
    ]
    assert Nomination.objects.count() == 0
    assert AuditEntry.objects.filter(action="nomination.import").count() == 0


def test_nomination_import_already_recorded_nomination_is_a_bad_row(section: Section) -> None:
    services.nomination_import(
        actor=None, section=section, text="clp,candidate,date\nCardiff East,Ann Ash,2026-03-01\n"
    )

    with pytest.raises(NominationFileError) as err:
        services.nomination_import(
            actor=None,
            section=section,
            text=(
                "clp,candidate,date\n"
                "Cardiff East,Bob Bay,2026-03-01\n"
                "Cardiff East,Ann Ash,2026-03-01\n"
            ),
        )

    assert [str(e) for e in err.value.errors] == [
        "line 3: Cardiff East has already nominated Ann Ash"
    ]
    assert Nomination.objects.count() == 1


def test_nomination_import_wrong_header_is_refused(section: Section) -> None:
    with pytest.raises(NominationFileError) as err:
        services.nomination_import(
            actor=None, section=section, text="constituency,name\nCardiff East,Ann Ash\n"
        )

    assert str(err.value.errors[0]).startswith("line 1: the header must be clp,candidate,date")


def test_nomination_import_page_imports_file(
    client: Client, make_role_holder: Callable[[Role], User], section: Section
) -> None:
    client.force_login(make_role_holder(Role.ORGANISER))
    upload = SimpleUploadedFile("n.csv", _good_file().encode(), content_type="text/csv")

    response = client.post(
        reverse("elections:nomination_import", args=["nec-test", "clp"]), {"file": upload}
    )

    assert response.status_code == 302
    assert Nomination.objects.count() == 3


def test_nomination_import_page_lists_every_bad_row(
    client: Client, make_role_holder: Callable[[Role], User], section: Section
) -> None:
    client.force_login(make_role_holder(Role.ORGANISER))
    text = "clp,candidate,date\nAtlantis,Ann Ash,2026-03-01\nCardiff East,Zed Zee,2026-03-01\n"
    upload = SimpleUploadedFile("n.csv", text.encode(), content_type="text/csv")

    response = client.post(
        reverse("elections:nomination_import", args=["nec-test", "clp"]), {"file": upload}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing imported: 2 bad rows." in html
    assert "line 2: &quot;Atlantis&quot; is not a CLP name or GSS code" in html
    assert "line 3: &quot;Zed Zee&quot; is not a candidate in CLP representatives" in html
    assert Nomination.objects.count() == 0


def _import_page(client: Client, make_role_holder: Callable[[Role], User], data: bytes) -> str:
    client.force_login(make_role_holder(Role.ORGANISER))
    upload = SimpleUploadedFile("n.csv", data, content_type="text/csv")
    response = client.post(
        reverse("elections:nomination_import", args=["nec-test", "clp"]), {"file": upload}
    )
    assert response.status_code == 400
    return response.content.decode()


def test_nomination_import_page_field_over_the_csv_limit_names_the_line(
    client: Client, make_role_holder: Callable[[Role], User], section: Section
) -> None:
    huge = "x" * 131_073
    data = f"clp,candidate,date\nCardiff East,Ann Ash,2026-03-01\n{huge},Ann Ash,2026-03-01\n"

    html = _import_page(client, make_role_holder, data.encode())

    assert "<li>line 3: a field is longer than 131,072 characters" in html
    assert Nomination.objects.count() == 0


def test_nomination_import_page_quote_left_open_names_the_line(
    client: Client, make_role_holder: Callable[[Role], User], section: Section
) -> None:
    data = 'clp,candidate,date\n"Cardiff East,Ann Ash,2026-03-01\n' + "x" * 140_000 + "\n"

    html = _import_page(client, make_role_holder, data.encode())

    assert "a quote left open runs to the end of the file" in html
    assert Nomination.objects.count() == 0


def test_nomination_import_page_nul_byte_names_the_line(
    client: Client, make_role_holder: Callable[[Role], User], section: Section
) -> None:
    data = b"clp,candidate,date\nCardiff East,Ann\x00 Ash,2026-03-01\n"

    html = _import_page(client, make_role_holder, data)

    assert "Line 2 holds a NUL character (byte 0): this is not a text file." in html
    assert Nomination.objects.count() == 0
