"""A supporter sees, exports and erases their own data, and changes their consents."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from grassroots.web.audit.models import AuditEntry
from grassroots.web.people.models import Consent, ConsentKind, Message, Supporter, User

pytestmark = pytest.mark.django_db


def test_me_anonymous_redirected_to_login(client: Client) -> None:
    response = client.get("/me/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_me_shows_own_data(client: Client, make_supporter, clp) -> None:
    supporter = make_supporter(clp=clp, name="Carys Lloyd", email="carys@example.org")
    client.force_login(supporter.user)

    html = client.get("/me/").content.decode()

    assert "Carys Lloyd" in html
    assert "carys@example.org" in html
    assert "Leeds Central and Headingley" in html
    assert '<dl class="details" id="my-details">' in html


def test_export_holds_everything_stored(client: Client, make_supporter, clp) -> None:
    supporter = make_supporter(clp=clp, name="Carys Lloyd", email="carys@example.org")
    friend = make_supporter(clp=clp, name="Owen Parry")
    Message.objects.create(sender=friend, recipient=supporter, body="Meeting on Tuesday?")
    client.force_login(supporter.user)

    response = client.get("/me/export.json")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="grassroots-my-data.json"'
    data = json.loads(response.content)
    assert data["email"] == "carys@example.org"
    assert data["clp"] == {"gss_code": clp.gss_code, "name": clp.name}
    assert [c["kind"] for c in data["consents"]] == ["contact", "visible_in_clp"]
    assert data["messages_received"][0]["from"] == "Owen Parry"
    assert data["messages_received"][0]["body"] == "Meeting on Tuesday?"


def test_erase_without_confirmation_keeps_everything(client: Client, make_supporter, clp) -> None:
    supporter = make_supporter(clp=clp)
    client.force_login(supporter.user)

    response = client.post("/me/erase/", {})

    assert response.status_code == 400
    assert response.context["form"].errors["confirm"] == ["Tick the box to confirm."]
    assert Supporter.objects.count() == 1


def test_erase_deletes_person_consents_messages_and_keeps_anonymous_audit(
    client: Client, make_supporter, clp
) -> None:
    supporter = make_supporter(clp=clp, name="Carys Lloyd", email="carys@example.org")
    friend = make_supporter(clp=clp)
    Message.objects.create(sender=friend, recipient=supporter, body="hello")
    Message.objects.create(sender=supporter, recipient=friend, body="hi")
    client.force_login(supporter.user)
    pk = supporter.pk

    response = client.post("/me/erase/", {"confirm": "on"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=pk).exists()
    assert Consent.objects.filter(supporter_id=pk).count() == 0
    assert Message.objects.count() == 0
    entry = AuditEntry.objects.get(action="person.erase")
    assert (entry.actor_id, entry.object_id) == (None, "")
    assert "Carys" not in entry.summary
    assert "carys@example.org" not in entry.summary
    assert client.get("/me/").status_code == 302


def test_consent_withdraw_keeps_history_and_give_adds_new_row(
    client: Client, make_supporter, clp
) -> None:
    supporter = make_supporter(clp=clp)
    client.force_login(supporter.user)

    client.post("/me/consents/", {"kind": "visible_in_clp", "action": "withdraw"})
    client.post("/me/consents/", {"kind": "visible_in_clp", "action": "give"})

    rows = list(
        supporter.consents.filter(kind=ConsentKind.VISIBLE_IN_CLP)
        .order_by("id")
        .values_list("withdrawn_at", flat=True)
    )
    assert len(rows) == 2
    assert rows[0] is not None
    assert rows[1] is None
    assert list(
        AuditEntry.objects.filter(action__startswith="consent.").values_list("action", flat=True)
    ) == ["consent.give", "consent.withdraw"]


def test_consent_withdraw_twice_refused(client: Client, make_supporter, clp) -> None:
    supporter = make_supporter(clp=clp, consents=())
    client.force_login(supporter.user)

    response = client.post("/me/consents/", {"kind": "contact", "action": "withdraw"}, follow=True)

    assert "This consent is not currently given." in response.content.decode()
    assert AuditEntry.objects.count() == 0
