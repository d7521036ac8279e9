"""Discussions in a real browser: a supporter accepts the code of conduct, starts a thread,
replies mentioning someone, and the digest command (run here with a fixed clock) emails that
person what was written; then a moderator hides a reported post from the queue."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.web.constituencies.models import Constituency
from grassroots.web.discussions import services
from grassroots.web.discussions.models import Frequency, Post, Thread
from grassroots.web.discussions.spaces import Space
from grassroots.web.people.roles import Role
from tests.web.factories import role_holder_create, supporter_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_data"),
]

LINK = re.compile(r"https?://\S+/login/link/\?sesame=\S+")


def _log_in(page: Page, site: str, email: str) -> None:
    page.goto(f"{site}/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Email me a link").click()
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None, mail.outbox[-1].body
    page.goto(found.group(0))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(rf"{re.escape(site)}/(me|organise)/$"))


def test_a_supporter_writes_and_a_moderator_hides(
    live_server: LiveServer, page: Page, browser: Browser
) -> None:
    clp = Constituency.objects.get(name="Leeds Central and Headingley")
    supporter_create(clp=clp, name="Nia Evans", email="nia@example.org")
    owen = supporter_create(clp=clp, name="Owen Parry", email="owen@example.org").user
    services.conduct_accept(person=owen)
    services.notification_choose(person=owen, frequency=Frequency.DAILY)
    services.thread_start(
        author=owen, space=Space(), title="Leaflets", body="They are in.", site_url=""
    )
    site = live_server.url

    _log_in(page, site, "nia@example.org")
    page.get_by_role("link", name="Discussions").first.click()
    page.get_by_role("link", name="All supporters").click()
    page.get_by_role("link", name="read and accept the code of conduct").click()
    page.get_by_label(re.compile("I accept this code of conduct")).check()
    page.get_by_role("button", name="Accept").click()
    page.get_by_role("button", name="Start a thread").click()
    page.get_by_label("Title").fill("Door knocking on Saturday")
    page.get_by_label("Your post").fill("Who is **free** in the morning?")
    page.get_by_role("button", name="Start the thread").click()
    expect(page.locator("main h1")).to_have_text("Door knocking on Saturday")
    expect(page.locator("main strong", has_text="free")).to_be_visible()
    page.get_by_label("Your reply").fill("And @owen-parry, can you bring leaflets?")
    page.get_by_role("button", name="Post the reply").click()
    expect(page.locator(".mention")).to_have_text("@Owen Parry")

    mail.outbox.clear()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    call_command(
        "discussions_digest",
        now=f"{tomorrow.isoformat()}T07:00:00+00:00",
        site_url=site,
    )
    [digest] = [message for message in mail.outbox if message.to == ["owen@example.org"]]
    assert digest.subject == f"Daily discussions digest, {timezone.localdate().isoformat()}"
    assert "“Door knocking on Saturday”" in digest.body
    assert "Nia Evans: And @owen-parry, can you bring leaflets?" in digest.body
    assert "They are in." not in digest.body  # his own post

    reply = Post.objects.get(body__startswith="And @owen-parry")
    services.post_report(reporter=owen, post=reply, reason="Not the place")
    committee = role_holder_create(Role.COMMITTEE)
    context = browser.new_context()
    moderator = context.new_page()
    _log_in(moderator, site, committee.email)
    moderator.goto(f"{site}/organise/moderation/")
    expect(moderator.locator("main")).to_contain_text("Not the place")
    moderator.get_by_role("button", name="Hide the post").click()
    expect(moderator.get_by_role("status")).to_contain_text("The post is hidden.")
    expect(moderator.locator("#no-open-reports")).to_be_visible()
    context.close()

    thread = Thread.objects.get(title="Door knocking on Saturday")
    page.goto(f"{site}/discussions/threads/{thread.pk}/")
    expect(page.locator(f"#post-{reply.pk} .hidden-note")).to_have_text("Hidden by a moderator.")
    expect(page.locator("main")).not_to_contain_text("can you bring leaflets")
