"""Time the delivery of voting links: open a ballot of N voters, then one `grassroots worker`
emails every link to an SMTP server on this machine that accepts and discards.

    GRASSROOTS_DEV=1 .venv/bin/python benchmarks/delivery.py            # 2,000 voters, SQLite
    GRASSROOTS_DEV=1 .venv/bin/python benchmarks/delivery.py --voters 500
    GRASSROOTS_DEV=1 DATABASE_URL=postgres://... .venv/bin/python benchmarks/delivery.py

Without DATABASE_URL the site's database is a SQLite file in a fresh temporary directory;
with it, the script adds its voters and ballot to that database (use a scratch one). It prints
how long `ballot_open` took and how many emails per second the worker sent, from the first
email the server received to the last (and from the worker's start, which includes its own
start-up). docs/ballots.md quotes the figures.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Sink:
    """Accepts every message and keeps only when it arrived."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            self.times.append(time.monotonic())
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=2000)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="grassroots-delivery-"))
    os.environ.setdefault("GRASSROOTS_DEV", "1")
    os.environ.setdefault("GRASSROOTS_DATA_DIR", str(scratch))

    from grassroots.web.run import site_migrate, site_setup

    site_setup()
    site_migrate()

    from aiosmtpd.controller import Controller
    from django.contrib.auth.hashers import make_password  # noqa: TID251 (a site benchmark)
    from django.db import connection  # noqa: TID251
    from django.utils import timezone  # noqa: TID251

    from grassroots.web.ballots import services
    from grassroots.web.ballots.models import Ballot, Credential, Delivery, Status
    from grassroots.web.constituencies.models import Constituency
    from grassroots.web.people.models import Membership, Supporter, User

    run = f"{int(time.time())}"
    clp = Constituency.objects.order_by("pk").first()
    assert clp is not None, "no constituencies: the migrations load them"
    password = make_password(None)
    User.objects.bulk_create(
        User(email=f"bench{run}-{n}@example.org", name=f"Voter {n}", password=password)
        for n in range(args.voters)
    )
    users = User.objects.filter(email__startswith=f"bench{run}-")
    Supporter.objects.bulk_create(
        Supporter(
            user=user,
            constituency=clp,
            membership=Membership.MEMBER,
            email_verified_at=timezone.now(),
        )
        for user in users
    )
    # Only this run's voters are on the roll: the others are made unverified for the run.
    others = Supporter.objects.exclude(user__in=users).filter(email_verified_at__isnull=False)
    kept = list(others.values_list("pk", "email_verified_at"))
    others.update(email_verified_at=None)
    now = timezone.now()
    try:
        ballot = services.ballot_create(
            actor=None,
            slug=f"bench-{run}",
            question="Benchmark: who should be on the slate?",
            options=[("Ann", "F"), ("Bea", "F"), ("Cal", "M")],
            opens_at=now,
            closes_at=now + timezone.timedelta(days=1),
            seats=1,
        )
        started = time.perf_counter()
        services.ballot_open(actor=None, ballot=ballot, site_url="http://127.0.0.1:8000/")
        opening = time.perf_counter() - started
        ballot.refresh_from_db()
        by_worker = ballot.status == Status.OPENING
        print(
            f"ballot_open for {args.voters:,} voters: {opening:.3f} s ({connection.vendor})"
            + ("; the worker freezes the roll" if by_worker else "")
        )
        sink = Sink()
        port = _free_port()
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        env = os.environ | {
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "EMAIL_USE_TLS": "false",
        }
        worker_started = time.monotonic()
        worker = subprocess.Popen(
            [sys.executable, "-m", "grassroots", "worker", "--interval", "0.1"],
            env=env,
            stderr=subprocess.DEVNULL,
        )
        while Ballot.objects.filter(pk=ballot.pk, status=Status.OPENING).exists():
            if worker.poll() is not None:
                sys.exit("the worker stopped")
            time.sleep(0.05)
        if by_worker:
            frozen = time.monotonic() - worker_started
            print(f"the worker froze the roll and opened the ballot {frozen:.2f} s after its start")
    finally:
        for pk, verified_at in kept:
            Supporter.objects.filter(pk=pk).update(email_verified_at=verified_at)

    try:
        pending = Credential.objects.filter(ballot=ballot).exclude(delivery=Delivery.SENT)
        while pending.exists():
            if worker.poll() is not None:
                sys.exit("the worker stopped")
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        controller.stop()
    times = sorted(sink.times)
    span = times[-1] - times[0]
    total = times[-1] - worker_started
    print(
        f"worker: {len(times):,} emails in {span:.2f} s from the first to the last: "
        f"{(len(times) - 1) / span:.0f} emails/s; {total:.2f} s from the worker's start "
        f"({len(times) / total:.0f} emails/s)"
    )


if __name__ == "__main__":
    main()
