"""Representatives' reports: publishing with votes, sanitised Markdown, following, the email to
followers (and to nobody else), the Atom feed, and the page of votes over time."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from grassroots.web.audit.models import AuditEntry
from grassroots.web.constituencies.models import Constituency
from grassroots.web.errors import DomainError
from grassroots.web.mail.models import Email
from grassroots.web.people.models import Topic, Unsubscription
from grassroots.web.people.roles import Role
from grassroots.web.reports import services
from grassroots.web.reports.markdown import markdown_html
from grassroots.web.reports.models import Follow, Report, Vote
from tests.web.factories import (
    organisation_create,
    representative_create,
    role_holder_create,
    supporter_create,
)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
MET = datetime.date(2031, 3, 4)


@pytest.fixture
def organiser() -> Any:
    return role_holder_create(Role.ORGANISER)


@pytest.fixture
def reporter(organiser: Any) -> Any:
    return services.reporter_create(
        actor=organiser, name="Nina Exec", role="Member of the party's executive"
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _publish_form(**overrides: str) -> dict[str, str]:
    data = {
        "meeting": "National Executive Committee",
        "met_on": "2024-03-04",
        "decisions": "The conference timetable was agreed.",
        "votes": "Rule change 4 | against\nTimetable | for\nBudget | abstain",
        "body": "I spoke **against** the rule change. <script>alert(1)</script>",
    }
    data.update(overrides)
    return data


def test_an_organiser_publishes_a_report_with_its_votes_in_order(
    organiser: Any, reporter: Any
) -> None:
    response = _client(organiser).post(
        f"/representatives/{reporter.slug}/reports/new/", _publish_form()
    )

    report = Report.objects.get()
    assert response["Location"] == f"/representatives/nina-exec/reports/{report.pk}/"
    assert [(v.item, v.vote) for v in report.votes.all()] == [
        ("Rule change 4", Vote.AGAINST),
        ("Timetable", Vote.FOR),
        ("Budget", Vote.ABSTAIN),
    ]
    page = Client().get(response["Location"]).content.decode()
    assert "I spoke <strong>against</strong> the rule change." in page
    assert "<script>alert(1)</script>" not in page
    assert AuditEntry.objects.filter(action="report.publish").count() == 1


@pytest.mark.parametrize(
    ("votes", "message"),
    [
        ("Motion 1 | for\nMotion 2 | maybe", "Line 2: “maybe” is not a vote"),
        ("Motion 1 for", "Line 1: write the item, a bar and the vote"),
        (" | for", "Line 1: write the item, a bar and the vote"),
    ],
)
def test_a_wrong_vote_line_is_refused_with_its_line(
    organiser: Any, reporter: Any, votes: str, message: str
) -> None:
    response = _client(organiser).post(
        f"/representatives/{reporter.slug}/reports/new/", _publish_form(votes=votes)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["votes"][0].startswith(message)
    assert Report.objects.count() == 0


def test_a_report_on_a_future_meeting_is_refused(organiser: Any, reporter: Any) -> None:
    with pytest.raises(DomainError) as refused:
        services.report_publish(
            actor=organiser,
            reporter=reporter,
            meeting="Next meeting",
            met_on=datetime.date.today() + datetime.timedelta(days=2),
            decisions="Nothing yet.",
        )

    assert refused.value.field == "met_on"


def test_followers_get_each_report_by_email_and_nobody_else(
    organiser: Any,
    reporter: Any,
    clp: Constituency,
    django_capture_on_commit_callbacks: Any,
) -> None:
    follower = supporter_create(clp=clp, name="Fay Follower")
    stopped = supporter_create(clp=clp)
    bystander = supporter_create(clp=clp)
    _client(follower.user).post(f"/representatives/{reporter.slug}/follow/", {"action": "follow"})
    services.reporter_follow(user=stopped.user, reporter=reporter)
    Unsubscription.objects.create(user=stopped.user, topic=Topic.REPORTS)

    with django_capture_on_commit_callbacks(execute=True):
        _client(organiser).post(f"/representatives/{reporter.slug}/reports/new/", _publish_form())

    [message] = mail.outbox
    assert message.to == [follower.user.email]
    assert message.subject == "Report from Nina Exec: National Executive Committee"
    assert "- Rule change 4: Against" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not Email.objects.filter(to=bystander.user.email).exists()


def test_unfollowing_stops_the_emails(
    organiser: Any, reporter: Any, clp: Constituency, django_capture_on_commit_callbacks: Any
) -> None:
    follower = supporter_create(clp=clp)
    client = _client(follower.user)
    client.post(f"/representatives/{reporter.slug}/follow/", {"action": "follow"})
    client.post(f"/representatives/{reporter.slug}/follow/", {"action": "unfollow"})

    with django_capture_on_commit_callbacks(execute=True):
        _client(organiser).post(f"/representatives/{reporter.slug}/reports/new/", _publish_form())

    assert Follow.objects.count() == 0
    assert mail.outbox == []


def test_an_unconfirmed_supporter_cannot_follow(reporter: Any, clp: Constituency) -> None:
    person = supporter_create(clp=clp, verified=False)

    response = _client(person.user).post(
        f"/representatives/{reporter.slug}/follow/", {"action": "follow"}
    )

    assert response.status_code == 404
    assert Follow.objects.count() == 0


def test_the_atom_feed_parses_and_holds_each_report(
    client: Client, organiser: Any, reporter: Any
) -> None:
    for day, meeting in ((1, "January meeting"), (5, "February meeting")):
        services.report_publish(
            actor=organiser,
            reporter=reporter,
            meeting=meeting,
            met_on=datetime.date(2024, 2, day),
            decisions="Agreed.",
            votes=[("Motion", Vote.FOR)],
            body="A *short* report.",
        )

    response = client.get(f"/representatives/{reporter.slug}/reports.atom")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)  # noqa: S314 (the site's own feed, in a test)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Reports from Nina Exec"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "February meeting (5 February 2024)",
        "January meeting (1 February 2024)",
    ]
    content = entries[0].find(f"{ATOM}content")
    assert content is not None
    assert content.get("type") == "html"
    assert "<em>short</em>" in (content.text or "")
    assert entries[0].findtext(f"{ATOM}id", "").startswith("http://testserver/representatives/")


def test_the_page_lists_reports_and_votes_over_time(
    client: Client, organiser: Any, reporter: Any
) -> None:
    services.report_publish(
        actor=organiser,
        reporter=reporter,
        meeting="Old meeting",
        met_on=datetime.date(2023, 1, 1),
        decisions="Agreed.",
        votes=[("Old motion", Vote.ABSENT)],
    )
    services.report_publish(
        actor=organiser,
        reporter=reporter,
        meeting="New meeting",
        met_on=datetime.date(2024, 1, 1),
        decisions="Agreed.",
        votes=[("New motion", Vote.FOR)],
    )

    page = client.get(f"/representatives/{reporter.slug}/").content.decode()

    assert page.index("New motion") < page.index("Old motion")
    assert "Absent" in page
    assert "0 followers" in page


def test_the_representative_with_a_linked_seat_publishes_their_own_report(
    organiser: Any, clp: Constituency
) -> None:
    seat_holder = supporter_create(clp=clp, name="Rita Rep")
    seat = representative_create(organisation=organisation_create(), supporter=seat_holder)
    reporter = services.reporter_create(
        actor=organiser, name="Rita Rep", role="Committee representative", representative=seat
    )
    someone_else = supporter_create(clp=clp)

    refused = _client(someone_else.user).get(f"/representatives/{reporter.slug}/reports/new/")
    own = _client(seat_holder.user).post(
        f"/representatives/{reporter.slug}/reports/new/", _publish_form()
    )

    assert refused.status_code == 404
    assert own.status_code == 302
    assert Report.objects.get().published_by == seat_holder.user


def test_markdown_keeps_links_and_drops_scripts_and_handlers() -> None:
    html = markdown_html(
        '[site](https://example.org) [bad](javascript:alert(1)) <img src=x onerror="x()">'
    )

    assert '<a href="https://example.org" rel="nofollow noopener">site</a>' in html
    assert 'href="javascript' not in html
    assert "<img" not in html  # shown as text, never as a tag


def test_follows_are_in_the_export_and_go_with_erasure(reporter: Any, clp: Constituency) -> None:
    from grassroots.web.people.selectors import person_export
    from grassroots.web.people.services import person_erase

    person = supporter_create(clp=clp)
    services.reporter_follow(user=person.user, reporter=reporter)

    exported = person_export(person=person.user)["following_representatives"]
    person_erase(person=person.user)

    assert [row["representative"] for row in exported] == ["Nina Exec"]
    assert Follow.objects.count() == 0


def test_the_list_of_representatives_takes_a_fixed_number_of_queries(
    client: Client, organiser: Any, django_assert_num_queries: Any
) -> None:
    for name in ("A Rep", "B Rep", "C Rep"):
        services.reporter_create(actor=organiser, name=name, role="Executive")

    with django_assert_num_queries(1):
        response = client.get("/representatives/")

    assert response.content.decode().count("(0 reports)") == 3
