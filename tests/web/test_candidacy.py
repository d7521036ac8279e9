"""Candidates' pages: questionnaires for a ballot or a section, answers by the candidate's
link or by an organiser with a note, photos stripped of metadata, the side-by-side page."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from grassroots.web.audit.models import AuditEntry
from grassroots.web.ballots.models import Ballot, Method
from grassroots.web.candidacy import services
from grassroots.web.candidacy.models import Answer, CandidateProfile, Questionnaire
from grassroots.web.errors import DomainError
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role
from tests.web.ballot_factories import ballot_create
from tests.web.election_factories import candidates_create, election_create, section_get

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/candidates/answer/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def organiser(make_role_holder: Callable[[Role], User]) -> User:
    return make_role_holder(Role.ORGANISER)


@pytest.fixture
def questionnaire(organiser: User) -> Questionnaire:
    ballot = ballot_create(slug="slate-ballot", actor=organiser)
    return services.questionnaire_create(
        actor=organiser,
        ballot=ballot,
        title="Questions to the slate's nominees",
        questions=["Will you back a fair selection?", "What is your first priority?"],
    )


def _opened(questionnaire: Questionnaire) -> None:
    """The ballot opens: its candidates' pages become public."""
    Ballot.objects.filter(pk=questionnaire.ballot_id).update(status="open")


def _profile(questionnaire: Questionnaire, name: str) -> CandidateProfile:
    return next(p for p in questionnaire.profiles.all() if p.name == name)


def _jpeg_with_gps() -> bytes:
    """A photo as a phone takes it: EXIF with a GPS position, a camera, an orientation."""
    image = Image.new("RGB", (2000, 1500), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotated
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (53.0, 48.0, 0.0)
    gps[3] = "W"
    gps[4] = (1.0, 32.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_questionnaire_for_a_ballot_gives_each_option_a_profile(
    questionnaire: Questionnaire,
) -> None:
    names = sorted(p.name for p in questionnaire.profiles.all())

    assert names == ["Ann", "Bea", "Cal", "Dev", "Eve"]
    assert list(questionnaire.questions.values_list("text", flat=True)) == [
        "Will you back a fair selection?",
        "What is your first priority?",
    ]


def test_a_questionnaire_for_a_section_gives_each_candidate_a_profile(organiser: User) -> None:
    section = section_get(election_create())
    candidates_create(section, [("Cleo Candidate", "F"), ("Dan Candidate", "M")])

    questionnaire = services.questionnaire_create(
        actor=organiser, section=section, title="NEC questions", questions=["Why you?"]
    )

    assert sorted(p.name for p in questionnaire.profiles.all()) == [
        "Cleo Candidate",
        "Dan Candidate",
    ]


def test_a_second_questionnaire_for_the_same_ballot_is_refused(
    questionnaire: Questionnaire, organiser: User
) -> None:
    with pytest.raises(DomainError, match="has its candidates' pages already"):
        services.questionnaire_create(
            actor=organiser, ballot=questionnaire.ballot, title="Again", questions=[]
        )


def test_a_yes_or_no_ballot_has_no_questionnaire(organiser: User) -> None:
    ballot = ballot_create(method=Method.YES_NO, options=[("Yes", ""), ("No", "")], seats=1)

    with pytest.raises(DomainError, match="yes-or-no"):
        services.questionnaire_create(actor=organiser, ballot=ballot, title="No", questions=[])


def test_the_candidate_answers_through_the_emailed_link(
    client: Client,
    organiser: User,
    questionnaire: Questionnaire,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    ann = _profile(questionnaire, "Ann")
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/candidates/profile/{ann.pk}/link/", {"email": "ann@example.org"})
    [message] = mail.outbox
    path = LINK.search(message.body)[1]  # type: ignore[index]
    first, second = questionnaire.questions.order_by("position")

    response = Client().post(
        path,
        {
            "statement": "I stand for **fair** selections.",
            f"answer_{first.pk}": "Yes.",
            f"answer_{second.pk}": "Housing.",
        },
    )

    assert message.to == ["ann@example.org"]
    assert response.status_code == 302
    answers = Answer.objects.filter(profile=ann).order_by("question__position")
    assert [(a.text, a.entered_by_organiser) for a in answers] == [
        ("Yes.", False),
        ("Housing.", False),
    ]
    _opened(questionnaire)
    page = Client().get(f"/candidates/profile/{ann.pk}/").content.decode()
    assert "I stand for <strong>fair</strong> selections." in page
    assert AuditEntry.objects.filter(
        action="candidacy.profile_update", actor_id=None, summary__endswith="(by the candidate)"
    ).exists()


def test_a_new_link_replaces_the_old_one(
    client: Client,
    organiser: User,
    questionnaire: Questionnaire,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    ann = _profile(questionnaire, "Ann")
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_link_send(
            actor=organiser, profile=ann, email="ann@example.org", site_url="http://testserver"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_link_send(
            actor=organiser, profile=ann, email="ann@example.org", site_url="http://testserver"
        )
    old, new = (LINK.search(m.body)[1] for m in mail.outbox)  # type: ignore[index]

    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_an_organiser_entering_answers_must_say_how_the_candidate_gave_them(
    client: Client, organiser: User, questionnaire: Questionnaire
) -> None:
    bea = _profile(questionnaire, "Bea")
    first = questionnaire.questions.order_by("position").first()
    assert first is not None
    client.force_login(organiser)
    url = f"/candidates/profile/{bea.pk}/edit/"

    refused = client.post(url, {"statement": "", f"answer_{first.pk}": "Yes.", "note": ""})
    saved = client.post(
        url, {"statement": "", f"answer_{first.pk}": "Yes.", "note": "By phone on 3 May"}
    )

    assert refused.status_code == 400
    assert "Say how the candidate gave these answers" in refused.content.decode()
    assert saved.status_code == 302
    answer = Answer.objects.get(profile=bea)
    assert (answer.entered_by_organiser, answer.note) == (True, "By phone on 3 May")
    _opened(questionnaire)
    page = Client().get(f"/candidates/{questionnaire.pk}/").content.decode()
    assert "Entered by the organisers for the candidate: By phone on 3 May" in page


def test_a_photo_is_shrunk_and_keeps_no_exif_or_gps(
    client: Client, organiser: User, questionnaire: Questionnaire
) -> None:
    cal = _profile(questionnaire, "Cal")
    client.force_login(organiser)
    upload = SimpleUploadedFile("me.jpg", _jpeg_with_gps(), content_type="image/jpeg")

    response = client.post(
        f"/candidates/profile/{cal.pk}/edit/", {"statement": "", "photo": upload}
    )

    assert response.status_code == 302
    cal.refresh_from_db()
    with default_storage.open(cal.photo.name) as stored:
        data = stored.read()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert max(image.size) <= 600
    # The orientation tag was applied to the pixels: the landscape photo is now portrait.
    assert image.size[0] < image.size[1]
    assert dict(image.getexif()) == {}
    assert b"Exif" not in data
    assert b"PhoneMaker" not in data
    assert "exif" not in image.info


def test_a_new_photo_replaces_and_deletes_the_old_file(
    organiser: User,
    questionnaire: Questionnaire,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    dee = _profile(questionnaire, "Dev")
    services.profile_update(
        actor=organiser,
        profile=dee,
        statement="",
        answers={},
        photo=SimpleUploadedFile("a.jpg", _jpeg_with_gps()),
    )
    dee.refresh_from_db()
    first = dee.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        services.profile_update(
            actor=organiser,
            profile=dee,
            statement="",
            answers={},
            photo=SimpleUploadedFile("b.jpg", _jpeg_with_gps()),
        )

    dee.refresh_from_db()
    assert dee.photo.name != first
    assert not default_storage.exists(first)
    assert default_storage.exists(dee.photo.name)


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("notes.txt", b"not a picture at all", "not an image we can read"),
        ("fake.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100, "not an image we can read"),
        ("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not an image we can read"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_on_the_photo_field(
    client: Client,
    organiser: User,
    questionnaire: Questionnaire,
    *,
    name: str,
    content: bytes,
    error: str,
) -> None:
    eve = _profile(questionnaire, "Eve")
    client.force_login(organiser)

    response = client.post(
        f"/candidates/profile/{eve.pk}/edit/",
        {"statement": "Kept?", "photo": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 400
    assert error in response.content.decode()
    eve.refresh_from_db()
    assert (eve.photo.name, eve.statement) == ("", "")


def test_a_huge_file_is_refused_before_it_is_read(
    organiser: User, questionnaire: Questionnaire, settings: Any
) -> None:
    eve = _profile(questionnaire, "Eve")
    upload = SimpleUploadedFile("big.jpg", b"0" * (8 * 1024 * 1024 + 1))

    with pytest.raises(DomainError, match=r"8\.0 MB: send one under 8 MB"):
        services.profile_update(
            actor=organiser, profile=eve, statement="", answers={}, photo=upload
        )


def test_an_image_with_too_many_pixels_is_refused(
    organiser: User, questionnaire: Questionnaire
) -> None:
    eve = _profile(questionnaire, "Eve")
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")  # 48 megapixels, a few kilobytes

    with pytest.raises(DomainError, match="8000 × 6000 pixels"):
        services.profile_update(
            actor=organiser,
            profile=eve,
            statement="",
            answers={},
            photo=SimpleUploadedFile("wide.png", out.getvalue()),
        )


def test_the_comparison_shows_every_candidate_against_every_question(
    organiser: User, questionnaire: Questionnaire
) -> None:
    first, second = questionnaire.questions.order_by("position")
    services.profile_update(
        actor=None,
        profile=_profile(questionnaire, "Ann"),
        statement="",
        answers={first.pk: "Ann says yes", second.pk: "Ann's priority"},
    )
    services.profile_update(
        actor=None,
        profile=_profile(questionnaire, "Bea"),
        statement="",
        answers={first.pk: "Bea says no"},
    )
    _opened(questionnaire)

    page = Client().get(f"/candidates/{questionnaire.pk}/").content.decode()

    table = page[page.index('<table id="compare"') :]
    assert table.count("<td") == 2 * 5
    assert table.count("No answer") == 10 - 3
    assert table.index("Ann says yes") < table.index("Bea says no")


def test_the_pages_of_a_draft_ballot_are_for_organisers_only(
    organiser: User, questionnaire: Questionnaire
) -> None:
    ann = _profile(questionnaire, "Ann")
    organiser_client = Client()
    organiser_client.force_login(organiser)

    assert Client().get(f"/candidates/{questionnaire.pk}/").status_code == 404
    assert Client().get(f"/candidates/profile/{ann.pk}/").status_code == 404
    assert organiser_client.get(f"/candidates/{questionnaire.pk}/").status_code == 200


def test_removing_an_answered_question_is_refused(
    organiser: User, questionnaire: Questionnaire
) -> None:
    _, second = questionnaire.questions.order_by("position")
    services.profile_update(
        actor=None, profile=_profile(questionnaire, "Ann"), statement="", answers={second.pk: "A"}
    )

    with pytest.raises(DomainError, match="Question 2 has answers"):
        services.questionnaire_update(
            actor=organiser,
            questionnaire=questionnaire,
            title=questionnaire.title,
            intro="",
            questions=["Will you back a fair selection?"],
        )

    assert questionnaire.questions.count() == 2


def test_rewording_a_question_keeps_its_answers(
    organiser: User, questionnaire: Questionnaire
) -> None:
    first, _ = questionnaire.questions.order_by("position")
    services.profile_update(
        actor=None, profile=_profile(questionnaire, "Ann"), statement="", answers={first.pk: "A"}
    )

    services.questionnaire_update(
        actor=organiser,
        questionnaire=questionnaire,
        title=questionnaire.title,
        intro="",
        questions=["Will you back open selections?", "What is your first priority?"],
    )

    first.refresh_from_db()
    assert (first.text, first.answers.count()) == ("Will you back open selections?", 1)


def test_erasing_the_person_forgets_the_address_the_link_went_to(
    organiser: User,
    questionnaire: Questionnaire,
    make_supporter: Callable[..., Any],
    clp: Any,
) -> None:
    from grassroots.web.people.erasure import person_erasure_steps_run

    supporter = make_supporter(clp=clp, email="ann@example.org")
    ann = _profile(questionnaire, "Ann")
    services.profile_link_send(
        actor=organiser, profile=ann, email="ann@example.org", site_url="http://testserver"
    )

    person_erasure_steps_run(person=supporter.user)

    ann.refresh_from_db()
    assert (ann.contact_email, ann.token_hash) == ("", None)


def test_the_compare_page_takes_the_same_queries_for_one_or_three_candidates(
    organiser: User,
) -> None:
    """The count is the same for two candidates as for four (no query per candidate)."""
    counts = []
    for names in (["Ann", "Bea"], ["Cal", "Dev", "Eve", "Fay"]):
        ballot = ballot_create(options=[(n, "") for n in names], seats=1, method=Method.IRV)
        Ballot.objects.filter(pk=ballot.pk).update(status="open")
        q = services.questionnaire_create(
            actor=organiser, ballot=ballot, title="Q", questions=["One?", "Two?"]
        )
        client = Client()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/candidates/{q.pk}/").status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
