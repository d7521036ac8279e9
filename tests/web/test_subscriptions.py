"""Email a supporter did not ask for goes out only with the matching consent, carries a
one-click unsubscribe (RFC 8058), and stops when they unsubscribe, by link or on My data."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from grassroots.web.audit.models import AuditEntry
from grassroots.web.constituencies.models import Constituency
from grassroots.web.mail.models import Email
from grassroots.web.people.models import ConsentKind, Topic, Unsubscription
from grassroots.web.people.selectors import person_export
from grassroots.web.people.services import consent_withdraw
from grassroots.web.people.subscriptions import (
    UNSUBSCRIBE_SALT,
    email_to_supporter,
    may_email,
    unsubscribe_token,
)
from tests.web.factories import supporter_create

pytestmark = pytest.mark.django_db

SITE = "https://alliance.example"


def _send(user: object, topic: str = Topic.MAILINGS, key: str = "mailing:1:x") -> bool:
    return email_to_supporter(
        topic=topic, user=user, subject="News", body="Hello.", key=key, site_url=SITE
    )  # type: ignore[arg-type]


def test_an_email_on_a_topic_carries_its_unsubscribe_link_and_headers(
    clp: Constituency, django_capture_on_commit_callbacks: Any
) -> None:
    person = supporter_create(clp=clp).user

    with django_capture_on_commit_callbacks(execute=True):
        assert _send(person) is True

    [message] = mail.outbox
    link = SITE + reverse(
        "people:unsubscribe", args=(unsubscribe_token(user=person, topic=Topic.MAILINGS),)
    )
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    assert message.to == [person.email]


@pytest.mark.parametrize("topic", [Topic.MAILINGS, Topic.EVENTS])
def test_no_contact_consent_no_email(clp: Constituency, topic: str) -> None:
    supporter = supporter_create(clp=clp, consents=(ConsentKind.VISIBLE_IN_CLP,))
    assert may_email(user=supporter.user, topic=topic) is False
    assert _send(supporter.user, topic) is False
    assert not Email.objects.exists()  # nothing even queued


def test_a_withdrawn_consent_stops_the_email(clp: Constituency) -> None:
    supporter = supporter_create(clp=clp)
    consent_withdraw(supporter=supporter, kind=ConsentKind.CONTACT)
    assert _send(supporter.user) is False
    assert _send(supporter.user, Topic.DISCUSSIONS, key="d") is True  # asked for by other means


def test_unconfirmed_or_inactive_supporters_get_nothing(clp: Constituency) -> None:
    unconfirmed = supporter_create(clp=clp, verified=False).user
    inactive = supporter_create(clp=clp).user
    inactive.is_active = False
    inactive.save()
    for topic in Topic:
        assert _send(unconfirmed, topic, key=f"a{topic}") is False
        assert _send(inactive, topic, key=f"b{topic}") is False
    assert not Email.objects.exists()  # nothing even queued


def test_one_click_unsubscribe_needs_no_login_nor_csrf_token_and_stops_that_topic_only(
    clp: Constituency,
) -> None:
    person = supporter_create(clp=clp).user
    url = reverse("people:unsubscribe", args=(unsubscribe_token(user=person, topic=Topic.EVENTS),))
    client = Client(enforce_csrf_checks=True)

    page = client.get(url)  # a link checker fetching it unsubscribes nobody
    assert page.status_code == 200
    assert not Unsubscription.objects.exists()

    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "no more emails of this kind: new events in my clp or region" in (
        response.content.decode().lower()
    )
    assert list(Unsubscription.objects.values_list("user_id", "topic")) == [
        (person.pk, Topic.EVENTS)
    ]
    assert AuditEntry.objects.get(action="supporter.unsubscribe").summary == "events, by link"
    assert _send(person, Topic.EVENTS) is False
    assert _send(person, Topic.MAILINGS, key="m") is True

    client.post(url)  # twice: still one row, one audit entry
    assert Unsubscription.objects.count() == 1
    assert AuditEntry.objects.filter(action="supporter.unsubscribe").count() == 1


def test_an_altered_token_unsubscribes_nobody(clp: Constituency) -> None:
    person = supporter_create(clp=clp).user
    other = supporter_create(clp=clp).user
    token = unsubscribe_token(user=person, topic=Topic.MAILINGS)
    payload = {"u": other.pk, "t": Topic.MAILINGS}
    forged = [
        signing.dumps(payload, salt="another.salt", compress=True),  # another kind of link
        signing.dumps(payload, key="not-the-site-key", salt=UNSUBSCRIBE_SALT, compress=True),
        # the genuine signature put on another person's payload
        signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True).rsplit(":", 1)[0]
        + ":"
        + token.rsplit(":", 1)[1],
    ]
    assert all(bad != token for bad in forged)
    for bad in (*forged, token[:-2] + "xx", "nonsense"):
        assert Client().post(reverse("people:unsubscribe", args=(bad,))).status_code == 404
    assert not Unsubscription.objects.exists()


def test_my_data_stops_and_restarts_a_topic(clp: Constituency) -> None:
    person = supporter_create(clp=clp).user
    client = Client()
    client.force_login(person)
    url = reverse("people:subscription_change")

    client.post(url, {"topic": Topic.REPORTS, "action": "unsubscribe"})
    assert may_email(user=person, topic=Topic.REPORTS) is False
    assert "stopped." in client.get(reverse("people:me")).content.decode()
    assert person_export(person=person)["unsubscribed_from"][0]["topic"] == "reports"

    client.post(url, {"topic": Topic.REPORTS, "action": "subscribe"})
    assert may_email(user=person, topic=Topic.REPORTS) is True
    assert client.post(url, {"topic": "spam", "action": "subscribe"}).status_code == 302
    assert not Unsubscription.objects.exists()
