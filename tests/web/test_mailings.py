"""Organisers' mailings: the audience and its count, the test to oneself, sending once through
the task queue, and the counts of what became of the emails, never who."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from grassroots.web.alliance.models import MembershipStatus, OrganisationMembership
from grassroots.web.audit.models import AuditEntry
from grassroots.web.constituencies.models import Constituency
from grassroots.web.errors import DomainError
from grassroots.web.events import rsvps
from grassroots.web.mail.models import Email, EmailStatus
from grassroots.web.mailings import delivery, services
from grassroots.web.mailings.models import Audience, Mailing, MailingRecipient
from grassroots.web.mailings.selectors import mailing_audience_count, mailing_counts
from grassroots.web.people.models import ConsentKind, Topic, Unsubscription
from grassroots.web.people.roles import Role
from grassroots.web.people.services import consent_withdraw
from tests.web.factories import (
    event_create,
    organisation_create,
    role_holder_create,
    supporter_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser() -> Any:
    return role_holder_create(Role.ORGANISER)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def send(django_capture_on_commit_callbacks: Any) -> Any:
    """Send a mailing as the view does, running what waits for the commit (the tasks)."""

    def sending(organiser: Any, mailing: Mailing) -> Mailing:
        with django_capture_on_commit_callbacks(execute=True):
            return services.mailing_send(
                actor=organiser, mailing=mailing, site_url="https://a.example/"
            )

    return sending


def _mailing(organiser: Any, **audience: Any) -> Mailing:
    audience.setdefault("audience", Audience.ALL)
    return services.mailing_create(
        actor=organiser, subject="Hustings next week", body="Come along.", **audience
    )


def test_an_organiser_sends_to_one_region_and_only_its_consenting_supporters_get_it(
    organiser: Any,
    clp: Constituency,
    other_clp: Constituency,
    django_capture_on_commit_callbacks: Any,
) -> None:
    yes = supporter_create(clp=clp, name="Yes Person")
    same_region = Constituency.objects.filter(region=clp.region).exclude(pk=clp.pk).first()
    also = supporter_create(clp=same_region, name="Also Person")
    no_consent = supporter_create(clp=clp, consents=[ConsentKind.VISIBLE_IN_CLP])
    withdrawn = supporter_create(clp=clp)
    consent_withdraw(supporter=withdrawn, kind=ConsentKind.CONTACT)
    unsubscribed = supporter_create(clp=clp)
    Unsubscription.objects.create(user=unsubscribed.user, topic=Topic.MAILINGS)
    unconfirmed = supporter_create(clp=clp, verified=False)
    elsewhere = supporter_create(clp=other_clp)
    client = _client(organiser)

    response = client.post(
        "/organise/mailings/new/",
        {
            "subject": "Hustings next week",
            "body": "Come along.",
            "audience": "region",
            "region": clp.region,
        },
    )
    mailing = Mailing.objects.get()
    assert response["Location"] == f"/organise/mailings/{mailing.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert f"Supporters in {clp.region}" in page
    assert "2 supporters" in page
    assert "Yes Person" not in page
    client.post(f"/organise/mailings/{mailing.pk}/test/")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/organise/mailings/{mailing.pk}/send/")

    assert sorted(m.to[0] for m in mail.outbox) == sorted([yes.user.email, also.user.email])
    message = next(m for m in mail.outbox if m.to == [yes.user.email])
    assert message.subject == "Hustings next week"
    assert message.body.startswith("Hello Yes Person,\n\nCome along.")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    for person in (no_consent, withdrawn, unsubscribed, unconfirmed, elsewhere):
        assert not Email.objects.filter(to=person.user.email).exists()
    page = client.get(f"/organise/mailings/{mailing.pk}/").content.decode()
    assert "2 sent, 0 queued, 0 failed" in page


@pytest.mark.parametrize("audience", ["clp", "organisation", "event"])
def test_each_kind_of_audience_holds_only_its_supporters(
    organiser: Any, clp: Constituency, other_clp: Constituency, audience: str, send: Any
) -> None:
    inside = supporter_create(clp=clp)
    outside = supporter_create(clp=other_clp)
    organisation = organisation_create(name="Unity Union")
    OrganisationMembership.objects.create(
        organisation=organisation,
        supporter=inside,
        consent_wording="I belong.",
        status=MembershipStatus.CONFIRMED,
        confirmed_at=inside.joined_at,
    )
    OrganisationMembership.objects.create(
        organisation=organisation, supporter=outside, consent_wording="I belong."
    )  # pending: not in the audience
    event = event_create()
    rsvps.rsvp_make(supporter=inside, event=event)
    values = {"clp": {"constituency": clp}, "organisation": {"organisation": organisation}}
    values["event"] = {"event": event}

    mailing = _mailing(organiser, audience=Audience(audience), **values[audience])

    assert mailing_audience_count(mailing=mailing) == 1
    services.mailing_test_send(actor=organiser, mailing=mailing)
    send(organiser, mailing)
    assert list(MailingRecipient.objects.values_list("user_id", flat=True)) == [inside.pk]


def test_a_mailing_is_sent_once(organiser: Any, clp: Constituency, send: Any) -> None:
    supporter_create(clp=clp)
    mailing = _mailing(organiser)
    services.mailing_test_send(actor=organiser, mailing=mailing)
    send(organiser, mailing)

    with pytest.raises(DomainError) as refused:
        services.mailing_send(actor=organiser, mailing=mailing, site_url="https://a.example/")

    assert refused.value.message == services.ALREADY_SENT
    assert Email.objects.filter(kind=Topic.MAILINGS).count() == 1


def test_sending_needs_a_test_first_and_a_changed_text_needs_another(
    organiser: Any, clp: Constituency
) -> None:
    supporter_create(clp=clp)
    mailing = _mailing(organiser)

    with pytest.raises(DomainError) as refused:
        services.mailing_send(actor=organiser, mailing=mailing, site_url="")
    assert refused.value.message == "Send yourself a test first, and read it."

    services.mailing_test_send(actor=organiser, mailing=mailing)
    services.mailing_update(
        actor=organiser, mailing=mailing, subject="New subject", body="New.", audience=Audience.ALL
    )
    assert Mailing.objects.get().tested_at is None


def test_the_test_goes_to_the_organiser_only(
    organiser: Any, clp: Constituency, django_capture_on_commit_callbacks: Any
) -> None:
    supporter_create(clp=clp)
    mailing = _mailing(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = _client(organiser).post(f"/organise/mailings/{mailing.pk}/test/")

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [organiser.email]
    assert message.subject == "[Test] Hustings next week"
    assert MailingRecipient.objects.count() == 0


def test_the_audience_is_frozen_at_sending_and_a_later_unsubscription_is_still_honoured(
    organiser: Any, clp: Constituency, django_capture_on_commit_callbacks: Any
) -> None:
    first = supporter_create(clp=clp)
    leaver = supporter_create(clp=clp)
    mailing = _mailing(organiser)
    services.mailing_test_send(actor=organiser, mailing=mailing)
    # Sent, but its tasks (queued after the commit) have not run yet.
    services.mailing_send(actor=organiser, mailing=mailing, site_url="https://a.example/")
    supporter_create(clp=clp)  # joins after the sending: not in this mailing
    Unsubscription.objects.create(user=leaver.user, topic=Topic.MAILINGS)

    with django_capture_on_commit_callbacks(execute=True):
        delivery.batches_enqueue(mailing_id=mailing.pk)

    assert list(Email.objects.filter(kind=Topic.MAILINGS).values_list("to", flat=True)) == [
        first.user.email
    ]
    counts = mailing_counts(mailing=Mailing.objects.get())
    assert (counts.recipients, counts.queued, counts.sent, counts.not_emailed) == (2, 0, 1, 1)


def test_a_batch_run_twice_sends_once(organiser: Any, clp: Constituency, send: Any) -> None:
    for _ in range(3):
        supporter_create(clp=clp)
    mailing = _mailing(organiser)
    services.mailing_test_send(actor=organiser, mailing=mailing)
    send(organiser, mailing)
    ids = list(MailingRecipient.objects.order_by("pk").values_list("pk", flat=True))

    again = delivery.mailing_batch_send(mailing_id=mailing.pk, first_id=ids[0], last_id=ids[-1])

    assert again == 3  # queued again means: the same rows, by key
    assert Email.objects.filter(kind=Topic.MAILINGS).count() == 3


def test_failed_emails_are_counted(organiser: Any, clp: Constituency, send: Any) -> None:
    supporter_create(clp=clp)
    supporter_create(clp=clp)
    mailing = _mailing(organiser)
    services.mailing_test_send(actor=organiser, mailing=mailing)
    send(organiser, mailing)
    first = Email.objects.filter(kind=Topic.MAILINGS).order_by("pk").first()
    Email.objects.filter(pk=first.pk).update(status=EmailStatus.FAILED)

    counts = mailing_counts(mailing=mailing)

    assert (counts.sent, counts.failed, counts.queued) == (1, 1, 0)


def test_an_empty_audience_is_refused(organiser: Any, clp: Constituency) -> None:
    supporter_create(clp=clp, consents=[])
    mailing = _mailing(organiser)
    services.mailing_test_send(actor=organiser, mailing=mailing)

    with pytest.raises(DomainError) as refused:
        services.mailing_send(actor=organiser, mailing=mailing, site_url="")

    assert refused.value.message == "Nobody in this audience may be emailed: choose another."
    assert Mailing.objects.get().sent_at is None


@pytest.mark.parametrize(
    ("audience", "field"),
    [("region", "region"), ("clp", "clp"), ("organisation", "organisation"), ("event", "event")],
)
def test_an_audience_without_its_choice_is_refused_on_its_field(
    organiser: Any, audience: str, field: str
) -> None:
    response = _client(organiser).post(
        "/organise/mailings/new/", {"subject": "S", "body": "B", "audience": audience}
    )

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert Mailing.objects.count() == 0


def test_mailings_are_audited_without_names(organiser: Any, clp: Constituency) -> None:
    supporter_create(clp=clp, name="Secret Name")
    mailing = _mailing(organiser, audience=Audience.CLP, constituency=clp)
    services.mailing_test_send(actor=organiser, mailing=mailing)
    services.mailing_send(actor=organiser, mailing=mailing, site_url="")

    rows = list(
        AuditEntry.objects.filter(object_type="mailing")
        .order_by("pk")
        .values_list("action", "summary")
    )

    assert rows == [
        ("mailing.create", "clp"),
        ("mailing.test", "test sent to the sender"),
        ("mailing.send", "clp, 1 recipients"),
    ]


def test_the_list_shows_counts_in_a_fixed_number_of_queries(
    organiser: Any, clp: Constituency, django_assert_max_num_queries: Any, send: Any
) -> None:
    supporter_create(clp=clp)
    for _ in range(3):
        mailing = _mailing(organiser)
        services.mailing_test_send(actor=organiser, mailing=mailing)
        send(organiser, mailing)
    client = _client(organiser)

    with django_assert_max_num_queries(12):
        response = client.get("/organise/mailings/")

    assert response.content.decode().count("1 sent, 0 queued, 0 failed") == 3
