"""Same-CLP contacts: who sees whom, and messages relayed by the site."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from grassroots.web.audit.models import AuditEntry
from grassroots.web.people.models import ConsentKind, Message
from tests.web.factories import CONTACT

pytestmark = pytest.mark.django_db


def test_contacts_visible_consenting_supporter_sees_others_consenting_names_only(
    client: Client, make_supporter, clp, other_clp
) -> None:
    viewer = make_supporter(clp=clp)
    make_supporter(clp=clp, name="Aisha Khan", email="aisha@example.org")
    make_supporter(clp=clp, name="Hidden Person", consents=(CONTACT,))
    make_supporter(clp=clp, name="Unverified Person", verified=False)
    make_supporter(clp=other_clp, name="Elsewhere Person")
    client.force_login(viewer.user)

    response = client.get("/me/contacts/")

    names = [s.user.name for s in response.context["contacts"]]
    html = response.content.decode()
    assert names == ["Aisha Khan"]
    assert "aisha@example.org" not in html
    assert "Hidden Person" not in html


def test_contacts_without_own_consent_sees_nobody(client: Client, make_supporter, clp) -> None:
    viewer = make_supporter(clp=clp, consents=(CONTACT,))
    make_supporter(clp=clp, name="Aisha Khan")
    client.force_login(viewer.user)

    response = client.get("/me/contacts/")

    assert response.context["allowed"] is False
    assert "Aisha Khan" not in response.content.decode()


def test_contacts_after_withdrawing_consent_sees_nobody(
    client: Client, make_supporter, clp
) -> None:
    viewer = make_supporter(clp=clp)
    make_supporter(clp=clp, name="Aisha Khan")
    client.force_login(viewer.user)
    client.post("/me/consents/", {"kind": ConsentKind.VISIBLE_IN_CLP, "action": "withdraw"})

    response = client.get("/me/contacts/")

    assert response.context["allowed"] is False


@pytest.mark.parametrize("item_count", [1, 3])
def test_contacts_list_query_count(
    client: Client, make_supporter, clp, django_assert_num_queries, item_count: int
) -> None:
    viewer = make_supporter(clp=clp)
    for _ in range(item_count):
        make_supporter(clp=clp)
    client.force_login(viewer.user)

    # session, user, supporter (x2: page and access), consent check, contacts, the menu's role
    with django_assert_num_queries(7):
        response = client.get("/me/contacts/")

    assert len(response.context["contacts"]) == item_count


def test_message_relayed_by_email_without_sender_address(
    client: Client, make_supporter, clp, django_capture_on_commit_callbacks
) -> None:
    sender = make_supporter(clp=clp, name="Owen Parry", email="owen@example.org")
    recipient = make_supporter(clp=clp, name="Aisha Khan", email="aisha@example.org")
    client.force_login(sender.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/me/contacts/{recipient.pk}/message/", {"body": "Fancy setting up a group?"}
        )

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["aisha@example.org"]
    assert "Owen Parry" in email.body
    assert "Fancy setting up a group?" in email.body
    assert f"http://testserver/me/contacts/{sender.pk}/message/" in email.body
    assert "owen@example.org" not in email.body
    assert "owen@example.org" not in str(email.message())
    assert Message.objects.get().recipient == recipient
    assert AuditEntry.objects.get().action == "message.send"


def test_message_empty_body_shows_message_next_to_field_and_stores_nothing(
    client: Client, make_supporter, clp
) -> None:
    sender = make_supporter(clp=clp)
    recipient = make_supporter(clp=clp)
    client.force_login(sender.user)

    response = client.post(f"/me/contacts/{recipient.pk}/message/", {"body": "  "})

    assert response.status_code == 400
    assert response.context["form"].errors["body"] == ["This field is required."]
    assert Message.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("case", ["not_consenting", "other_clp", "missing"])
def test_message_to_non_contact_is_not_found(
    client: Client, make_supporter, clp, other_clp, case: str
) -> None:
    sender = make_supporter(clp=clp)
    targets = {
        "not_consenting": make_supporter(clp=clp, consents=(CONTACT,)).pk,
        "other_clp": make_supporter(clp=other_clp).pk,
        "missing": 999_999,
    }
    client.force_login(sender.user)

    response = client.post(f"/me/contacts/{targets[case]}/message/", {"body": "hello"})

    assert response.status_code == 404
    assert Message.objects.count() == 0


@pytest.mark.parametrize("item_count", [1, 3])
def test_message_list_query_count(
    client: Client, make_supporter, clp, django_assert_num_queries, item_count: int
) -> None:
    recipient = make_supporter(clp=clp)
    for number in range(item_count):
        Message.objects.create(
            sender=make_supporter(clp=clp), recipient=recipient, body=f"note {number}"
        )
    client.force_login(recipient.user)

    # session, user, supporter, blocks, messages with senders, the menu's role check
    with django_assert_num_queries(6):
        response = client.get("/me/messages/")

    assert len(response.context["received"]) == item_count
