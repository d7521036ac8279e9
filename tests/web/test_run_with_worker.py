"""`make run`'s server command, `grassroots serve --with-worker`: one command serves the site and
runs the worker that sends its email, and one Ctrl-C (or a service manager's SIGTERM) stops
both."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.web.test_mail_worker import SmtpSink, _free_port, _wait_for


@pytest.fixture
def sink() -> Iterator[tuple[SmtpSink, int]]:
    handler = SmtpSink()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def _open(opener: urllib.request.OpenerDirector, url: str, deadline: float, **kw: bytes) -> str:
    while True:
        try:
            with opener.open(url, timeout=5, **kw) as response:
                return str(response.read().decode())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_serve_with_worker_sends_a_login_link_and_ctrl_c_stops_both(
    tmp_path: Path, sink: tuple[SmtpSink, int]
) -> None:
    handler, smtp_port = sink
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "GRASSROOTS_DATA_DIR": str(tmp_path / "var"),
        "PORT": str(_free_port()),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
    }
    command = [sys.executable, "-m", "grassroots"]
    subprocess.run([*command, "manage", "migrate"], env=env, check=True, capture_output=True)
    create = (
        "from grassroots.web.people.models import User; "
        "User.objects.create_user(email='nia@example.org', name='Nia')"
    )
    subprocess.run([*command, "manage", "shell", "-c", create], env=env, check=True)
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [*command, "serve", "--with-worker"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a terminal of its own, as a Ctrl-C reaches it
    )
    try:
        base = f"http://127.0.0.1:{env['PORT']}"
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        form = _open(opener, f"{base}/login/", time.monotonic() + 30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        assert token is not None
        data = {"csrfmiddlewaretoken": token.group(1), "email": "nia@example.org"}
        _open(
            opener,
            f"{base}/login/",
            time.monotonic() + 10,
            data=urllib.parse.urlencode(data).encode(),
        )
        _wait_for(lambda: len(handler.received) == 1, what="the worker to send the link")
        [worker] = _children(server.pid)

        os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C in its terminal does
        assert server.wait(timeout=20) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        log.close()

    assert handler.received[0][1] == "nia@example.org"
    assert not Path(f"/proc/{worker}").exists()  # the worker stopped (and was reaped) too


def test_serve_with_worker_stopped_by_sigterm_stops_its_worker_too(tmp_path: Path) -> None:
    """systemd and other service managers stop a service with SIGTERM, to the server only."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"GRASSROOTS_DATA_DIR": str(tmp_path / "var"), "PORT": str(_free_port())}
    server = subprocess.Popen(
        [sys.executable, "-m", "grassroots", "serve", "--with-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        base = f"http://127.0.0.1:{env['PORT']}"
        _open(urllib.request.build_opener(), f"{base}/login/", time.monotonic() + 60)
        workers = _children(server.pid)
        assert len(workers) == 1

        server.terminate()
        assert server.wait(timeout=20) == 0
        _wait_for(lambda: not Path(f"/proc/{workers[0]}").exists(), what="the worker to stop")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        for pid in workers:
            if Path(f"/proc/{pid}").exists():
                os.kill(pid, signal.SIGKILL)
