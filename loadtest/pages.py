"""What the load test reads from the site's pages and emails, and how it sums up its timings.

Plain functions with no network and no Django, so the tests check them quickly
(tests/test_loadtest.py) and the driver (``loadtest/run.py``) stays a thin loop around them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie

RECEIPT = re.compile(r'id="receipt"[^>]*>\s*([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\s*<')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
OPTION_INPUT = re.compile(r'<input[^>]* name="(option_\d+)"')
VOTE_LINK = re.compile(r"https?://[^\s/]+/ballots/([\w-]+)/vote/([\w-]+)/")


class _FormParser(HTMLParser):
    """Each ``<form>``'s fields as a browser would submit them untouched: inputs with their
    values (checked boxes only), each select's selected (or first) option."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(fields={}, names=[], id=a.get("id", ""))
            self.forms.append(self._form)
            return
        form = self._form
        name = a.get("name", "")
        if form is None:
            return
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                return
            form.names.append(name)
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            form.fields[name] = a.get("value", "on" if kind in {"checkbox", "radio"} else "")
        elif tag == "select" and name:
            form.names.append(name)
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a and not self._select_chosen:
                form.fields[self._select] = value
                self._select_chosen = True
        elif tag == "textarea" and name:
            form.names.append(name)
            form.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None and self._form is not None:
            if not self._select_chosen and self._select_first is not None:
                self._form.fields[self._select] = self._select_first
            self._select = None
        elif tag == "form":
            self._form = None


@dataclass
class Form:
    """A page's form: the values it would submit, and every field's name in page order."""

    fields: dict[str, str]
    names: list[str]
    id: str = ""

    @property
    def csrf(self) -> str:
        return self.fields.get("csrfmiddlewaretoken", "")

    @property
    def options(self) -> list[str]:
        """The voting form's preference boxes, one per option (``option_<id>``)."""
        return [name for name in self.names if name.startswith("option_")]


def form_parse(html: str, *, form_id: str = "") -> Form:
    """The form of ``html`` with id ``form_id`` (the last form, when not given), or an empty
    one when there is none: the site's menu has a log-out form before the page's own."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    for form in reversed(parser.forms):
        if not form_id or form.id == form_id:
            return form
    return Form(fields={}, names=[])


def vote_form_parse(html: str) -> tuple[str, list[str]]:
    """The voting page's CSRF token and its preference boxes (``option_<id>``), in page order.

    A quicker reading than ``form_parse`` for the one page the load test reads thousands of
    times a second, on the same two cores as the server."""
    csrf = CSRF_INPUT.search(html)
    return (csrf.group(1) if csrf else "", OPTION_INPUT.findall(html))


def receipt_parse(html: str) -> str | None:
    """The receipt code shown on the receipt page, or None if the page shows none."""
    found = RECEIPT.search(html)
    return found.group(1) if found else None


def vote_link_parse(text: str) -> tuple[str, str] | None:
    """``(slug, token)`` of the voting link in an email's text, or None."""
    found = VOTE_LINK.search(text)
    return (found.group(1), found.group(2)) if found else None


def cookies_parse(set_cookie_headers: Iterable[str]) -> dict[str, str]:
    """Name to value of the cookies set by ``Set-Cookie`` headers; a deleted cookie (empty
    value, as Django's ``delete_cookie`` sends) maps to ''."""
    jar: dict[str, str] = {}
    for header in set_cookie_headers:
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            jar[name] = morsel.value
    return jar


def cookie_header(jar: dict[str, str]) -> str:
    """The ``Cookie`` header a browser sends for ``jar`` (empty values left out)."""
    return "; ".join(f"{name}={value}" for name, value in jar.items() if value)


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0 to 100) by nearest rank; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Step:
    """One request of the voting path: how long each answer took, and what went wrong."""

    name: str
    seconds: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def ok(self, seconds: float) -> None:
        self.seconds.append(seconds)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def summary(self, duration: float) -> dict[str, float | int | str]:
        return {
            "step": self.name,
            "ok": len(self.seconds),
            "errors": sum(self.errors.values()),
            "per_second": len(self.seconds) / duration if duration > 0 else math.nan,
            "p50_ms": 1000 * percentile(self.seconds, 50),
            "p90_ms": 1000 * percentile(self.seconds, 90),
            "p99_ms": 1000 * percentile(self.seconds, 99),
            "max_ms": 1000 * max(self.seconds) if self.seconds else math.nan,
        }


def table(rows: Sequence[dict[str, float | int | str]]) -> str:
    """The step summaries as a Markdown table."""
    lines = [
        "| step | ok | errors | per second | p50 ms | p90 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines.extend(
        f"| {row['step']} | {row['ok']} | {row['errors']} | {row['per_second']:.1f} "
        f"| {row['p50_ms']:.1f} | {row['p90_ms']:.1f} | {row['p99_ms']:.1f} "
        f"| {row['max_ms']:.1f} |"
        for row in rows
    )
    return "\n".join(lines)


@dataclass
class Verification:
    """What the database holds after the run, against what the voters were told."""

    acknowledged: int
    distinct_acknowledged: int
    stored: int
    acknowledged_stored_once: int
    used_credentials: int

    @property
    def problems(self) -> list[str]:
        found = []
        if self.distinct_acknowledged != self.acknowledged:
            found.append(f"{self.acknowledged - self.distinct_acknowledged} receipt codes repeat")
        if self.acknowledged_stored_once != self.distinct_acknowledged:
            missing = self.distinct_acknowledged - self.acknowledged_stored_once
            found.append(f"{missing} acknowledged receipts are not stored exactly once")
        if self.stored != self.acknowledged:
            found.append(f"{self.stored} ballots stored for {self.acknowledged} receipts")
        if self.used_credentials != self.stored:
            found.append(f"{self.used_credentials} credentials used for {self.stored} ballots")
        return found


def verify(
    acknowledged: Sequence[str], stored_counts: dict[str, int], used_credentials: int
) -> Verification:
    """Compare the receipts the voters got with the ballots stored (receipt code to how many
    rows carry it) and the credentials marked used."""
    distinct = set(acknowledged)
    return Verification(
        acknowledged=len(acknowledged),
        distinct_acknowledged=len(distinct),
        stored=sum(stored_counts.values()),
        acknowledged_stored_once=sum(1 for code in distinct if stored_counts.get(code) == 1),
        used_credentials=used_credentials,
    )
