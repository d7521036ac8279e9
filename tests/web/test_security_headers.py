"""Every page carries a Content Security Policy that lets only the site's own scripts run."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _policy(client: Client, path: str) -> dict[str, str]:
    response = client.get(path)
    assert response.status_code == 200
    directives = (part.strip() for part in response["Content-Security-Policy"].split(";"))
    return dict(d.split(" ", 1) for d in directives if d)


@pytest.mark.parametrize("path", ["/", "/join/", "/login/", "/events/", "/elections/"])
def test_pages_allow_only_the_sites_own_scripts(client: Client, path: str) -> None:
    policy = _policy(client, path)
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"


def test_no_page_template_has_an_inline_script() -> None:
    # The policy would block one: scripts live in static files.
    from pathlib import Path

    import grassroots.web

    root = Path(grassroots.web.__file__).parent
    inline = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        for line in path.read_text(encoding="utf-8").splitlines()
        if "<script" in line and "src=" not in line
    ]
    assert inline == []
