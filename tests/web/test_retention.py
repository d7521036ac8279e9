"""Retention: unconfirmed sign-ups, old relayed messages, finished outbox emails, task records
and stored forecasts are deleted, and nothing else (never what is queued or running)."""

from __future__ import annotations

import datetime

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import Group
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from grassroots.cli.main import app
from grassroots.web.alliance import services as alliance_services
from grassroots.web.audit.models import AuditEntry
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections.models import ForecastRun, ForecastStatus
from grassroots.web.mail.models import Email, EmailStatus
from grassroots.web.people.models import Consent, Message, Supporter, User
from grassroots.web.people.retention import retention_apply
from grassroots.web.people.roles import Role
from tests.web.election_factories import election_create, section_get
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
    assert entry.summary == (
        "1 unconfirmed sign-up(s), 1 message(s), 0 sent or failed email(s), "
        "0 finished task record(s), 0 stored forecast(s)"
    )
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
    rest = "0 message(s), 0 sent or failed email(s), 0 finished task record(s), "
    assert dry.output == (f"would delete: 1 unconfirmed sign-up(s), {rest}0 stored forecast(s)\n")
    done = runner.invoke(app, ["retention"])
    assert done.output == f"deleted: 1 unconfirmed sign-up(s), {rest}0 stored forecast(s)\n"
    assert Supporter.objects.count() == 0


def _email(to: str, status: str, days_ago: int) -> Email:
    email = Email.objects.create(
        key=f"test:{Email.objects.count()}",
        message_id=f"<{Email.objects.count()}@example.org>",
        to=to,
        subject="Confirm your email",
        status=status,
        next_attempt_at=NOW,
    )
    Email.objects.filter(pk=email.pk).update(created_at=NOW - days_ago * DAYS)
    return email


def _task_record(status: str, days_ago: int) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {"address": "typed@example.org"}},
        task_path="grassroots.web.mail.tasks.email_send",
        backend_name="default",
        run_after=NOW,
        finished_at=None if status in ("READY", "RUNNING") else NOW - days_ago * DAYS,
        exception_class_path="",
        traceback="",
    )


def test_retention_deletes_old_finished_emails_and_those_of_deleted_signups(
    clp: Constituency,
) -> None:
    stale = _joined(supporter_create(clp=clp, verified=False), days_ago=31)
    old_sent = _email("a@example.org", EmailStatus.SENT, days_ago=31)
    old_failed = _email("b@example.org", EmailStatus.FAILED, days_ago=40)
    old_queued = _email("c@example.org", EmailStatus.QUEUED, days_ago=40)
    old_sending = _email("d@example.org", EmailStatus.SENDING, days_ago=40)
    recent_sent = _email("e@example.org", EmailStatus.SENT, days_ago=29)
    to_stale = _email(stale.user.email, EmailStatus.SENT, days_ago=2)
    queued_to_stale = _email(stale.user.email, EmailStatus.QUEUED, days_ago=2)

    counts = retention_apply(now=NOW)

    assert counts.emails == 3
    assert set(Email.objects.values_list("pk", flat=True)) == {
        old_queued.pk,
        old_sending.pk,
        recent_sent.pk,
        queued_to_stale.pk,
    }
    assert not Email.objects.filter(pk__in=[old_sent.pk, old_failed.pk, to_stale.pk]).exists()
    assert "3 sent or failed email(s)" in AuditEntry.objects.get(action="retention.apply").summary


def test_retention_deletes_finished_task_records_but_never_waiting_or_running_ones() -> None:
    kept = {
        _task_record("READY", days_ago=60).pk,
        _task_record("RUNNING", days_ago=60).pk,
        _task_record("SUCCESSFUL", days_ago=29).pk,
    }
    _task_record("SUCCESSFUL", days_ago=31)
    _task_record("FAILED", days_ago=45)

    assert retention_apply(now=NOW, dry_run=True).task_records == 2
    assert DBTaskResult.objects.count() == 5
    counts = retention_apply(now=NOW)

    assert counts.task_records == 2
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == kept


def test_retention_deletes_finished_forecasts_after_ninety_days() -> None:
    section = section_get(election_create())

    def run(status: str, days_ago: int) -> ForecastRun:
        return ForecastRun.objects.create(
            section=section,
            inputs={"form": {}},
            input_hash=f"{ForecastRun.objects.count():064d}",
            runs_total=10,
            status=status,
            created_at=NOW - days_ago * DAYS,
        )

    kept = {
        run(ForecastStatus.QUEUED, 120).pk,
        run(ForecastStatus.RUNNING, 120).pk,
        run(ForecastStatus.DONE, 89).pk,
    }
    run(ForecastStatus.DONE, 91)
    run(ForecastStatus.FAILED, 200)

    counts = retention_apply(now=NOW)

    assert counts.others == (("stored forecast(s)", 2),)
    assert set(ForecastRun.objects.values_list("pk", flat=True)) == kept
    assert "2 stored forecast(s)" in AuditEntry.objects.get(action="retention.apply").summary


@override_settings(RETENTION_EMAIL_DAYS=5, RETENTION_TASK_DAYS=3, RETENTION_FORECAST_DAYS=10)
def test_email_task_and_forecast_periods_come_from_the_settings() -> None:
    _email("a@example.org", EmailStatus.SENT, days_ago=6)
    _task_record("SUCCESSFUL", days_ago=4)
    ForecastRun.objects.create(
        section=section_get(election_create()),
        inputs={},
        input_hash="1" * 64,
        runs_total=1,
        status=ForecastStatus.DONE,
        created_at=NOW - 11 * DAYS,
    )

    counts = retention_apply(now=NOW)

    assert (counts.emails, counts.task_records, counts.others) == (
        1,
        1,
        (("stored forecast(s)", 1),),
    )
