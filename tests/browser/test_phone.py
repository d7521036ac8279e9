"""Every main page, for each role, on a 390 px phone: nothing wider than the screen.

A Chromium context the size of a common phone (390 × 844, mobile, touch) walks the demo
alliance as the public, a supporter, a supporter who belongs to an organisation, an organiser
and an administrator. On each page the document is no wider than the screen, every link and
button of the menu is on the screen, and so is every link and button of the page, except those
inside a table's own scroll box (reached by swiping the table), which must itself fit. A table
that stacks into cards on a phone (``class="stack"``) fits without scrolling.

A phone's browser widens ``window.innerWidth`` to the content when a page overflows (it zooms
out), so the test compares with the phone's width, 390, rather than with ``innerWidth``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from grassroots.web.alliance.models import MembershipStatus, Organisation, OrganisationMembership
from grassroots.web.ballots.models import Ballot
from grassroots.web.campaign.models import Drive, VotePlan
from grassroots.web.candidacy.services import profile_update, questionnaire_create
from grassroots.web.demo import demo_create
from grassroots.web.discussions.demo import GROUP_THREAD, SUPPORTERS_THREAD
from grassroots.web.discussions.models import Thread
from grassroots.web.elections.models import Slate
from grassroots.web.events.models import Event
from grassroots.web.people.models import User
from grassroots.web.policy.services import position_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_data"),
]

PHONE = {"width": 390, "height": 844}
LINK = re.compile(r"https?://\S+/login/link/\?sesame=\S+")
VOTE = re.compile(r"https?://[^/\s]+(/ballots/[\w-]+/vote/[\w-]+/)")
PUBLIC = [
    "/",
    "/join/",
    "/login/",
    "/clps/",
    "/events/",
    "/events/conference/",
    "/speakers/",
    "/organisations/",
    "/committee/",
    "/ballots/",
    "/ballots/demo-slate/",
    "/ballots/demo-slate/result/",
    "/ballots/demo-strategy/",
    "/elections/",
    "/elections/nec-demo/clp/",
    "/elections/nec-demo/clp/result/",
    "/elections/history/",
    "/slates/",
    "/slates/nec-demo/clp/",
    "/slates/nec-demo/clp/nominees/",
    "/representatives/",
    "/affiliate/",
]
SUPPORTER = [
    "/",
    "/me/",
    "/me/organisations/",
    "/me/contacts/",
    "/me/messages/",
    "/groups/request/",
    "/discussions/",
    "/discussions/conduct/",
    "/discussions/supporters/",
    "/discussions/supporters/new/",
    "/me/invite/",
]
ORGANISER = [
    "/organise/",
    "/organise/clps/",
    "/organise/organisations/",
    "/organise/organisations/new/",
    "/organise/group-requests/",
    "/organise/elections/",
    "/organise/elections/new/",
    "/organise/elections/nec-demo/",
    "/organise/elections/nec-demo/edit/",
    "/organise/elections/nec-demo/clp/edit/",
    "/organise/elections/nec-demo/slates/",
    "/organise/elections/nec-demo/clp/candidates/",
    "/organise/elections/nec-demo/clp/nominations/",
    "/organise/elections/nec-demo/clp/result/",
    "/organise/elections/nec-demo/clp/forecast/",
    "/organise/slates/nec-demo/clp/",
    "/organise/slates/nec-demo/clp/nominate/",
    "/ballots/new/",
    "/events/organise/",
    "/events/new/",
    "/speakers/new/",
    "/organise/moderation/",
    "/organise/mailings/",
    "/organise/mailings/new/",
    "/organise/invitations/",
    "/organise/applications/",
    "/organise/representatives/new/",
    "/organise/campaign/",
    "/organise/campaign/plans/new/",
]
ADMINISTRATOR = [
    "/organise/",
    "/organise/rules/",
    "/ballots/demo-slate/manage/",
    "/ballots/demo-strategy/manage/",
]

# What overflows: the document's width, the element reaching furthest right (outside any
# scroll box that scrolls, which clips its content), the menu's items and the page's links and
# buttons that are off the screen (outside a scroll box that scrolls; the box itself must fit).
MEASURE = """(width) => {
  const name = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += '#' + el.id;
    if (typeof el.className === 'string' && el.className.trim()) {
      text += '.' + el.className.trim().split(/\\s+/).join('.');
    }
    const words = (el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 50);
    return words ? `${text} "${words}"` : text;
  };
  const inScrollBox = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const scrolls = up.scrollWidth > up.clientWidth;
      if (scrolls && getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 1 && box.height > 1 && getComputedStyle(el).visibility !== 'hidden';
  };
  const off = (el) => {
    const box = el.getBoundingClientRect();
    return box.left < -0.5 || box.right > width + 0.5;
  };
  let widest = null;
  let right = 0;
  for (const el of document.querySelectorAll('body *')) {
    if (!shown(el) || inScrollBox(el)) continue;
    const r = el.getBoundingClientRect().right;
    if (r > right) { right = r; widest = el; }
  }
  const controls = 'a[href], button, input[type="submit"], summary, [role="button"]';
  return {
    scrollWidth: document.documentElement.scrollWidth,
    widest: widest ? `${name(widest)} reaches ${Math.round(right)} px` : '',
    menu: [...document.querySelectorAll('header nav')].flatMap(
      (nav) => [...nav.querySelectorAll(controls)]
    ).filter((el) => shown(el) && off(el)).map(name),
    stacked: [...document.querySelectorAll('main table.stack')].filter(off).map(name),
    page: [...document.querySelectorAll('main ' + controls + ', main .table-scroll')]
      .filter((el) => shown(el) && !inScrollBox(el) && off(el)).map(name),
  };
}"""


def _log_in(page: Page, site: str, email: str) -> None:
    page.goto(f"{site}/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Email me a link").click()
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None, mail.outbox[-1].body
    page.goto(found.group(0))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(rf"{re.escape(site)}/(me|organise)/$"))


def _overflows(page: Page, path: str) -> list[str]:
    """What on this page does not fit the phone's screen, in words; empty if all fits."""
    width = PHONE["width"]
    found: dict[str, Any] = page.evaluate(MEASURE, width)
    problems = []
    if found["scrollWidth"] > width:
        problems.append(
            f"{path} is {found['scrollWidth']} px wide on a {width} px screen; "
            f"widest: {found['widest']}"
        )
    problems += [f"{path}: menu item off the screen: {item}" for item in found["menu"]]
    problems += [f"{path}: link or button off the screen: {item}" for item in found["page"]]
    problems += [
        f"{path}: a table that stacks is wider than the screen: {t}" for t in found["stacked"]
    ]
    return problems


def _policy_and_candidates_pages() -> tuple[list[str], list[str]]:
    """A policy position and the demo slate ballot's candidates' pages, with long answers:
    the public pages and the organisers' pages to walk."""
    organiser = User.objects.get(email="organiser@example.org")
    position_create(actor=organiser, title="Council homes", body="Build **300,000** a year.")
    ballot = Ballot.objects.get(slug="demo-slate")
    questionnaire = questionnaire_create(
        actor=organiser,
        ballot=ballot,
        title="Questions for the slate",
        questions=["Will you back open selections?", "What is your first priority?"],
    )
    profiles = list(questionnaire.profiles.all())
    questions = list(questionnaire.questions.all())
    for profile in profiles:
        profile_update(
            actor=None,
            profile=profile,
            statement="A long statement. " * 30,
            answers={q.pk: "Yes, and here is why at some length: " * 8 for q in questions},
        )
    public = [
        "/policy/",
        "/candidates/",
        f"/candidates/{questionnaire.pk}/",
        f"/candidates/profile/{profiles[0].pk}/",
    ]
    organisers = [
        "/policy/manage/",
        "/policy/new/",
        "/candidates/new/",
        f"/candidates/{questionnaire.pk}/manage/",
        f"/candidates/profile/{profiles[0].pk}/edit/",
    ]
    return public, organisers


def _reach_pages() -> tuple[list[str], list[str]]:
    """A representative's page and report, a mailing and an application, which the demo
    does not make: their public pages and their organisers' pages."""
    import datetime

    from grassroots.web.affiliation.models import Application
    from grassroots.web.mailings.models import Audience, Mailing
    from grassroots.web.reports.models import Report, Reporter, ReportVote

    reporter = Reporter.objects.create(
        name="Nadia Executive-Member", role="Member of the party's National Executive Committee"
    )
    report = Report.objects.create(
        reporter=reporter,
        meeting="National Executive Committee, special meeting on the conference timetable",
        met_on=datetime.date(2024, 3, 4),
        decisions="The timetable for the conference was agreed.",
        body="I spoke **against** the rule change, and said why at length.",
    )
    ReportVote.objects.create(
        report=report,
        item="Rule change 4: the procedure for selections",
        vote="against",
        position=0,
    )
    mailing = Mailing.objects.create(
        subject="Hustings next week in every region", body="Come along.", audience=Audience.ALL
    )
    application = Application.objects.create(
        name="Tenants Union of the North",
        kind="national",
        contact_name="Cara Contact",
        contact_email="cara@example.org",
        statement="We organise tenants.",
        decision="A vote at our general meeting.",
    )
    return (
        [
            f"/representatives/{reporter.slug}/",
            f"/representatives/{reporter.slug}/reports/{report.pk}/",
        ],
        [f"/organise/mailings/{mailing.pk}/", f"/organise/applications/{application.pk}/"],
    )


def test_every_main_page_fits_a_phone(live_server: LiveServer, browser: Browser) -> None:
    lines = demo_create()
    vote = VOTE.search(" ".join(lines))  # the demo's open ballot, with a voter's link
    assert vote is not None, lines
    member = (
        OrganisationMembership.objects.filter(status=MembershipStatus.CONFIRMED)
        .order_by("pk")
        .values_list("supporter__user__email", flat=True)
        .first()
    )
    organisation = Organisation.objects.filter(representatives__isnull=False).order_by("pk").first()
    event = Event.objects.filter(published=True).order_by("starts_at").first()
    slate = Slate.objects.order_by("pk").first()
    threads = {thread.title: thread for thread in Thread.objects.select_related("organisation")}
    supporters_thread = threads[SUPPORTERS_THREAD]
    group_thread = threads[GROUP_THREAD]
    assert group_thread.organisation is not None
    discussion_pages = [f"/discussions/threads/{supporters_thread.pk}/"]
    drive = Drive.objects.order_by("pk").first()
    plan = VotePlan.objects.order_by("pk").first()
    assert member is not None
    assert organisation is not None
    assert event is not None
    assert slate is not None
    assert drive is not None
    assert plan is not None
    supporter_pages = [
        f"/campaign/{drive.pk}/meeting/",
        f"/campaign/{drive.pk}/outcome/",
    ]
    campaign_pages = [
        f"/organise/campaign/drives/{drive.pk}/",
        f"/organise/campaign/drives/{drive.pk}/targets/",
        f"/organise/campaign/plans/{plan.pk}/",
    ]
    org_pages = [
        f"/organisations/{organisation.slug}/",
        f"/organise/organisations/{organisation.pk}/",
        f"/organise/organisations/{organisation.pk}/representatives/",
        f"/organise/organisations/{organisation.pk}/members/",
    ]
    policy, candidates = _policy_and_candidates_pages()
    reach_public, reach_organiser = _reach_pages()
    site = live_server.url
    problems: list[str] = []
    for who, paths in (
        (None, [*PUBLIC, f"/events/{event.pk}/", vote.group(1), *policy, *reach_public]),
        ("supporter0001@demo.example.org", [*SUPPORTER, *discussion_pages, *supporter_pages]),
        (
            member,
            [
                "/me/organisations/",
                f"/discussions/org/{group_thread.organisation.slug}/",
                f"/discussions/threads/{group_thread.pk}/",
                f"/discussions/posts/{group_thread.posts.get().pk}/report/",
            ],
        ),
        (
            "organiser@example.org",
            [
                *ORGANISER,
                f"/organise/elections/nec-demo/slates/{slate.pk}/",
                *discussion_pages,
                f"/discussions/threads/{supporters_thread.pk}/proposal/",
                *candidates,
                *reach_organiser,
                *campaign_pages,
            ],
        ),
        ("admin@example.org", ADMINISTRATOR + org_pages),
    ):
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        page = context.new_page()
        if who is not None:
            _log_in(page, site, who)
        for path in paths:
            response = page.goto(site + path)
            assert response is not None
            assert response.status == 200, f"{path} as {who or 'the public'}"
            problems += [f"as {who or 'the public'}: {p}" for p in _overflows(page, path)]
        context.close()
    assert not problems, "\n".join(problems)


def test_sealed_ballot_pages_fit_a_phone(live_server: LiveServer, browser: Browser) -> None:
    """A trustee's page (its long commands wrap) and the officer's trustees panel."""
    from grassroots.web.ballots.models import Ballot
    from grassroots.web.people.roles import Role
    from tests.web.factories import role_holder_create
    from tests.web.sealed_factories import keys_send, sealed_ballot_create

    ceremony = sealed_ballot_create(trustees=3, threshold=2)
    keys_send(ceremony)  # the deal step is open: a download link and a long command
    officer = role_holder_create(Role.ORGANISER)
    Ballot.objects.filter(pk=ceremony.ballot.pk).update(returning_officer=officer)
    site = live_server.url
    problems: list[str] = []
    for who, path in (
        (ceremony.people[0].email, f"/ballots/{ceremony.ballot.slug}/trustee/"),
        (officer.email, f"/ballots/{ceremony.ballot.slug}/manage/"),
    ):
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        page = context.new_page()
        _log_in(page, site, who)
        response = page.goto(site + path)
        assert response is not None
        assert response.status == 200, path
        problems += _overflows(page, path)
        context.close()
    assert not problems, "\n".join(problems)
