"""The README's first command, end to end: load the demo data, serve the site, fetch pages."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from grassroots.web.people.demo import SUPPORTERS


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str, deadline: float) -> tuple[int, str]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local http)
                return response.status, response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_run_demo_then_serve_answers_with_demo_data(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"GRASSROOTS_DATA_DIR": str(tmp_path / "var"), "PORT": str(_free_port())}
    command = [sys.executable, "-m", "grassroots"]
    subprocess.run([*command, "demo"], env=env, cwd=tmp_path, check=True, capture_output=True)
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [*command, "serve"], env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        base = f"http://127.0.0.1:{env['PORT']}"
        deadline = time.monotonic() + 30
        status, home = _fetch(f"{base}/", deadline)
        join_status, join = _fetch(f"{base}/join/", deadline)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()

    assert status == 200
    assert f'<strong id="supporter-count">{SUPPORTERS}</strong>' in home
    assert join_status == 200
    assert "Join the appeal" in join
    assert '<option value="Leeds Central and Headingley">' in join


def _serve_refused(
    tmp_path: Path, env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    """Start ``grassroots serve`` in a fresh process with ``env`` over the user's environment
    (less the test run's development mode); it must exit, not serve."""
    dropped = {"DATABASE_URL", "SECRET_KEY", "GRASSROOTS_DEV", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    base |= {"GRASSROOTS_DATA_DIR": str(tmp_path / "var"), "PORT": str(_free_port())}
    return subprocess.run(
        [sys.executable, "-m", "grassroots", "serve", *args],
        env=base | env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_serve_without_secret_key_refuses_to_start(tmp_path: Path) -> None:
    result = _serve_refused(tmp_path, {})

    assert result.returncode == 1
    assert "grassroots: error: SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "var" / "grassroots.sqlite3").exists()


def test_serve_with_the_development_key_refuses_to_start(tmp_path: Path) -> None:
    from grassroots.web.settings import DEV_SECRET_KEY

    result = _serve_refused(tmp_path, {"SECRET_KEY": DEV_SECRET_KEY, "DEBUG": "true"})

    assert result.returncode == 1
    assert "grassroots: error: SECRET_KEY is the development key" in result.stderr


def test_serve_in_development_refuses_a_public_address(tmp_path: Path) -> None:
    result = _serve_refused(tmp_path, {"GRASSROOTS_DEV": "1"}, "--host", "0.0.0.0")  # noqa: S104

    assert result.returncode == 1
    assert "development mode (GRASSROOTS_DEV) serves on this machine only" in result.stderr
    assert not (tmp_path / "var" / "grassroots.sqlite3").exists()
