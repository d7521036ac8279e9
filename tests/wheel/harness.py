"""Build the wheel, install it without extras into a fresh virtual environment, and serve the
site from it in an empty directory, as an operator would (docs/operations.md): ``grassroots
serve --with-worker``, the server and the worker that sends its email.

Nothing here imports the checkout's site: the installed site runs in its own processes, with
an environment made from scratch (production settings: a secret key of its own, no
``GRASSROOTS_DEV``), so what passes here passes for ``pip install grassroots``.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "grassroots"


def _checkout_files(*paths: str) -> list[Path]:
    """The checkout's files (under ``paths``), as a fresh clone with the working changes
    would have them: tracked and new files, not ignored ones (build/, *.egg-info, caches)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *paths],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split("\0")
    except (OSError, subprocess.CalledProcessError):
        # Not a git checkout (an unpacked sdist): every file but what builds and runs leave.
        skipped = {".git", ".venv", "build", "dist", "var", "__pycache__", ".pytest_cache"}
        roots = [ROOT / p for p in paths] or [ROOT]
        return [
            f
            for root in roots
            for f in root.rglob("*")
            if f.is_file()
            and not skipped & set(f.relative_to(ROOT).parts)
            and not any(part.endswith(".egg-info") for part in f.parts)
        ]
    return [ROOT / p for p in listed if p and (ROOT / p).is_file()]


def wheel_build(dest: Path) -> Path:
    """``pip wheel`` (no dependencies) of a clean copy of the checkout: the wheel PyPI would get.

    Built from a copy, because a build in the checkout reuses what an earlier build left in
    build/ and the editable install's egg-info, which can hide a file missing from the
    package data.
    """
    source = dest / "source"
    for path in _checkout_files():
        target = source / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(dest),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dest.glob("grassroots-*.whl")
    return wheel


def package_files() -> set[str]:
    """The files under src/grassroots, as paths in the wheel (``grassroots/...``)."""
    return {
        p.relative_to(SOURCE.parent).as_posix()
        for p in _checkout_files("src/grassroots")
        if "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def wheel_files(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return {name for name in archive.namelist() if not name.endswith("/")}


def venv_install(wheel: Path, venv: Path) -> Path:
    """A fresh virtual environment with the wheel and its runtime dependencies (no extras);
    its ``bin`` directory."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    bin_dir = venv / "bin"
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    return bin_dir


def production_env(bin_dir: Path, **extra: str) -> dict[str, str]:
    """An operator's environment, made from scratch: the venv first on PATH, a secret key of
    its own, and plain HTTP on 127.0.0.1 (no TLS proxy in front, so no redirect to HTTPS)."""
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108 (a fallback HOME, not a temp file)
        "LANG": "C.UTF-8",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "false",
    }
    return env | extra


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, *, timeout: float = 10) -> tuple[int, str, bytes]:
    """GET ``url`` (redirects followed): status, content type and body, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (local http)
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read()


@dataclass
class InstalledSite:
    """The installed site, served by ``grassroots serve --with-worker`` from ``directory``.

    The server and its worker write to one log: the console email backend (no EMAIL_HOST)
    prints each email there when the worker sends it."""

    url: str
    directory: Path
    bin_dir: Path
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def grassroots(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run the installed ``grassroots`` command in the site's directory."""
        return subprocess.run(
            [str(self.bin_dir / "grassroots"), *args],
            cwd=self.directory,
            env=self.env if env is None else env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def emailed(self, email: str, *, since: int) -> list[str]:
        """The bodies' lines of the emails sent to ``email`` after the log's first ``since``
        characters, one string per email."""
        # Each email the console backend prints ends with a line of 79 dashes.
        emails = self.log()[since:].split("-" * 79)
        return [m for m in emails if re.search(r"^To: " + re.escape(email) + r"$", m, re.M)]

    def link(self, email: str, path: str, *, since: int, timeout: float = 20) -> str:
        """The last link whose path starts with ``path`` that the site emailed to ``email``
        after the log's first ``since`` characters, waiting for the worker to send it."""
        deadline = time.monotonic() + timeout
        pattern = re.compile(r"^(https?://[^/\s]+" + re.escape(path) + r"\S*)$", re.M)
        while time.monotonic() < deadline:
            links = [
                found for m in self.emailed(email, since=since) for found in pattern.findall(m)
            ]
            if links:
                return str(links[-1])
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(
            f"no {path} link emailed to {email} in the site's log:\n{self.log()[since:]}"
        )

    def login_link(self, email: str, *, since: int, timeout: float = 20) -> str:
        """The login link the site last emailed to ``email`` after the log's first ``since``
        characters."""
        return self.link(email, "/login/link/", since=since, timeout=timeout)

    def worker_pids(self) -> list[int]:
        """The server's child processes: the worker ``--with-worker`` started."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:  # the server has stopped
            return []


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    try:  # a zombie (stopped, not yet reaped by anyone) is not running
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _stop(site: InstalledSite) -> None:
    """Ctrl-C, as docs/operations.md says: the server stops, then stops its worker, which
    finishes its running task first. Whatever is left after that is killed, and reported."""
    workers = site.worker_pids()
    if site.process.poll() is None:
        site.process.send_signal(signal.SIGINT)
    try:
        site.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        site.process.kill()
        site.process.wait()
        raise AssertionError(f"grassroots serve did not stop on Ctrl-C:\n{site.log()}") from None
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if _running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    if left:
        raise AssertionError(f"the worker (pid {left}) outlived grassroots serve:\n{site.log()}")


@contextmanager
def installed_site(workdir: Path) -> Iterator[InstalledSite]:
    """Build and install the wheel under ``workdir``, load the demo data and serve the site
    with its worker from an empty directory there; stop both on exit."""
    wheel = wheel_build(workdir / "dist")
    bin_dir = venv_install(wheel, workdir / "venv")
    directory = workdir / "site"
    directory.mkdir()
    env = production_env(bin_dir, PORT=str(free_port()))
    demo = subprocess.run(
        [str(bin_dir / "grassroots"), "demo"],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if demo.returncode != 0:
        raise AssertionError(f"grassroots demo failed:\n{demo.stdout}\n{demo.stderr}")
    log_path = workdir / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(bin_dir / "grassroots"), "serve", "--with-worker"],
            cwd=directory,
            env=env | {"PYTHONUNBUFFERED": "1"},  # each email in the log as it is sent
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    site = InstalledSite(
        url=f"http://127.0.0.1:{env['PORT']}",
        directory=directory,
        bin_dir=bin_dir,
        env=env,
        log_path=log_path,
        process=process,
    )
    try:
        _wait_until_serving(site)
        yield site
    finally:
        _stop(site)


def _wait_until_serving(site: InstalledSite, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if site.process.poll() is not None:
            raise AssertionError(
                f"grassroots serve exited {site.process.returncode}:\n{site.log()}"
            )
        try:
            fetch(site.url + "/", timeout=2)
        except OSError:
            time.sleep(0.3)
            continue
        return
    raise AssertionError(f"grassroots serve did not answer in {timeout} s:\n{site.log()}")
