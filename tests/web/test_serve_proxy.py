"""`grassroots serve` behind a reverse proxy: the options reach waitress, waitress takes the
client's address from the trusted proxy only, and the rate limits count by that address."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
import waitress
from click.testing import CliRunner
from django.core.handlers.wsgi import WSGIRequest
from django.test import Client, RequestFactory
from waitress.adjustments import Adjustments
from waitress.server import create_server

from grassroots.cli.main import cli
from grassroots.web import run
from grassroots.web.people.ratelimit import LOGIN_LINKS_PER_IP, client_ip
from tests.web.test_settings import _run

PROXY = "10.0.0.2"
CLIENT = "203.0.113.9"
SPOOFED = "198.51.100.66"
# The variables the options read, unset unless a test sets them.
PROXY_ENV = ("TRUSTED_PROXY", "TRUSTED_PROXY_COUNT", "TRUSTED_PROXY_HEADERS", "URL_SCHEME")


def _serve_options(
    monkeypatch: pytest.MonkeyPatch, args: list[str], env: Mapping[str, str] | None = None
) -> tuple[int, str, dict[str, Any]]:
    """Run ``grassroots serve`` with waitress replaced: the exit code, the output, and the
    keyword arguments waitress would have been given."""
    captured: dict[str, Any] = {}

    def serve(app: object, **kwargs: Any) -> None:
        captured.update(kwargs)

    monkeypatch.setattr(waitress, "serve", serve)
    monkeypatch.setattr(run, "site_migrate", lambda: None)
    environment: dict[str, str | None] = dict.fromkeys(PROXY_ENV)
    environment |= dict(env or {})
    result = CliRunner().invoke(cli, ["serve", *args], env=environment)
    return result.exit_code, result.output, captured


def test_serve_without_proxy_passes_no_proxy_options(monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, options = _serve_options(monkeypatch, ["--port", "8123"])

    assert code == 0
    assert options == {
        "host": "127.0.0.1",
        "port": 8123,
        "threads": 8,
        "ident": "grassroots",
        "url_scheme": "http",
        "clear_untrusted_proxy_headers": True,
    }


def test_serve_trusted_proxy_trusts_forwarded_for_and_proto(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, output, options = _serve_options(monkeypatch, ["--trusted-proxy", "127.0.0.1"])

    assert code == 0
    assert options["trusted_proxy"] == "127.0.0.1"
    assert options["trusted_proxy_count"] == 1
    assert options["trusted_proxy_headers"] == {"x-forwarded-for", "x-forwarded-proto"}
    assert options["clear_untrusted_proxy_headers"] is True
    assert "Believing x-forwarded-for, x-forwarded-proto from the proxy at 127.0.0.1" in output
    Adjustments(**options)  # waitress accepts them, without a warning


def test_serve_proxy_options_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "TRUSTED_PROXY": PROXY,
        "TRUSTED_PROXY_COUNT": "2",
        "TRUSTED_PROXY_HEADERS": "X-Forwarded-For, X-Forwarded-Host x-forwarded-proto",
        "URL_SCHEME": "https",
    }

    code, _, options = _serve_options(monkeypatch, [], env)

    assert code == 0
    assert {k: options[k] for k in ("trusted_proxy", "trusted_proxy_count", "url_scheme")} == {
        "trusted_proxy": PROXY,
        "trusted_proxy_count": 2,
        "url_scheme": "https",
    }
    assert options["trusted_proxy_headers"] == {
        "x-forwarded-for",
        "x-forwarded-host",
        "x-forwarded-proto",
    }
    Adjustments(**options)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--trusted-proxy-count", "2"], "has no meaning without --trusted-proxy"),
        (["--trusted-proxy-headers", "x-forwarded-for"], "has no meaning without --trusted-proxy"),
        (["--trusted-proxy", PROXY, "--trusted-proxy-headers", "x-real-ip"], "expected some of"),
        (
            ["--trusted-proxy", PROXY, "--trusted-proxy-headers", "forwarded x-forwarded-for"],
            "not both",
        ),
        (["--url-scheme", "ftp"], "'ftp' is not one of"),
    ],
)
def test_serve_bad_proxy_options_are_usage_errors(
    monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    code, output, options = _serve_options(monkeypatch, args)

    assert code == 2
    assert message in output
    assert options == {}


def _environ_seen(
    monkeypatch: pytest.MonkeyPatch,
    serve_args: list[str],
    *,
    peer: str,
    headers: Iterable[tuple[str, str]] = (),
) -> dict[str, Any]:
    """The WSGI environ the site gets from a waitress built with the options ``grassroots
    serve`` passes, for one request from ``peer`` carrying ``headers``."""
    code, _, options = _serve_options(monkeypatch, serve_args)
    assert code == 0
    seen: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Callable[..., object]) -> list[bytes]:
        seen.update(environ)
        start_response("200 OK", [])
        return []

    server = create_server(app, **(options | {"host": "127.0.0.1", "port": 0}))
    try:
        environ = RequestFactory().post("/login/").environ | {"REMOTE_ADDR": peer}
        for name, value in headers:
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        server.application(environ, lambda *args: None)
    finally:
        server.close()
    return seen


def _client_ip(environ: dict[str, Any]) -> str:
    return client_ip(WSGIRequest(environ))


def test_without_trusted_proxy_a_forwarded_for_header_is_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    environ = _environ_seen(monkeypatch, [], peer=CLIENT, headers=[("X-Forwarded-For", SPOOFED)])

    assert _client_ip(environ) == CLIENT
    assert "HTTP_X_FORWARDED_FOR" not in environ


def test_with_trusted_proxy_the_forwarded_address_is_the_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    args = ["--trusted-proxy", PROXY]
    headers = [("X-Forwarded-For", CLIENT), ("X-Forwarded-Proto", "https")]

    environ = _environ_seen(monkeypatch, args, peer=PROXY, headers=headers)
    other = _environ_seen(
        monkeypatch, args, peer=PROXY, headers=[("X-Forwarded-For", "203.0.113.10")]
    )

    assert _client_ip(environ) == CLIENT
    assert environ["wsgi.url_scheme"] == "https"
    assert WSGIRequest(environ).is_secure()
    assert _client_ip(other) == "203.0.113.10"


def test_with_trusted_proxy_a_client_cannot_prepend_an_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # nginx's $proxy_add_x_forwarded_for appends the address it saw to what the client sent.
    environ = _environ_seen(
        monkeypatch,
        ["--trusted-proxy", PROXY],
        peer=PROXY,
        headers=[("X-Forwarded-For", f"{SPOOFED}, {CLIENT}")],
    )

    assert _client_ip(environ) == CLIENT


def test_with_trusted_proxy_a_client_going_around_it_is_not_believed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    environ = _environ_seen(
        monkeypatch,
        ["--trusted-proxy", PROXY],
        peer=CLIENT,
        headers=[("X-Forwarded-For", SPOOFED), ("X-Forwarded-Proto", "https")],
    )

    assert _client_ip(environ) == CLIENT
    assert environ["wsgi.url_scheme"] == "http"
    assert "HTTP_X_FORWARDED_FOR" not in environ


def test_client_ip_ignores_forwarded_for() -> None:
    request = RequestFactory().post(
        "/login/", REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=SPOOFED, HTTP_X_REAL_IP=SPOOFED
    )

    assert client_ip(request) == CLIENT


@pytest.mark.django_db
def test_login_limit_per_ip_not_escaped_by_a_spoofed_forwarded_for(client: Client) -> None:
    for number in range(LOGIN_LINKS_PER_IP.limit):
        client.post("/login/", {"email": f"person{number}@example.org"}, REMOTE_ADDR=CLIENT)

    response = client.post(
        "/login/",
        {"email": "fresh@example.org"},
        REMOTE_ADDR=CLIENT,
        HTTP_X_FORWARDED_FOR=SPOOFED,
    )

    assert response.status_code == 429


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(None, "('HTTP_X_FORWARDED_PROTO', 'https')", id="production-default"),
        pytest.param("X-Forwarded-Ssl=on", "('HTTP_X_FORWARDED_SSL', 'on')", id="other-header"),
        pytest.param("off", "None", id="off"),
    ],
)
def test_settings_secure_proxy_ssl_header_from_environment(
    tmp_path: Path, value: str | None, expected: str
) -> None:
    env = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "GRASSROOTS_DATA_DIR": str(tmp_path)}
    if value is not None:
        env["SECURE_PROXY_SSL_HEADER"] = value
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"

    result = _run(["-c", code], env, tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_settings_secure_proxy_ssl_header_malformed_refused(tmp_path: Path) -> None:
    env = {"SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto", "GRASSROOTS_DATA_DIR": str(tmp_path)}

    result = _run(["-c", "import django; django.setup()"], env, tmp_path)

    assert result.returncode != 0
    assert "expected Header-Name=value, or off" in result.stderr
