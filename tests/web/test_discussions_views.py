"""Discussion pages through the client: writing, reading, pagination, moderation from the
queue, proposals linked both ways, and the export."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.web.ballots import services as ballot_services
from grassroots.web.ballots.models import Ballot, Method
from grassroots.web.constituencies.models import Constituency
from grassroots.web.discussions import services
from grassroots.web.discussions.models import NotificationChoice, Post, PostReport, Thread
from grassroots.web.discussions.spaces import Space
from grassroots.web.people.models import Supporter
from grassroots.web.people.roles import Role
from tests.web.ballot_factories import ballot_open_with_tokens, option_ids
from tests.web.discussion_factories import member_confirmed, reply, thread_start, writer
from tests.web.factories import organisation_create, representative_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(clp: Constituency, make_supporter: Callable[..., Supporter]) -> dict[str, Any]:
    group = organisation_create(name="Leeds Left", kind="local", clps=[clp])
    member = make_supporter(clp=clp, name="Nia Evans")
    member_confirmed(member, group)
    rep = make_supporter(clp=clp, name="Rita Rep")
    representative_create(organisation=group, supporter=rep)
    outsider = make_supporter(clp=clp, name="Owen Parry")
    return {
        "group": group,
        "space": Space(group),
        "member": member.user,
        "rep": rep.user,
        "outsider": outsider.user,
    }


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_supporter_accepts_the_code_starts_a_thread_and_replies_with_a_mention(
    people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    writer(people["rep"])
    client = _client(people["member"])
    space_url = f"/discussions/{people['space'].key}/"
    assert "read and accept the code of conduct" in client.get(space_url).content.decode()

    response = client.post(f"/discussions/conduct/?next={space_url}", {"accept": "on"})
    assert response["Location"] == space_url
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{space_url}new/", {"title": "Door knocking", "body": "Who is **free**?"}
        )
    thread = Thread.objects.get()
    assert response["Location"] == f"/discussions/threads/{thread.pk}/"
    reply(people["rep"], thread, "Me")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/discussions/threads/{thread.pk}/reply/", {"body": "Thanks @rita-rep!"}
        )
    page = client.get(response["Location"]).content.decode()

    assert "Who is <strong>free</strong>?" in page
    assert '<span class="mention">@Rita Rep</span>!' in page
    assert thread.organisation == people["group"]


def test_a_supporter_outside_the_group_sees_nothing_of_its_space(people: dict[str, Any]) -> None:
    thread = thread_start(writer(people["member"]), space=people["space"], title="Secret plans")
    client = _client(writer(people["outsider"]))

    assert client.get(f"/discussions/{people['space'].key}/").status_code == 404
    assert client.get(f"/discussions/threads/{thread.pk}/").status_code == 404
    assert (
        client.post(f"/discussions/threads/{thread.pk}/reply/", {"body": "Hi"}).status_code == 404
    )
    assert "Leeds Left" not in client.get("/discussions/").content.decode()
    assert Post.objects.count() == 1


def test_a_long_thread_is_paginated_and_the_last_page_is_reachable(
    people: dict[str, Any],
) -> None:
    thread = thread_start(writer(people["member"]), body="Post number 0")
    Post.objects.bulk_create(
        Post(
            thread=thread,
            author=people["member"],
            body=f"Post number {n}",
            body_html=f"<p>Post number {n}.</p>",
        )
        for n in range(1, 25)
    )
    client = _client(people["member"])

    first = client.get(f"/discussions/threads/{thread.pk}/").content.decode()
    last = client.get(f"/discussions/threads/{thread.pk}/?page=last").content.decode()

    assert "Page 1 of 2" in first
    assert "Post number 19." in first
    assert "Post number 20." not in first
    assert "Page 2 of 2" in last
    assert "Post number 24." in last


def test_a_locked_thread_refuses_a_reply_with_its_reason(people: dict[str, Any]) -> None:
    thread = thread_start(writer(people["member"]))
    services.thread_lock(moderator=people["rep"], thread=thread, locked=True)

    response = _client(people["member"]).post(
        f"/discussions/threads/{thread.pk}/reply/", {"body": "Wait"}
    )

    assert response.status_code == 400
    assert services.LOCKED in response.content.decode()
    assert thread.posts.count() == 1


def test_a_hidden_post_shows_as_hidden_to_readers_and_in_full_to_moderators(
    people: dict[str, Any],
) -> None:
    thread = thread_start(writer(people["member"]), space=people["space"], body="Rude words")
    services.post_hide(moderator=people["rep"], post=thread.posts.get())

    as_member = _client(people["member"]).get(f"/discussions/threads/{thread.pk}/").content.decode()
    as_rep = _client(people["rep"]).get(f"/discussions/threads/{thread.pk}/").content.decode()

    assert "Hidden by a moderator." in as_member
    assert "Rude words" not in as_member
    assert "Rude words" in as_rep


def test_a_representative_moderates_only_their_group_from_the_queue(
    people: dict[str, Any],
) -> None:
    writer(people["member"])
    writer(people["outsider"])
    group_post = thread_start(
        people["member"], space=people["space"], body="In the group"
    ).posts.get()
    open_post = thread_start(people["member"], body="In the open").posts.get()
    services.post_report(reporter=people["rep"], post=group_post, reason="Off topic")
    services.post_report(reporter=people["outsider"], post=open_post, reason="Rude")
    client = _client(people["rep"])

    queue = client.get("/organise/moderation/").content.decode()
    response = client.post(
        f"/discussions/posts/{group_post.pk}/hide/", {"next": "/organise/moderation/"}
    )

    assert "In the group" in queue
    assert "In the open" not in queue
    assert "Suspend" not in queue
    assert response["Location"] == "/organise/moderation/"
    assert Post.objects.get(pk=group_post.pk).is_hidden
    assert client.post(f"/discussions/posts/{open_post.pk}/hide/").status_code == 404
    assert not Post.objects.get(pk=open_post.pk).is_hidden
    assert PostReport.objects.get(post=group_post).status == "hidden"


def test_an_organiser_suspends_the_author_of_a_reported_post(
    people: dict[str, Any], make_role_holder: Callable[[Role], Any]
) -> None:
    post = thread_start(writer(people["member"])).posts.get()
    report = services.post_report(reporter=people["outsider"], post=post, reason="Rude")
    client = _client(make_role_holder(Role.ORGANISER))
    day = (timezone.localdate() + timezone.timedelta(days=7)).isoformat()

    client.post(f"/organise/moderation/reports/{report.pk}/suspend/", {"ends_on": day})

    page = _client(people["member"]).get("/discussions/supporters/").content.decode()
    assert "You are suspended from discussions until" in page
    assert "Start a thread" not in page


def test_the_notification_choice_is_saved(people: dict[str, Any]) -> None:
    client = _client(people["member"])

    response = client.post("/discussions/notifications/", {"frequency": "daily"})

    assert response["Location"] == "/discussions/"
    assert NotificationChoice.objects.get(person=people["member"]).frequency == "daily"
    assert re.search(r'value="daily"[^>]*checked', client.get("/discussions/").content.decode())


def test_an_organiser_turns_a_thread_into_a_ballot_linked_both_ways(
    people: dict[str, Any], make_role_holder: Callable[[Role], Any]
) -> None:
    organiser = make_role_holder(Role.ORGANISER)
    thread = thread_start(writer(people["member"]), title="Which strategy for the NEC?")
    client = _client(organiser)
    form = client.get(f"/discussions/threads/{thread.pk}/proposal/").content.decode()
    assert 'value="Which strategy for the NEC?"' in form
    now = timezone.localtime()

    response = client.post(
        f"/discussions/threads/{thread.pk}/proposal/",
        {
            "question": "Which strategy for the NEC?",
            "slug": "nec-strategy",
            "description": "From the thread",
            "method": Method.IRV,
            "rule": "scottish",
            "seats": 1,
            "options": "Full slate\nHalf slate\nNo slate\nBack others",
            "opens_at": (now + timezone.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timezone.timedelta(days=8)).strftime("%Y-%m-%dT%H:%M"),
            "electorate": "supporters",
        },
    )

    ballot = Ballot.objects.get(slug="nec-strategy")
    assert response["Location"] == "/ballots/nec-strategy/manage/"
    assert Thread.objects.get(pk=thread.pk).ballot == ballot
    assert "Discussed in" in client.get("/ballots/nec-strategy/").content.decode()
    thread_page = _client(people["member"]).get(f"/discussions/threads/{thread.pk}/")
    assert "This thread became a proposal" in thread_page.content.decode()
    assert "draft" in thread_page.content.decode()

    Ballot.objects.filter(pk=ballot.pk).update(opens_at=now - timezone.timedelta(minutes=1))
    ballot.refresh_from_db()
    tokens = ballot_open_with_tokens(ballot)
    ballot_services.ballot_cast(
        credential_token=tokens[0], ranking=option_ids(ballot, "Half slate", "Full slate")
    )
    ballot_services.ballot_close(actor=None, ballot=ballot)
    ballot_services.ballot_publish(actor=None, ballot=ballot)

    published = _client(people["member"]).get(f"/discussions/threads/{thread.pk}/").content.decode()
    assert "published" in published
    assert "The result</a>: Half slate." in published
    public_ballot = Client().get("/ballots/nec-strategy/").content.decode()
    assert "Discussed in" not in public_ballot


def test_a_thread_becomes_one_proposal_only(
    people: dict[str, Any], make_role_holder: Callable[[Role], Any]
) -> None:
    from tests.web.ballot_factories import ballot_create

    thread = thread_start(writer(people["member"]))
    Thread.objects.filter(pk=thread.pk).update(ballot=ballot_create())

    page = _client(make_role_holder(Role.ORGANISER)).get(
        f"/discussions/threads/{thread.pk}/proposal/"
    )

    assert "This thread is a proposal already" in page.content.decode()
    assert Ballot.objects.count() == 1


def test_my_data_export_holds_my_posts_and_reports(people: dict[str, Any]) -> None:
    thread = thread_start(writer(people["member"]), body="My view")
    services.post_report(
        reporter=people["member"], post=reply(writer(people["rep"]), thread, "No"), reason="Rude"
    )

    exported = json.loads(b"".join(_client(people["member"]).get("/me/export.json")))

    assert [post["body"] for post in exported["discussions"]["posts"]] == ["My view"]
    assert [report["reason"] for report in exported["discussions"]["reports"]] == ["Rude"]


@pytest.mark.parametrize("item_count", [1, 3])
def test_a_space_and_a_thread_cost_fixed_queries(
    people: dict[str, Any], django_assert_num_queries: Any, item_count: int
) -> None:
    author = writer(people["member"])
    threads = [thread_start(author, title=f"Thread {n}") for n in range(item_count)]
    for n in range(item_count - 1):
        reply(author, threads[0], f"Reply {n}")
    client = _client(author)
    client.get("/discussions/supporters/")  # the session's first queries

    with django_assert_num_queries(9):
        client.get("/discussions/supporters/")
    with django_assert_num_queries(10):
        client.get(f"/discussions/threads/{threads[0].pk}/")
