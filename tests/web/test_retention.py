"""Retention: unconfirmed sign-ups and old relayed messages are deleted, and nothing else."""

from __future__ import annotations

import datetime

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import Group
from django.test import override_settings
from django.utils import timezone

from grassroots.cli.main import app
from grassroots.web.alliance import services as alliance_services
from grassroots.web.audit.models import AuditEntry
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Consent, Message, Supporter, User
from grassroots.web.people.retention import retention_apply
from grassroots.web.people.roles import Role
from tests.web.factories import organisation_create, supporter_create

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAYS = datetime.timedelta(days=1)


def _joined(supporter: Supporter, days_ago: int) -> Supporter:
    Supporter.objects.filter(pk=supporter.pk).update(joined_at=NOW - days_ago * DAYS)
    return supporter


def _message(sender: Supporter, recipient: Supporter, days_ago: int) -> Message:
    return Message.objects.create(
        sender=sender,
        recipient=recipient,
        body="See you at the meeting",
        sent_at=NOW - days_ago * DAYS,
    )


def test_retention_deletes_old_unconfirmed_signups_and_old_messages(clp: Constituency) -> None:
    stale = _joined(supporter_create(clp=clp, verified=False), days_ago=31)
    alliance_services.membership_claim(
        supporter=stale, organisation=organisation_create(name="Unite"), consent=True
    )
    fresh = _joined(supporter_create(clp=clp, verified=False), days_ago=29)
    confirmed = _joined(supporter_create(clp=clp), days_ago=400)
    organiser = _joined(supporter_create(clp=clp, verified=False), days_ago=90)
    organiser.user.groups.add(Group.objects.get(name=Role.ORGANISER.value))
    old = _message(confirmed, fresh, days_ago=181)
    recent = _message(confirmed, fresh, days_ago=10)
    to_stale = _message(confirmed, stale, days_ago=1)

    counts = retention_apply(now=NOW)

    assert (counts.unverified_signups, counts.messages) == (1, 1)
    assert not User.objects.filter(pk=stale.pk).exists()
    assert not Consent.objects.filter(supporter_id=stale.pk).exists()
    assert set(Supporter.objects.values_list("pk", flat=True)) == {
        fresh.pk,
        confirmed.pk,
        organiser.pk,
    }
    assert set(Message.objects.values_list("pk", flat=True)) == {recent.pk}
    assert not Message.objects.filter(pk__in=[old.pk, to_stale.pk]).exists()
    entry = AuditEntry.objects.get(action="retention.apply")
    assert entry.summary == "1 unconfirmed sign-up(s), 1 message(s)"
    assert entry.actor_id is None


def test_retention_leaves_no_id_of_a_deleted_signup_in_the_audit_log(clp: Constituency) -> None:
    stale = _joined(supporter_create(clp=clp, verified=False), days_ago=31)
    alliance_services.membership_claim(
        supporter=stale, organisation=organisation_create(name="Unite"), consent=True
    )
    claim = AuditEntry.objects.get(action="membership.claim")
    assert claim.actor_id == stale.pk

    retention_apply(now=NOW)

    claim.refresh_from_db()
    assert (claim.actor_id, claim.person_erased) == (None, True)
    assert not AuditEntry.objects.filter(actor_id=stale.pk).exists()


def test_a_dry_run_counts_and_deletes_nothing(clp: Constituency) -> None:
    stale = _joined(supporter_create(clp=clp, verified=False), days_ago=31)
    _message(supporter_create(clp=clp), stale, days_ago=200)

    counts = retention_apply(now=NOW, dry_run=True)

    assert (counts.unverified_signups, counts.messages) == (1, 1)
    assert Supporter.objects.filter(pk=stale.pk).exists()
    assert Message.objects.count() == 1
    assert not AuditEntry.objects.filter(action="retention.apply").exists()


@override_settings(RETENTION_UNVERIFIED_DAYS=7, RETENTION_MESSAGE_DAYS=30)
def test_retention_periods_come_from_the_settings(clp: Constituency) -> None:
    _joined(supporter_create(clp=clp, verified=False), days_ago=8)
    _message(supporter_create(clp=clp), supporter_create(clp=clp), days_ago=31)

    counts = retention_apply(now=NOW)

    assert (counts.unverified_signups, counts.messages) == (1, 1)


def test_retention_command(clp: Constituency, monkeypatch: pytest.MonkeyPatch) -> None:
    # The command runs retention_apply on the site's database (set up by the test run).
    from grassroots.web import run

    monkeypatch.setattr(run, "site_setup", lambda: None)
    monkeypatch.setattr(run, "site_migrate", lambda: None)
    _joined(supporter_create(clp=clp, verified=False), days_ago=45)

    runner = CliRunner()
    dry = runner.invoke(app, ["retention", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output == "would delete: 1 unconfirmed sign-up(s), 0 message(s)\n"
    done = runner.invoke(app, ["retention"])
    assert done.output == "deleted: 1 unconfirmed sign-up(s), 0 message(s)\n"
    assert Supporter.objects.count() == 0
