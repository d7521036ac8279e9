"""The site as ``pip install grassroots`` gives it: every file in the wheel, the demo loaded and
the site served from an empty directory with production settings, every main page, every
static file they use, and the pages they link to, answering with real content."""

from __future__ import annotations

import html.parser
import urllib.parse
from pathlib import Path

import pytest

from tests.wheel.harness import InstalledSite, fetch, package_files, production_env, wheel_files

pytestmark = pytest.mark.wheel

# The main menu's pages (templates/base.html), the history page and the login page, each with a
# text only the real page has.
MAIN_PAGES = {
    "/": 'id="supporter-count"',
    "/join/": "Join the appeal",
    "/clps/": "Leeds Central and Headingley",
    "/events/": "<h1",
    "/organisations/": "<h1",
    "/committee/": "<h1",
    "/ballots/": "<h1",
    "/elections/": "<h1",
    "/slates/": "<h1",
    "/login/": "<form",
    "/elections/history/": 'id="seats-by-slate"',
}


class _References(html.parser.HTMLParser):
    """The stylesheets, scripts, images and same-site links of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: set[str] = set()
        self.links: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("href"):
            self.assets.add(str(found["href"]))
        elif tag in {"script", "img"} and found.get("src"):
            self.assets.add(str(found["src"]))
        elif tag == "a" and found.get("href"):
            self.links.add(str(found["href"]))


def _references(page: str, body: bytes) -> _References:
    parser = _References()
    parser.feed(body.decode())
    parser.assets = {urllib.parse.urljoin(page, a) for a in parser.assets}
    parser.links = {urllib.parse.urljoin(page, a).split("#")[0] for a in parser.links}
    return parser


def test_wheel_holds_every_file_of_the_package(wheel_path: Path) -> None:
    missing = sorted(package_files() - wheel_files(wheel_path))

    assert missing == []


def test_wheel_holds_the_files_the_site_reads(wheel_path: Path) -> None:
    """The files the issue found missing, named, so the check above cannot pass on an empty
    package list."""
    files = wheel_files(wheel_path)

    for name in [
        "grassroots/web/ballots/static/ballots/rank.js",
        "grassroots/web/ballots/static/ballots/rank.css",
        "grassroots/web/elections/data/nec-clp-2024.json",
        "grassroots/web/templates/base.html",
        "grassroots/web/constituencies/data/constituencies-2024.csv",
    ]:
        assert name in files


def test_installed_site_has_no_development_packages(site: InstalledSite) -> None:
    listed = site.grassroots("--help")
    freeze = site.bin_dir / "python"
    import subprocess

    packages = subprocess.run(
        [str(freeze), "-m", "pip", "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.lower()

    assert listed.returncode == 0
    assert "grassroots==0.1.0" in packages
    # django-stubs-ext is not among them: django-tasks needs it at run time.
    for development in ["django-stubs", "pytest", "mypy", "redis"]:
        assert f"{development}==" not in packages


@pytest.mark.parametrize("path", list(MAIN_PAGES))
def test_installed_site_serves_main_page(site: InstalledSite, path: str) -> None:
    status, kind, body = fetch(site.url + path)

    assert (status, kind.split(";")[0]) == (200, "text/html")
    assert MAIN_PAGES[path] in body.decode()


def test_installed_site_serves_every_static_file_the_main_pages_use(site: InstalledSite) -> None:
    assets: set[str] = set()
    for path in MAIN_PAGES:
        _, _, body = fetch(site.url + path)
        assets |= _references(site.url + path, body).assets
    failed = []
    for asset in sorted(a for a in assets if a.startswith(site.url)):
        status, _, content = fetch(asset)
        if status != 200 or not content:
            failed.append(f"{asset}: {status}, {len(content)} bytes")

    assert any(a.endswith(".css") for a in assets)
    assert any(a.endswith(".js") for a in assets)
    assert failed == []


def test_installed_site_serves_every_static_file_in_the_package(site: InstalledSite) -> None:
    """Static files only some pages use (the ballot's rank.js) are served too."""
    statics = [
        name.split("/static/", 1)[1]
        for name in package_files()
        if "/static/" in name and name.startswith("grassroots/web/")
    ]
    failed = []
    for name in sorted(statics):
        status, _, content = fetch(f"{site.url}/static/{name}")
        if status != 200 or not content:
            failed.append(f"{name}: {status}")

    assert "ballots/rank.js" in statics
    assert failed == []


def test_installed_site_pages_linked_from_the_main_pages_answer(site: InstalledSite) -> None:
    """One step further than the menu: every same-site page the main pages link to answers
    (a page that needs a login sends to the login page, which answers too)."""
    links: set[str] = set()
    for path in MAIN_PAGES:
        _, _, body = fetch(site.url + path)
        links |= _references(site.url + path, body).links
    links = {
        link
        for link in links
        if link.startswith(site.url + "/")
        and not link.startswith((site.url + "/admin/", site.url + "/logout/"))
    }
    failed = []
    for link in sorted(links):
        status, _, _ = fetch(link)
        if status != 200:
            failed.append(f"{link}: {status}")

    assert len(links) > len(MAIN_PAGES)
    assert failed == []


def test_installed_history_page_shows_every_year(site: InstalledSite) -> None:
    _, _, body = fetch(site.url + "/elections/history/")
    text = body.decode()

    for year in ["2018", "2020", "2022", "2024"]:
        assert f"<h2>{year}</h2>" in text
    assert "Centre-Left Grassroots Alliance (CLGA)" in text


def test_installed_serve_without_secret_key_refuses_to_start(site: InstalledSite) -> None:
    env = production_env(site.bin_dir)
    del env["SECRET_KEY"]

    result = site.grassroots("serve", "--port", "1", env=env)

    assert result.returncode == 1
    assert "grassroots: error: SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr
