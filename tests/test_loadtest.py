"""The load test's reading of pages and emails, its percentiles and its check of the database
(loadtest/pages.py). The load itself is a measurement (``make loadtest``), not a test."""

from __future__ import annotations

import math

import pytest
from loadtest.pages import (
    Step,
    cookie_header,
    cookies_parse,
    form_parse,
    percentile,
    receipt_parse,
    table,
    verify,
    vote_form_parse,
    vote_link_parse,
)

VOTE_PAGE = """
<form method="post" action="/logout/"><input type="hidden" name="csrfmiddlewaretoken"
  value="abc123XYZ"><button type="submit">Log out</button></form>
<form method="post" novalidate id="vote">
  <input type="hidden" name="csrfmiddlewaretoken" value="abc123XYZ">
  <ul class="ranking" role="list" data-ranking>
    <li><label for="id_option_7"><input type="number" name="option_7" inputmode="numeric"
      class="rank" size="3" min="1" max="3" id="id_option_7"> <span>Amina</span></label></li>
    <li><label for="id_option_9"><input type="number" name="option_9" inputmode="numeric"
      class="rank" size="3" min="1" max="3" id="id_option_9"> <span>Brian</span></label></li>
    <li><label for="id_option_8"><input type="number" name="option_8" inputmode="numeric"
      class="rank" size="3" min="1" max="3" id="id_option_8"> <span>Carys</span></label></li>
  </ul>
  <button type="submit" name="go">Cast my vote</button>
</form>
"""


def test_the_voting_page_gives_its_token_and_its_options_in_page_order() -> None:
    assert vote_form_parse(VOTE_PAGE) == ("abc123XYZ", ["option_7", "option_9", "option_8"])
    form = form_parse(VOTE_PAGE)
    assert form.csrf == "abc123XYZ"
    assert form.options == ["option_7", "option_9", "option_8"]
    assert "go" not in form.fields  # buttons are not fields
    assert form_parse(VOTE_PAGE, form_id="vote") == form
    assert form_parse(VOTE_PAGE, form_id="elsewhere").fields == {}


def test_a_page_without_the_form_gives_nothing_to_post() -> None:
    assert vote_form_parse("<p>Open this ballot from your link.</p>") == ("", [])


def test_a_form_submits_what_a_browser_would() -> None:
    form = form_parse(
        '<form><input name="a" value="1"><input type="checkbox" name="b" value="y">'
        '<input type="checkbox" name="c" checked><select name="d"><option value="p">P'
        '<option value="q" selected>Q</select><select name="e"><option value="z">Z</select>'
        "</form>",
        form_id="",
    )
    assert form.fields == {"a": "1", "c": "on", "d": "q", "e": "z"}
    assert form.names == ["a", "b", "c", "d", "e"]


def test_the_receipt_code_is_read_from_the_receipt_page() -> None:
    page = '<p><strong id="receipt" style="font-size:1.6rem">AB2C-DEFG-HJK3</strong></p>'
    assert receipt_parse(page) == "AB2C-DEFG-HJK3"
    assert receipt_parse("<p>Choose at least one option.</p>") is None


def test_the_voting_link_is_read_from_the_email() -> None:
    body = (
        "Hello Voter 1,\n\nYour personal voting link (it works once; do not share it):\n\n"
        "http://127.0.0.1:8123/ballots/load-test/vote/Ab_c-12/\n\nVoting closes ...\n"
    )
    assert vote_link_parse(body) == ("load-test", "Ab_c-12")
    assert vote_link_parse("no link here") is None


def test_cookies_are_kept_as_a_browser_would_send_them() -> None:
    jar = cookies_parse(
        [
            'grassroots_vote_token="abc:1:sig"; HttpOnly; Max-Age=7200; Path=/ballots/x/vote/; '
            "SameSite=Lax; Secure",
            "csrftoken=tok; expires=Wed, 01 Dec 2027 00:00:00 GMT; Path=/; SameSite=Lax",
        ]
    )
    assert jar == {"grassroots_vote_token": "abc:1:sig", "csrftoken": "tok"}
    jar |= cookies_parse(['grassroots_vote_token=""; Max-Age=0; Path=/ballots/x/vote/'])
    assert cookie_header(jar) == "csrftoken=tok"


def test_percentiles_by_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([3.0], 99) == 3
    assert math.isnan(percentile([], 50))


def test_a_step_sums_up_its_timings_and_errors() -> None:
    step = Step("cast")
    for ms in range(1, 101):
        step.ok(ms / 1000)
    step.error("HTTP 500")
    step.error("HTTP 500")
    row = step.summary(duration=10)
    assert row["ok"] == 100
    assert row["errors"] == 2
    assert row["per_second"] == 10
    assert row["p50_ms"] == pytest.approx(50)
    assert row["p99_ms"] == pytest.approx(99)
    assert "| cast | 100 | 2 | 10.0 | 50.0 |" in table([row])


def test_the_check_passes_when_every_receipt_is_stored_once() -> None:
    found = verify(["A", "B"], {"A": 1, "B": 1}, used_credentials=2)
    assert found.problems == []


@pytest.mark.parametrize(
    ("receipts", "stored", "used", "problem"),
    [
        (["A", "B"], {"A": 1}, 1, "1 acknowledged receipts are not stored exactly once"),
        (["A"], {"A": 2}, 2, "1 acknowledged receipts are not stored exactly once"),
        (["A"], {"A": 1, "C": 1}, 2, "2 ballots stored for 1 receipts"),
        (["A", "A"], {"A": 1}, 1, "1 receipt codes repeat"),
        (["A"], {"A": 1}, 2, "2 credentials used for 1 ballots"),
    ],
)
def test_the_check_names_what_is_wrong(
    receipts: list[str], stored: dict[str, int], used: int, problem: str
) -> None:
    assert problem in verify(receipts, stored, used).problems


def test_the_profile_summary_counts_each_stack_in_every_part_it_passes_through() -> None:
    from loadtest.profile import stacks_read, summarise

    raw = [
        "run (waitress/task.py:1);get_response (django/core/handlers/base.py:2);"
        "execute (psycopg/cursor.py:3) 3\n",
        "run (waitress/task.py:1);get_response (django/core/handlers/base.py:2);"
        "render (django/template/base.py:4) 1\n",
        "poll (waitress/wasyncore.py:5) 4\n",
        "not a stack\n",
    ]

    shares = {label: share for share, label in summarise(stacks_read(raw))}

    assert shares["waitress's request handling (the rest: its socket loop)"] == 0.5
    assert shares["the PostgreSQL driver (psycopg), sending and waiting"] == 3 / 8
    assert shares["templates (`django/template`), the pages and the preference boxes"] == 1 / 8
    assert shares["logging"] == 0
