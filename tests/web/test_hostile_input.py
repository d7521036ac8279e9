"""Hostile input never gives a server error.

A NUL character (``%00``) anywhere in the address, query string, form or cookies is refused
with a 400 before it can reach the database (PostgreSQL refuses NUL in text). Then every page
of the demo site, fetched with hostile query strings, and every form on it, submitted with
hostile values, answers below 500. The pages' addresses come from the URL patterns themselves,
filled with the demo's objects, so a new page is tried without anyone adding it here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from grassroots.web.alliance.models import Organisation
from grassroots.web.ballots.models import Ballot
from grassroots.web.demo import demo_create
from grassroots.web.elections.models import PartyElection
from grassroots.web.events.models import Event
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role
from tests.web.factories import role_holder_create, signup_data

pytestmark = pytest.mark.django_db

HUGE = "9" * 30  # past 2**63, the widest integer PostgreSQL stores
LONG = "x" * 200_000

HOSTILE_QUERIES = [
    f"q={HUGE}&page={HUGE}&kind={HUGE}&nation={HUGE}&region={HUGE}&format=json&run=1",
    f"q={LONG}&region={LONG}&nation={LONG}&kind={LONG}",
    "q=-1&page=-1&kind=1e999&region=NaN&nation=%ff%fe&format=csv",
    "%ED%A0%80=%ED%A0%80&q=%ED%A0%80&region=%C0%AF",
    "q=1&q=2&region=a&region=b&sesame=%3Cscript%3E&next=//evil.example",
]

# Values a form field might be given: each is sent in every field of a form at once.
DIGITS = "9" * 5000  # past the 4,300 digits Python reads as an integer
HOSTILE_VALUES = [
    HUGE,
    "-" + HUGE,
    DIGITS,
    f"min F={DIGITS}",
    f"Unite = {DIGITS}",
    "1e999",
    "NaN",
    "2026-13-45",
    "x" * 60_000,  # past SQLite's longest LIKE pattern
    " ",
    "<b>",
    "\u202e",
]
# Forms not submitted, so the administrator stays logged in for the rest of the run.
KEEP_SESSION = ("/logout/", "/me/erase/")
HOSTILE_FILES = [
    b"\x00",
    b"\xff\xfe\x00",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"title": "\\u0000", "candidates": ["\\ud800"], "elected": [[1]], "stages": 1}',
    b"clp,candidate,date\n" + b'"' + b"x" * 140_000 + b'",a,2026-01-01\n',
]


@pytest.mark.parametrize(
    "url",
    [
        "/events/?region=%00",
        "/clps/?q=%00",
        "/events/clp/E14%00.ics",
        "/clps/?nation=Wales%00",
        "/events/?kind=%00",
        "/clps/?%00=1",
        "/organisations/%00/",
    ],
)
def test_nul_in_address_or_query_is_refused_with_400(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_nul_in_a_form_is_refused_and_nothing_stored(client: Client) -> None:
    response = client.post("/join/", signup_data(name="Nia\x00 Evans"))

    assert response.status_code == 400
    assert "the form holds a NUL character" in response.content.decode()
    assert not User.objects.exists()


def test_nul_in_the_session_cookie_is_refused(client: Client) -> None:
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"

    response = client.get("/me/")

    assert response.status_code == 400


def test_address_without_nul_is_served(client: Client) -> None:
    assert client.get("/clps/?q=Leeds").status_code == 200


def test_speaker_id_past_64_bits_is_an_invalid_choice(client: Client) -> None:
    """SQLite cannot bind such an id: Django's ``id IN (...)`` check stopped with a 500."""
    client.force_login(role_holder_create(Role.ORGANISER))

    response = client.post("/events/new/", {"title": "Meeting", "speakers": [HUGE]})

    assert response.status_code == 400
    assert f"Select a valid choice. {HUGE} is not one of the available choices." in (
        response.content.decode()
    )


def test_ballot_quota_of_thousands_of_digits_is_refused(client: Client) -> None:
    """Python refuses to read an integer of more than 4,300 digits: the form stopped with a
    500."""
    client.force_login(role_holder_create(Role.ADMINISTRATOR))

    response = client.post("/ballots/new/", {"quotas": f"min F={DIGITS}"})

    assert response.status_code == 400
    assert "write min F=4 or max M=5." in response.content.decode()


def test_clp_name_longer_than_any_clp_is_not_a_clp(client: Client) -> None:
    """SQLite refuses a LIKE pattern past 50,000 characters: the lookup stopped with a 500."""
    client.force_login(role_holder_create(Role.ADMINISTRATOR))

    response = client.post(
        "/organise/organisations/new/", {"name": "Group", "kind": "local", "clps": "x" * 60_000}
    )

    assert response.status_code == 400
    assert "Not a CLP: xxxx" in response.content.decode()
    assert not Organisation.objects.exists()


def _patterns(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif not (prefix + str(pattern.pattern)).startswith("admin/"):
            yield prefix + str(pattern.pattern)


def _demo_values() -> dict[str, list[str]]:
    election = PartyElection.objects.get(slug="nec-demo")
    section = election.sections.first()
    assert section is not None
    ballot = Ballot.objects.order_by("pk").first()
    assert ballot is not None
    return {
        "election_slug": [election.slug],
        "section_slug": [section.slug],
        "slug": [
            ballot.slug,
            Organisation.objects.order_by("pk").values_list("slug", flat=True)[0],
            "no-such-thing",
        ],
        "ballot_slug": [ballot.slug],
        "gss_code": ["E14001339", quote("E14%"), quote("' OR 1=1 --")],
        "token": ["not-a-token", quote(LONG[:3000])],
        "action": ["open", "close", "publish", "nonsense"],
        "space": [
            "supporters",
            "org/" + Organisation.objects.order_by("pk").values_list("slug", flat=True)[0],
            "org/no-such-thing",
        ],
        # A sealed ballot's trustee step and file (only its trustees get past the access check).
        "step": ["keys", "mix", "nonsense"],
        "name": ["setup.json", "list.json", quote("../x")],
        "direction": ["up", "down", "sideways"],
    }


def _urls() -> list[str]:
    """Every page of the site, once per demo value for each argument; integer ids are the
    lowest present id and a huge one."""
    values = _demo_values()
    first_event = Event.objects.order_by("pk").values_list("pk", flat=True)[0]
    urls = []
    for pattern in _patterns(get_resolver().url_patterns):
        variants = ["/" + pattern]
        for converter, name in re.findall(r"<(\w+):(\w+)>", pattern):
            choices = [str(first_event), "1", HUGE] if converter == "int" else values[name]
            variants = [
                v.replace(f"<{converter}:{name}>", choice, 1)
                for v in variants
                for choice in choices
            ]
        urls.extend(variants)
    return list(dict.fromkeys(urls))


class _Forms(HTMLParser):
    """The forms of a page: (method, action, field names, file field names)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, list[str], list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((attr.get("method", "get").lower(), attr.get("action", ""), [], []))
        elif tag in {"input", "select", "textarea"} and self.forms and attr.get("name"):
            if attr["name"] == "csrfmiddlewaretoken":
                return
            if attr.get("type") == "file":
                self.forms[-1][3].append(attr["name"])
            else:
                self.forms[-1][2].append(attr["name"])


def _server_errors(client: Client, urls: list[str], *, forms: bool) -> list[str]:
    failures = []
    for url in urls:
        if any(word in url for word in KEEP_SESSION):
            continue
        page = client.get(url)
        if page.status_code >= 500:
            failures.append(f"GET {url}: {page.status_code}")
        for query in HOSTILE_QUERIES:
            response = client.get(f"{url}?{query}")
            if response.status_code >= 500:
                failures.append(f"GET {url}?{query[:60]}: {response.status_code}")
        if not forms or page.status_code != 200 or "html" not in page["Content-Type"]:
            continue
        parser = _Forms()
        parser.feed(page.content.decode())
        for method, action, fields, files in parser.forms:
            target = action or url
            if any(word in target for word in KEEP_SESSION):
                continue
            for i, value in enumerate(HOSTILE_VALUES):
                data: dict[str, object] = dict.fromkeys(fields, value)
                for name in files:
                    content = HOSTILE_FILES[i % len(HOSTILE_FILES)]
                    data[name] = SimpleUploadedFile(f"x{i}.json" if i % 2 else "x.csv", content)
                if method == "post":
                    response = client.post(target, data)
                else:
                    response = client.get(target, {k: v for k, v in data.items() if k not in files})
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {target} ({value[:20]!r}): 500")
    return failures


@pytest.fixture
def demo_urls() -> list[str]:
    demo_create()
    return _urls()


def test_hostile_queries_as_the_public_never_give_a_server_error(demo_urls: list[str]) -> None:
    client = Client(raise_request_exception=False)

    assert _server_errors(client, demo_urls, forms=False) == []


def test_hostile_forms_and_queries_as_an_administrator_never_give_a_server_error(
    demo_urls: list[str], settings: Any
) -> None:
    """An administrator who is also a supporter reaches every page and every form. The
    request size limit is lifted so that every long value reaches its form."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    supporter = Supporter.objects.filter(email_verified_at__isnull=False).order_by("pk").first()
    assert supporter is not None
    supporter.user.is_superuser = True
    supporter.user.is_staff = True
    supporter.user.save()
    client = Client(raise_request_exception=False)
    client.force_login(supporter.user)

    failures = _server_errors(client, demo_urls, forms=True)

    assert failures == []
    assert client.get("/me/").status_code == 200  # still logged in: every form was tried
