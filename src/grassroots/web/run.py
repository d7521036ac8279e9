"""Running the site from the ``grassroots`` command: the CLI calls these, so Django stays
inside the web package and is imported only when a site command runs."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported for annotations only: Django loads in site_setup()
    from grassroots.web.ballots.models import Ballot


def site_setup() -> None:
    """Point Django at the site's settings and load the apps; a refused setting (no secret key
    outside development, say) is a ``SiteCommandError`` that says what to set."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as err:
        raise SiteCommandError([str(err)]) from err


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def site_migrate() -> None:
    """Apply any migrations not yet applied."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


# The forwarded headers waitress can take from a trusted proxy (its KNOWN_PROXY_HEADERS).
PROXY_HEADERS = (
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "x-forwarded-port",
    "x-forwarded-by",
    "forwarded",
)
# What a proxy such as nginx sets: the client's address and whether it came over HTTPS.
DEFAULT_PROXY_HEADERS = ("x-forwarded-for", "x-forwarded-proto")


def site_serve(
    *,
    host: str,
    port: int,
    threads: int,
    trusted_proxy: str | None = None,
    trusted_proxy_count: int = 1,
    trusted_proxy_headers: Sequence[str] = DEFAULT_PROXY_HEADERS,
    url_scheme: str = "http",
) -> None:
    """Migrate, then serve the site with waitress until interrupted.

    With ``trusted_proxy`` (the proxy's address, or ``*``), waitress takes the client's address
    (``REMOTE_ADDR``, which the rate limits count by), scheme and host from the headers in
    ``trusted_proxy_headers``, set by the last ``trusted_proxy_count`` proxies. Forwarded
    headers from anyone else are removed before the site sees them, so a client cannot choose
    its own address.
    """
    site_setup()
    from django.conf import settings

    if settings.DEV_MODE and not _is_loopback(host):
        # The development key is public: on an address others can reach, anyone could sign a
        # login link with it and log in as the administrator.
        raise SiteCommandError(
            [
                f"development mode (GRASSROOTS_DEV) serves on this machine only, not on {host}: "
                "unset GRASSROOTS_DEV and set SECRET_KEY to serve others"
            ]
        )
    site_migrate()
    from django.core.wsgi import get_wsgi_application
    from waitress import serve

    proxy: dict[str, object] = {}
    if trusted_proxy:
        proxy = {
            "trusted_proxy": trusted_proxy,
            "trusted_proxy_count": trusted_proxy_count,
            "trusted_proxy_headers": set(trusted_proxy_headers),
        }
    serve(
        get_wsgi_application(),
        host=host,
        port=port,
        threads=threads,
        ident="grassroots",
        url_scheme=url_scheme,
        # Waitress 3 clears them by default; said here so that no other default can let a
        # client's own X-Forwarded-For through.
        clear_untrusted_proxy_headers=True,
        **proxy,
    )


def _migrations_pending() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def site_worker(*, interval: float, batch: bool, say: Callable[[str], None]) -> None:
    """Run the queued background tasks until stopped (or, with ``batch``, until none is left).

    The worker leaves migrations to the web server (``serve`` applies them) so the two never
    race at start-up: it waits until none is pending. It then puts back on the queue the tasks
    a killed worker left running and the emails not yet sent (``mail.services.tasks_recover``,
    ``emails_recover``), and runs django-tasks' database worker. SIGTERM or Ctrl-C lets the
    running task finish; a second one stops it.
    """
    site_setup()
    import time

    from django.core.management import call_command
    from django.db import close_old_connections

    from grassroots.web.ballots.delivery import credentials_recover
    from grassroots.web.mail.services import emails_recover, tasks_recover

    if _migrations_pending():
        say("The worker is waiting for the database's migrations (grassroots serve applies them)")
        while _migrations_pending():
            time.sleep(2)
            close_old_connections()
    recovered = tasks_recover()
    if recovered:
        say(f"Put back on the queue {recovered} task(s) a stopped worker left running")
    unsent = emails_recover()
    if unsent:
        say(f"{unsent} email(s) waiting to be sent")
    if credentials_recover():
        say("Voting links waiting to be sent are queued again")
    call_command(
        "db_worker",
        queue_name="*",
        interval=interval,
        batch=batch,
        reload=False,
        startup_delay=False,
    )


def site_demo() -> list[str]:
    """Migrate, then create the demo data (idempotent); a line per step."""
    site_setup()
    site_migrate()
    from grassroots.web.demo import demo_create

    return demo_create()


def site_retention(*, dry_run: bool) -> str:
    """Apply the retention rules (``people.retention``); what was (or would be) deleted."""
    site_setup()
    site_migrate()
    from grassroots.web.people.retention import retention_apply

    return retention_apply(dry_run=dry_run).summary()


def site_manage(args: Sequence[str]) -> None:
    """Run a Django management command."""
    site_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["grassroots manage", *args])


class SiteCommandError(Exception):
    """A site command refused its input; ``lines`` say why, one problem a line."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = list(lines)
        super().__init__("; ".join(self.lines))


def site_nominations_import(*, election: str, section: str, path: str) -> int:
    """Import a nominations CSV into a section: all rows, or none and every bad row listed."""
    site_setup()
    from django.http import Http404

    from grassroots.web.elections.imports import NominationFileError
    from grassroots.web.elections.selectors import section_get
    from grassroots.web.elections.services import nomination_import
    from grassroots.web.errors import DomainError

    try:
        target = section_get(election_slug=election, section_slug=section)
    except Http404:
        raise SiteCommandError([f'no section "{section}" in election "{election}"']) from None
    try:
        with open(path, encoding="utf-8-sig") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError) as err:
        raise SiteCommandError([f"{path}: {err}"]) from err
    try:
        return nomination_import(actor=None, section=target, text=text)
    except NominationFileError as err:
        lines = [f"{path}: nothing imported, {len(err.errors)} bad row(s)"]
        raise SiteCommandError(
            lines + [f"{path}:{e.line}: {e.reason}" for e in err.errors]
        ) from err
    except DomainError as err:
        raise SiteCommandError([err.message]) from err


def site_nominations_summary(*, election: str, section: str) -> list[dict[str, object]]:
    """Per candidate: nominations, threshold, on_ballot, slates."""
    site_setup()
    from django.http import Http404

    from grassroots.web.elections.selectors import nomination_summary, section_get

    try:
        target = section_get(election_slug=election, section_slug=section)
    except Http404:
        raise SiteCommandError([f'no section "{section}" in election "{election}"']) from None
    return nomination_summary(section=target)


def site_ballot_list() -> list[tuple[str, str, str, str, str]]:
    """Every ballot: slug, status, method, closing time (UK), question."""
    site_setup()
    from django.utils import timezone

    from grassroots.web.ballots.selectors import ballot_list

    return [
        (
            b.slug,
            b.status,
            b.method,
            f"{timezone.localtime(b.closes_at):%Y-%m-%d %H:%M}",
            b.question,
        )
        for b in ballot_list(include_drafts=True)
    ]


def _ballot_counted(slug: str) -> Ballot:
    from grassroots.web.ballots.selectors import ballot_get

    ballot = ballot_get(slug=slug)
    if ballot is None:
        raise SiteCommandError([f'no ballot "{slug}"'])
    if not ballot.is_counted:
        raise SiteCommandError(
            [f'ballot "{slug}" is {ballot.status}: nothing is shown before close']
        )
    return ballot


def site_ballot_export(*, slug: str, categories: bool) -> str:
    """The anonymised ballots as BLT, or the categories as CSV; after the close only."""
    site_setup()
    from grassroots.web.ballots.selectors import ballot_blt, ballot_categories_csv

    ballot = _ballot_counted(slug)
    return ballot_categories_csv(ballot=ballot) if categories else ballot_blt(ballot=ballot)


def site_ballot_result(*, slug: str) -> dict[str, object]:
    """The published result as stored (the JSON of ``grassroots count``)."""
    site_setup()
    from grassroots.web.ballots.models import Status

    ballot = _ballot_counted(slug)
    if ballot.status != Status.PUBLISHED or ballot.result is None:
        raise SiteCommandError([f'ballot "{slug}" is closed but its result is not published'])
    return dict(ballot.result)
