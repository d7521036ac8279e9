"""Rate limits on sign-up and login links: a clear message next to the email field, and nothing
stored or sent once the limit is reached."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from grassroots.web.audit.models import AuditEntry
from grassroots.web.people.models import Supporter
from grassroots.web.people.ratelimit import (
    LOGIN_LINKS_PER_EMAIL,
    LOGIN_LINKS_PER_IP,
    SIGNUPS_PER_IP,
    RateLimit,
    rate_limit_hit,
)
from grassroots.web.people.views import LOGIN_LINKS_LIMITED, SIGNUPS_LIMITED
from tests.web.factories import signup_data, supporter_create

pytestmark = pytest.mark.django_db


def test_rate_limit_hit_counts_per_key_and_window() -> None:
    rate = RateLimit("test", limit=2, window_seconds=60)

    hits = [rate_limit_hit(rate, key="A@example.org", now=0) for _ in range(3)]

    assert hits == [False, False, True]
    assert not rate_limit_hit(rate, key="b@example.org", now=0)
    assert not rate_limit_hit(rate, key="a@example.org", now=60)  # the next window


def test_login_links_limited_per_email(
    client: Client, clp, django_capture_on_commit_callbacks
) -> None:
    supporter_create(clp=clp, email="nia@example.org")
    for _ in range(LOGIN_LINKS_PER_EMAIL.limit):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post("/login/", {"email": "nia@example.org"}).status_code == 200
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/login/", {"email": "NIA@example.org"})

    assert response.status_code == 429
    assert response.context["form"].errors["email"] == [LOGIN_LINKS_LIMITED]
    assert LOGIN_LINKS_LIMITED in response.content.decode()
    assert len(mail.outbox) == sent == LOGIN_LINKS_PER_EMAIL.limit
    # Another address is still served.
    assert client.post("/login/", {"email": "other@example.org"}).status_code == 200


def test_login_links_limited_the_same_for_an_unknown_address(client: Client) -> None:
    for _ in range(LOGIN_LINKS_PER_EMAIL.limit):
        client.post("/login/", {"email": "nobody@example.org"})

    response = client.post("/login/", {"email": "nobody@example.org"})

    assert response.status_code == 429
    assert not mail.outbox


def test_login_links_limited_per_ip(client: Client) -> None:
    for number in range(LOGIN_LINKS_PER_IP.limit):
        client.post("/login/", {"email": f"person{number}@example.org"})

    response = client.post("/login/", {"email": "fresh@example.org"})
    elsewhere = client.post("/login/", {"email": "fresh2@example.org"}, REMOTE_ADDR="192.0.2.7")

    assert response.status_code == 429
    assert elsewhere.status_code == 200


def test_signups_limited_per_ip_store_nothing(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(SIGNUPS_PER_IP.limit):
            response = client.post("/join/", signup_data(email=f"person{number}@example.org"))
            assert response.status_code == 302
    counts = (Supporter.objects.count(), AuditEntry.objects.count(), len(mail.outbox))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/join/", signup_data(email="one-more@example.org"))

    assert response.status_code == 429
    assert response.context["form"].errors["email"] == [SIGNUPS_LIMITED]
    assert (Supporter.objects.count(), AuditEntry.objects.count(), len(mail.outbox)) == counts
    other = client.post(
        "/join/", signup_data(email="one-more@example.org"), REMOTE_ADDR="192.0.2.7"
    )
    assert other.status_code == 302


def test_invalid_signups_are_not_counted(client: Client) -> None:
    for _ in range(SIGNUPS_PER_IP.limit + 1):
        client.post("/join/", signup_data(email="not an email"))

    assert client.post("/join/", signup_data(email="real@example.org")).status_code == 302
