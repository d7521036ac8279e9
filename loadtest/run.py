"""The voting path under load, measured against a production-like server on this machine.

``make loadtest`` (docs/reliability.md) runs, in order:

1. a fresh PostgreSQL database (its name must contain "load": it is emptied first), migrated;
   N verified supporters bulk-created, a returning officer, and a draft ballot for them all;
2. a local SMTP sink (aiosmtpd, 127.0.0.1) and the site in production mode (DEBUG off, a
   fresh random SECRET_KEY, persistent database connections), served by waitress
   (``grassroots serve``) or gunicorn;
3. the returning officer opens the ballot over HTTP, timed, while the sink counts the voting
   links delivered; the links' tokens stay in this process's memory, never on disk;
4. a bounded, closed-loop load of virtual voters, each: open the emailed link (303 and a
   cookie), load the voting page (its CSRF token), post a ranking, read the receipt code;
5. the database checked against the receipts the voters were shown;
6. the forecast page's time to first byte, on the demo party election.

Every request goes to 127.0.0.1 only, and the run stops by itself (``--duration``, or when
the tokens run out).
"""

from __future__ import annotations

import argparse
import asyncio
import email
import json
import os
import platform
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from loadtest.pages import (
    Step,
    cookie_header,
    cookies_parse,
    form_parse,
    receipt_parse,
    table,
    verify,
    vote_form_parse,
    vote_link_parse,
)

HOST = "127.0.0.1"
SLUG = "load-test"
OPTIONS = [
    ("Amina Yusuf", "F"),
    ("Brian Cole", "M"),
    ("Carys Evans", "F"),
    ("Dev Sharma", "M"),
    ("Ellen Price", "F"),
    ("Farid Khan", "M"),
    ("Gwen Jones", "F"),
    ("Hugo Marsh", "M"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


# -- 1. the database and the data ---------------------------------------------------------


def database_fresh(url: str) -> None:
    """Empty the load test's own database (creating it if need be). Refuses any database whose
    name lacks "load", so a slip of DATABASE_URL cannot empty a real one."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "load" not in name:
        raise SystemExit(f"refusing to empty database {name!r}: its name must contain 'load'")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def site_environment(database_url: str, smtp_port: int, data_dir: str) -> dict[str, str]:
    """The production settings the site runs with here: no development mode, a key of its
    own, plain HTTP on loopback (so no HTTPS redirect), email to the local sink."""
    env = {k: v for k, v in os.environ.items() if k not in {"GRASSROOTS_DEV", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="grassroots.web.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=database_url,
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS=HOST,
        EMAIL_HOST=HOST,
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="false",
        GRASSROOTS_DATA_DIR=data_dir,
    )
    return env


@dataclass
class Seeded:
    ballot_id: int
    officer_session: str


def seed(voters: int) -> Seeded:
    """N verified supporters, a returning officer (an administrator, not on the roll) with a
    logged-in session, and a draft STV ballot whose electorate is every supporter."""
    from datetime import timedelta

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from grassroots.web.ballots import services
    from grassroots.web.ballots.models import Electorate, Method
    from grassroots.web.constituencies.models import Constituency
    from grassroots.web.people.models import Membership, Supporter, User

    now = timezone.now()
    constituencies = list(Constituency.objects.order_by("pk")[:50])
    batch = 5000
    for start in range(0, voters, batch):
        users = User.objects.bulk_create(
            User(email=f"voter{i}@load.invalid", name=f"Voter {i}", password="!")  # noqa: S106 (no password: it never logs in)
            for i in range(start, min(start + batch, voters))
        )
        Supporter.objects.bulk_create(
            Supporter(
                user=user,
                constituency=constituencies[user.pk % len(constituencies)],
                membership=Membership.MEMBER,
                email_verified_at=now,
            )
            for user in users
        )
    officer = User.objects.create_superuser(email="officer@load.invalid", password=None)
    ballot = services.ballot_create(
        actor=officer,
        slug=SLUG,
        question="Who should be on the load test's slate?",
        options=OPTIONS,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
        method=Method.STV,
        seats=3,
        electorate=Electorate.SUPPORTERS,
        returning_officer=officer,
    )
    session = SessionStore()
    session[SESSION_KEY] = str(officer.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    session.create()
    assert session.session_key is not None
    return Seeded(ballot_id=ballot.pk, officer_session=session.session_key)


# -- 2. the SMTP sink and the server ------------------------------------------------------


class Sink:
    """Accepts every message on 127.0.0.1 and keeps, in memory only, the voting tokens."""

    def __init__(self) -> None:
        self.tokens: list[str] = []
        self.messages = 0
        self.last_at = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        payload = message.get_payload(decode=True)
        text = payload.decode() if isinstance(payload, bytes) else str(message.get_payload())
        link = vote_link_parse(text)
        with self.lock:
            self.messages += 1
            self.last_at = time.perf_counter()
            if link is not None:
                self.tokens.append(link[1])
        return "250 OK"


def server_start(
    kind: str, *, port: int, threads: int, workers: int, env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    bin_dir = Path(sys.executable).parent
    if kind == "waitress":
        argv = [str(bin_dir / "grassroots"), "serve", "--port", str(port)]
        argv += ["--threads", str(threads)]
    else:
        argv = [str(bin_dir / "gunicorn"), "grassroots.web.wsgi:application"]
        argv += ["--bind", f"{HOST}:{port}", "--workers", str(workers)]
        argv += ["--worker-class", "gthread", "--threads", str(threads)]
        argv += ["--timeout", "120", "--log-level", "warning"]
    handle = log.open("wb")
    return subprocess.Popen(
        argv, env=env, cwd=env["GRASSROOTS_DATA_DIR"], stdout=handle, stderr=subprocess.STDOUT
    )


def worker_start(*, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """The background worker that delivers the voting links, as production runs it beside
    the server (``grassroots worker``)."""
    argv = [str(Path(sys.executable).parent / "grassroots"), "worker"]
    handle = log.open("wb")
    return subprocess.Popen(
        argv, env=env, cwd=env["GRASSROOTS_DATA_DIR"], stdout=handle, stderr=subprocess.STDOUT
    )


def server_wait(port: int, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped (exit {proc.returncode}); see its log")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start listening in time")


def server_stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _proc_cpu(pid: int) -> tuple[int, float]:
    """(parent pid, CPU seconds used so far) of a process, from /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return -1, 0.0
    fields = stat.rpartition(")")[2].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(server_pid: int, database: str) -> dict[str, float]:
    """CPU seconds used so far by the server (with its worker processes), by each of
    PostgreSQL's backends serving ``database`` (``pg <pid>``), and by this process (the load
    generator): so the report can say what a ballot costs, whatever else the machine does."""
    found = {"server": 0.0, "driver": time.process_time()}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        ppid, used = _proc_cpu(pid)
        if server_pid in {pid, ppid}:
            found["server"] += used
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {database} " in title:
            found[f"pg {pid}"] = used
    return found


def cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds used between two snapshots by the server, PostgreSQL and the driver. A
    backend that ends in between (the site reconnects every minute, CONN_MAX_AGE) is left
    out: its last seconds are lost, so PostgreSQL's figure is a floor."""
    used = {part: after[part] - before[part] for part in ("server", "driver")}
    used["postgres"] = sum(
        seconds - before.get(pid, 0.0) for pid, seconds in after.items() if pid.startswith("pg ")
    )
    return used


# -- 3. opening the ballot ----------------------------------------------------------------


async def ballot_open_timed(
    base: str, session_key: str, sink: Sink, voters: int
) -> dict[str, float]:
    """The returning officer confirms the opening, as on the site; how long the request took,
    and how long until the sink held every voter's link."""
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=3600)
    async with aiohttp.ClientSession(timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()) as http:
        jar = {"sessionid": session_key}
        manage = f"{base}/ballots/{SLUG}/manage/"
        async with http.get(manage, headers={"Cookie": cookie_header(jar)}) as r:
            page = await r.text()
            if r.status != 200:
                raise SystemExit(f"the manage page answered {r.status}")
            jar |= cookies_parse(r.headers.getall("Set-Cookie", []))
        csrf = form_parse(page).csrf
        started = time.perf_counter()
        async with http.post(
            f"{base}/ballots/{SLUG}/manage/open/",
            data={"csrfmiddlewaretoken": csrf, "confirmed": "yes"},
            headers={"Cookie": cookie_header(jar)},
            allow_redirects=False,
        ) as r:
            await r.read()
            answered = time.perf_counter()
            if r.status != 302:
                raise SystemExit(f"opening the ballot answered {r.status}")
    while sink.messages < voters and time.perf_counter() - answered < 1800:
        await asyncio.sleep(0.05)
    return {
        "open_response_s": answered - started,
        "all_delivered_s": (sink.last_at - started) if sink.messages >= voters else float("nan"),
        "delivered": float(sink.messages),
    }


# -- 4. the voters ------------------------------------------------------------------------


@dataclass
class Load:
    steps: dict[str, Step] = field(
        default_factory=lambda: {name: Step(name) for name in ("link", "page", "cast")}
    )
    receipts: list[str] = field(default_factory=list)
    measuring: bool = False
    voters_started: int = 0
    measured_from: float = 0.0
    measured_to: float = 0.0
    cpu_from: dict[str, float] = field(default_factory=dict)
    cpu_to: dict[str, float] = field(default_factory=dict)


async def vote_once(http: Any, base: str, token: str, rng: random.Random, load: Load) -> None:
    """One voter: link, page, cast. A receipt the voter saw is kept for the check afterwards,
    whether or not the run was measuring yet."""
    import aiohttp

    steps = load.steps if load.measuring else {n: Step(n) for n in ("link", "page", "cast")}
    jar: dict[str, str] = {}
    step = "link"
    try:
        t0 = time.perf_counter()
        async with http.get(f"{base}/ballots/{SLUG}/vote/{token}/", allow_redirects=False) as r:
            await r.read()
            if r.status != 303:
                steps[step].error(f"HTTP {r.status}")
                return
            jar |= cookies_parse(r.headers.getall("Set-Cookie", []))
            page_url = base + r.headers["Location"]
        t1 = time.perf_counter()
        steps[step].ok(t1 - t0)
        step = "page"
        async with http.get(page_url, headers={"Cookie": cookie_header(jar)}) as r:
            html = await r.text()
            if r.status != 200:
                steps[step].error(f"HTTP {r.status}")
                return
            jar |= cookies_parse(r.headers.getall("Set-Cookie", []))
        t2 = time.perf_counter()
        steps[step].ok(t2 - t1)
        step = "cast"
        csrf, options = vote_form_parse(html)
        if not csrf or not options:
            steps[step].error("no voting form")
            return
        ranked = rng.sample(options, rng.randint(1, len(options)))
        data = {"csrfmiddlewaretoken": csrf} | dict.fromkeys(options, "")
        data |= {name: str(n) for n, name in enumerate(ranked, start=1)}
        async with http.post(page_url, data=data, headers={"Cookie": cookie_header(jar)}) as r:
            html = await r.text()
            status = r.status
        t3 = time.perf_counter()
        code = receipt_parse(html) if status == 200 else None
        if code is None:
            steps[step].error(f"HTTP {status}" if status != 200 else "no receipt")
            return
        load.receipts.append(code)
        steps[step].ok(t3 - t2)
    except (TimeoutError, aiohttp.ClientError) as err:
        steps[step].error(type(err).__name__)


async def voters_run(
    base: str,
    tokens: list[str],
    *,
    concurrency: int,
    warmup: float,
    duration: float,
    seed_value: int,
    cpu: Any = dict,
) -> Load:
    """A closed loop: ``concurrency`` voters at a time, each taking the next token as the
    last finishes, for ``warmup`` seconds unmeasured and then ``duration`` seconds measured;
    the voters under way at the end finish and are checked, but not measured."""
    import aiohttp

    load = Load()
    rng = random.Random(seed_value)
    queue = list(reversed(tokens))
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=60)
    start = time.perf_counter()
    end = start + warmup + duration

    async def worker() -> None:
        while queue and time.perf_counter() < end:
            token = queue.pop()
            load.voters_started += 1
            await vote_once(http, base, token, rng, load)

    async def clock() -> None:
        await asyncio.sleep(warmup)
        load.measuring, load.measured_from = True, time.perf_counter()
        load.cpu_from = cpu()
        await asyncio.sleep(duration)
        load.cpu_to = cpu()

    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:
        ticking = asyncio.create_task(clock())
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        if not ticking.done():
            ticking.cancel()
            load.cpu_to = cpu()
        load.measured_to = min(time.perf_counter(), end)
        if not load.measuring:
            load.measured_from = load.measured_to
    return load


def casts_direct(
    tokens: Sequence[str], ballot_id: int, *, threads: int, duration: float
) -> tuple[Step, list[str], float]:
    """Cast with ``services.ballot_cast`` itself from ``threads`` threads, no HTTP: what the
    database and the cast's locking allow, without the web server's cost per request."""
    from django.db import connections

    from grassroots.web.ballots import selectors, services
    from grassroots.web.ballots.models import Ballot

    options = [o.pk for o in selectors.ballot_options(ballot=Ballot.objects.get(pk=ballot_id))]
    step, receipts = Step("cast (service, no HTTP)"), []
    queue = list(tokens)
    lock = threading.Lock()
    start = time.perf_counter()
    end = start + duration

    def work(seed_value: int) -> None:
        rng = random.Random(seed_value)
        try:
            while time.perf_counter() < end:
                with lock:
                    if not queue:
                        return
                    token = queue.pop()
                ranking = rng.sample(options, rng.randint(1, len(options)))
                t0 = time.perf_counter()
                try:
                    receipt = services.ballot_cast(credential_token=token, ranking=ranking)
                except Exception as err:  # counted and reported
                    step.error(type(err).__name__)
                    continue
                step.ok(time.perf_counter() - t0)
                receipts.append(receipt.code)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return step, receipts, time.perf_counter() - start


# -- 5. the check -------------------------------------------------------------------------


def database_check(ballot_id: int, receipts: Sequence[str]) -> dict[str, Any]:
    from django.db.models import Count

    from grassroots.web.ballots.models import CastBallot, Credential

    counts = dict(
        CastBallot.objects.filter(ballot_id=ballot_id)
        .values_list("receipt")
        .annotate(n=Count("pk"))
        .values_list("receipt", "n")
    )
    used = Credential.objects.filter(ballot_id=ballot_id, used=True).count()
    found = verify(receipts, counts, used)
    return {**found.__dict__, "problems": found.problems}


# -- 6. the forecast page -----------------------------------------------------------------


async def forecast_timed(base: str, session_key: str) -> dict[str, float]:
    """Time to first byte of the demo election's forecast page, as loaded and as run with the
    figures it suggests."""
    import aiohttp

    from grassroots.web.elections.demo import SLUG as ELECTION

    url = f"{base}/organise/elections/{ELECTION}/clp/forecast/"
    headers = {"Cookie": cookie_header({"sessionid": session_key})}
    found: dict[str, float] = {}
    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=600), cookie_jar=aiohttp.DummyCookieJar()
    ) as http:
        page = ""
        for label in ("page", "run"):
            query: dict[str, str] = {}
            if label == "run":
                query = form_parse(page, form_id="forecast-form").fields | {"run": "1"}
            t0 = time.perf_counter()
            async with http.get(url, params=query, headers=headers) as r:
                first = time.perf_counter()
                body = await r.text()
                done = time.perf_counter()
                if r.status != 200:
                    raise SystemExit(f"the forecast {label} answered {r.status}")
            page = body
            found[f"{label}_ttfb_s"] = first - t0
            found[f"{label}_total_s"] = done - t0
    return found


# -- the whole run ------------------------------------------------------------------------


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent,
        ).stdout.strip()
        return out.stdout.strip() + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--database-url",
        default=os.environ.get(
            "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/grassroots_loadtest"
        ),
        help="PostgreSQL database to empty and use; its name must contain 'load' "
        "(or $LOADTEST_DATABASE_URL)",
    )
    p.add_argument("--voters", type=int, default=50_000, help="supporters on the roll")
    p.add_argument("--server", choices=["waitress", "gunicorn"], default="waitress")
    p.add_argument("--threads", type=int, default=8, help="server threads (per worker)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    p.add_argument("--concurrency", type=int, default=32, help="voters under way at once")
    p.add_argument("--warmup", type=float, default=5, help="seconds not measured")
    p.add_argument("--duration", type=float, default=60, help="seconds measured")
    p.add_argument(
        "--direct",
        type=float,
        default=20,
        metavar="SECONDS",
        help="afterwards, cast for SECONDS with the cast service itself from threads, no HTTP",
    )
    p.add_argument("--no-forecast", action="store_true", help="skip the forecast page")
    p.add_argument("--profile", metavar="FILE", help="py-spy the server while voting, to FILE")
    p.add_argument("--json", metavar="FILE", help="write the figures as JSON to FILE")
    p.add_argument("--smoke", action="store_true", help="a tiny, quick run: checks it works")
    args = p.parse_args(argv)
    if args.smoke:
        args.voters, args.warmup, args.duration, args.direct = 300, 1, 3, 1
        args.concurrency = min(args.concurrency, 8)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments(argv)
    from aiosmtpd.controller import Controller

    report: dict[str, Any] = {
        "commit": git_commit(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "server": args.server,
        "threads": args.threads,
        "workers": args.workers if args.server == "gunicorn" else 1,
        "voters": args.voters,
        "concurrency": args.concurrency,
    }
    with tempfile.TemporaryDirectory(prefix="grassroots-load-") as scratch:
        sink = Sink()
        smtp_port = _free_port()
        controller = Controller(sink, hostname=HOST, port=smtp_port)
        controller.start()
        env = site_environment(args.database_url, smtp_port, scratch)
        os.environ.update(env)
        print(f"== a fresh database, {args.voters} supporters and a draft ballot", flush=True)
        database_fresh(args.database_url)
        from grassroots.web.run import site_migrate, site_setup

        site_setup()
        site_migrate()
        t0 = time.perf_counter()
        seeded = seed(args.voters)
        report["seed_s"] = time.perf_counter() - t0
        port = _free_port()
        base = f"http://{HOST}:{port}"
        log = Path(scratch) / "server.log"
        proc = server_start(
            args.server,
            port=port,
            threads=args.threads,
            workers=args.workers,
            env=env,
            log=log,
        )
        worker = worker_start(env=env, log=Path(scratch) / "worker.log")
        profiler: subprocess.Popen[bytes] | None = None
        try:
            server_wait(port, proc)
            print(f"== {args.server} on {base}; opening the ballot over HTTP", flush=True)
            report["open"] = asyncio.run(
                ballot_open_timed(base, seeded.officer_session, sink, args.voters)
            )
            print(f"   {report['open']}", flush=True)
            tokens = list(sink.tokens)
            random.Random(1).shuffle(tokens)
            if args.profile:
                profiler = subprocess.Popen(
                    [
                        str(Path(sys.executable).parent / "py-spy"),
                        "record",
                        "--pid",
                        str(proc.pid),
                        "--subprocesses",
                        "--format",
                        "raw",
                        "--rate",
                        "50",
                        "--gil",
                        "--output",
                        args.profile,
                        "--duration",
                        str(int(args.warmup + args.duration)),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            print(
                f"== voting: {args.concurrency} at once, {args.warmup:g} s warm-up, "
                f"{args.duration:g} s measured",
                flush=True,
            )
            report["load_average_before"] = os.getloadavg()
            load = asyncio.run(
                voters_run(
                    base,
                    tokens,
                    concurrency=args.concurrency,
                    warmup=args.warmup,
                    duration=args.duration,
                    seed_value=2,
                    cpu=lambda: cpu_snapshot(proc.pid, urlsplit(args.database_url).path[1:]),
                )
            )
            report["load_average_after"] = os.getloadavg()
            if profiler is not None:
                profiler.wait(timeout=120)
            measured = load.measured_to - load.measured_from
            rows = [step.summary(measured) for step in load.steps.values()]
            report["measured_s"] = measured
            report["voters_started"] = load.voters_started
            report["steps"] = rows
            casts = load.steps["cast"].seconds
            if casts and load.cpu_from and load.cpu_to:
                report["cpu_ms_per_ballot"] = {
                    part: 1000 * seconds / len(casts)
                    for part, seconds in cpu_used(load.cpu_from, load.cpu_to).items()
                }
                print(f"   CPU ms per ballot: {report['cpu_ms_per_ballot']}", flush=True)
            report["errors"] = {name: s.errors for name, s in load.steps.items() if s.errors}
            print(table(rows), flush=True)
            print(
                f"   load average (1 min) before {report['load_average_before'][0]:.1f}, "
                f"after {report['load_average_after'][0]:.1f}",
                flush=True,
            )
            receipts = list(load.receipts)
            if args.direct:
                used = set(range(load.voters_started))
                left = [t for n, t in enumerate(tokens) if n not in used]
                direct, direct_receipts, elapsed = casts_direct(
                    left, seeded.ballot_id, threads=args.concurrency, duration=args.direct
                )
                receipts += direct_receipts
                report["direct"] = direct.summary(elapsed)
                print(table([report["direct"]]), flush=True)
            report["check"] = database_check(seeded.ballot_id, receipts)
            print(f"== check: {report['check']}", flush=True)
            if not args.no_forecast:
                from grassroots.web.elections.demo import elections_demo_create

                elections_demo_create()
                report["forecast"] = asyncio.run(forecast_timed(base, seeded.officer_session))
                print(f"== forecast: {report['forecast']}", flush=True)
        finally:
            if profiler is not None and profiler.poll() is None:
                profiler.terminate()
            server_stop(proc)
            server_stop(worker)
            controller.stop()
            errors = [
                line
                for line in log.read_text(errors="replace").splitlines()
                if "Traceback" in line or "ERROR" in line
            ]
            report["server_log_errors"] = len(errors)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=str) + "\n")
    failed = bool(report["check"]["problems"]) or any(row["errors"] for row in report["steps"])
    print("== " + ("PROBLEMS: see above" if failed else "every acknowledged vote is stored once"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
