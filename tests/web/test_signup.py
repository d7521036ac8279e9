"""Sign-up, email verification and login by emailed link, through the pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from grassroots.web.audit.models import AuditEntry
from grassroots.web.people.consents import WORDING
from grassroots.web.people.models import ConsentKind, Supporter, User
from tests.web.factories import signup_data

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/login/link/\?sesame=\S+)")


def _link_in(message: mail.EmailMessage) -> str:
    match = LINK.search(str(message.body))
    assert match is not None, message.body
    return match.group(1)


def test_signup_stores_supporter_consents_wording_and_audit(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/join/", signup_data(email="Nia@Example.org"))

    assert response.status_code == 302
    supporter = Supporter.objects.select_related("user", "constituency").get()
    assert supporter.user.email == "nia@example.org"
    assert supporter.constituency.name == "Leeds Central and Headingley"
    assert supporter.email_verified_at is None
    consents = {c.kind: c for c in supporter.consents.all()}
    assert set(consents) == {ConsentKind.CONTACT, ConsentKind.VISIBLE_IN_CLP}
    assert consents[ConsentKind.VISIBLE_IN_CLP].wording == WORDING[ConsentKind.VISIBLE_IN_CLP]
    assert consents[ConsentKind.CONTACT].given_at is not None
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id) == ("supporter.signup", supporter.pk)
    assert "nia" not in entry.summary.lower()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nia@example.org"]


def test_signup_consents_are_separate(client: Client) -> None:
    client.post("/join/", signup_data(consent_visible=None))

    kinds = list(Supporter.objects.get().consents.values_list("kind", flat=True))
    assert kinds == [ConsentKind.CONTACT]


def test_signup_page_shows_consent_wording_and_clp_picker(client: Client) -> None:
    response = client.get("/join/")

    html = response.content.decode()
    assert response.status_code == 200
    assert WORDING[ConsentKind.CONTACT] in html
    assert WORDING[ConsentKind.VISIBLE_IN_CLP] in html
    assert '<option value="Leeds Central and Headingley">' in html
    assert "Belfast" not in html
    # Each consent's wording sits beside its box (a grid of box and text), not under it.
    assert html.count('<label class="checkbox-label"') == 2
    assert f"<span>{WORDING[ConsentKind.CONTACT]}</span>" in html


def test_signup_duplicate_email_any_case_refused_and_nothing_stored(
    client: Client, make_supporter, clp
) -> None:
    make_supporter(clp=clp, email="nia@example.org")

    response = client.post("/join/", signup_data(email="NIA@example.ORG"))

    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [
        "This email address has already signed up. Log in with it instead."
    ]
    assert User.objects.count() == 1
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "   ", "This field is required."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("clp", "Nowhere Central", "Choose your constituency from the list"),
        ("clp", "Belfast East", "Choose your constituency from the list"),
        ("membership", "emperor", "Select a valid choice."),
        ("membership", None, "This field is required."),
    ],
)
def test_signup_bad_input_shows_message_next_to_field_and_stores_nothing(
    client: Client, field: str, value: str | None, message: str
) -> None:
    response = client.post("/join/", signup_data(**{field: value}))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)
    assert f'id="id_{field}_error"' in response.content.decode()
    assert User.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_verification_link_shows_button_then_logs_in_and_verifies(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/join/", signup_data())
    link = _link_in(mail.outbox[0])

    shown = client.get(link)
    followed = client.post(link)

    assert shown.status_code == 200
    assert Supporter.objects.get().email_verified_at is not None
    assert followed.status_code == 302
    assert followed["Location"] == "/me/"
    assert client.get("/me/").status_code == 200
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "supporter.signup",
        "supporter.verify",
    ]


def test_login_link_works_once(
    client: Client, make_supporter, clp, django_capture_on_commit_callbacks
) -> None:
    make_supporter(clp=clp, email="rhys@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/login/", {"email": "Rhys@example.org"})
    link = _link_in(mail.outbox[0])

    first = client.post(link)
    client.post("/logout/")
    second = client.post(link)

    assert first.status_code == 302
    assert second.status_code == 400
    assert "expired or has been used" in second.content.decode()


def test_login_unknown_email_sends_nothing_and_says_the_same(client: Client) -> None:
    response = client.post("/login/", {"email": "nobody@example.org"})

    assert response.status_code == 200
    assert "If that address belongs to an account" in response.content.decode()
    assert mail.outbox == []


def test_login_bad_email_shows_message_next_to_field(client: Client) -> None:
    response = client.post("/login/", {"email": "nope"})

    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]
