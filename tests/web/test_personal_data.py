"""A person's data: the export holds everything, every account has My data and lands on a
working page after login, and nothing tells an onlooker whether an address is a supporter's."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django_tasks_db.models import DBTaskResult

from grassroots.web.alliance import services as alliance_services
from grassroots.web.alliance.models import GroupRequest, OrganisationMembership
from grassroots.web.ballots import services as ballot_services
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Message, Supporter, User
from grassroots.web.people.roles import Role
from grassroots.web.slates import services as slate_services
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens, option_ids
from tests.web.election_factories import election_create, section_get
from tests.web.factories import (
    event_create,
    organisation_create,
    representative_create,
    role_holder_create,
)

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/login/link/\?sesame=\S+")


# --- export ----------------------------------------------------------------------------------


def test_export_has_a_section_for_everything_the_site_holds(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    person = make_supporter(clp=clp, name="Carys Lloyd", email="carys@example.org")
    friend = make_supporter(clp=clp, name="Owen Parry")
    Message.objects.create(sender=friend, recipient=person, body="Tuesday?")
    Message.objects.create(sender=person, recipient=friend, body="Yes")
    organisation = organisation_create(name="Red Pepper")
    OrganisationMembership.objects.create(
        organisation=organisation, supporter=person, consent_wording="I agree."
    )
    GroupRequest.objects.create(supporter=person, constituency=clp, note="Leeds group?")
    representative_create(organisation=organisation, supporter=person)
    pending = OrganisationMembership.objects.create(
        organisation=organisation, supporter=friend, consent_wording="I agree."
    )
    alliance_services.membership_confirm(actor=person.user, membership=pending)
    ballot = ballot_create()
    token = next(
        t
        for m, t in zip(mail.outbox, ballot_open_with_tokens(ballot), strict=False)
        if m.to == [person.user.email]
    )
    ballot_services.ballot_cast(credential_token=token, ranking=option_ids(ballot, "Ann", "Cal"))
    event_create(title="Contact me", contact=person)
    event_create(title="Asked", contact_email=person.user.email)
    slate_services.slate_nomination_submit(
        actor=person.user,
        organisation=organisation,
        section=section_get(election_create()),
        name="Ann Ash",
        gender="F",
    )
    client.force_login(person.user)

    data = json.loads(client.get("/me/export.json").content)

    assert data["role_groups"] == [Role.AFFILIATE_REPRESENTATIVE.value]
    assert data["clp"]["name"] == clp.name
    assert [m["body"] for m in data["messages_sent"]] == ["Yes"]
    assert [m["body"] for m in data["messages_received"]] == ["Tuesday?"]
    assert [m["organisation"] for m in data["organisation_memberships"]] == ["Red Pepper"]
    assert [r["note"] for r in data["group_requests"]] == ["Leeds group?"]
    assert [r["organisation"] for r in data["representative_terms"]] == ["Red Pepper"]
    assert [m["membership"] for m in data["memberships_i_confirmed_or_ended"]] == [pending.pk]
    assert data["ballots"]["voter_rolls"] == [
        {
            "ballot": ballot.slug,
            "question": ballot.question,
            "status": "open",
            "weight": 1,
            "voted": True,
        }
    ]
    assert "ranking" not in json.dumps(data["ballots"])  # whether they voted, never how
    assert sorted(e["event"] for e in data["events"]) == ["Asked", "Contact me"]
    assert [n["nominee"] for n in data["slate_nominations_i_submitted"]] == ["Ann Ash"]


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.COMMITTEE, Role.ADMINISTRATOR])
def test_account_without_supporter_record_has_my_data(client: Client, role: Role) -> None:
    account = role_holder_create(role)
    client.force_login(account)

    page = client.get("/me/")
    export = client.get("/me/export.json")
    erase = client.get("/me/erase/")

    assert (page.status_code, export.status_code, erase.status_code) == (200, 200, 200)
    assert account.email in page.content.decode()
    data = json.loads(export.content)
    assert (data["email"], data["is_supporter"], data["role_groups"]) == (
        account.email,
        False,
        [role.value],
    )


def _log_in(client: Client, email: str, capture: Any) -> str:
    with capture(execute=True):
        client.post("/login/", {"email": email})
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None
    response = client.post(found.group(0))
    assert response.status_code == 302
    return str(response["Location"])


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.COMMITTEE, Role.ADMINISTRATOR])
def test_login_lands_a_role_account_on_the_organise_page(
    client: Client, role: Role, django_capture_on_commit_callbacks: Any
) -> None:
    account = role_holder_create(role)

    landing = _log_in(client, account.email, django_capture_on_commit_callbacks)

    assert landing == "/organise/"
    assert client.get(landing).status_code == 200
    assert client.get("/me/").status_code == 200


def test_login_lands_a_supporter_on_my_data(
    client: Client,
    make_supporter: Callable[..., Supporter],
    clp: Constituency,
    django_capture_on_commit_callbacks: Any,
) -> None:
    supporter = make_supporter(clp=clp)

    assert _log_in(client, supporter.user.email, django_capture_on_commit_callbacks) == "/me/"


# --- no leak of who is a supporter -----------------------------------------------------------


class SlowBackend(EmailBackend):
    """A mail server that takes its time, as a real one over the network does."""

    def send_messages(self, messages: Any) -> int:
        time.sleep(0.4)
        return super().send_messages(messages)


def test_login_takes_the_same_time_for_a_supporter_and_an_unknown_address(
    client: Client,
    make_supporter: Callable[..., Supporter],
    clp: Constituency,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """With the real database queue and a slow mail server, both requests only queue a task:
    the same page, the same work, and nobody waits for the mail server."""
    settings.EMAIL_BACKEND = "tests.web.test_personal_data.SlowBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_supporter(clp=clp, email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):  # warm up: first-request costs
        client.post("/login/", {"email": "warm-up@example.org"})
    timings = {}
    pages = {}
    queued = {}
    for email in ("known@example.org", "unknown@example.org"):
        before = DBTaskResult.objects.count()
        started = time.perf_counter()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/login/", {"email": email})
        timings[email] = time.perf_counter() - started
        pages[email] = (response.status_code, response.content)
        queued[email] = DBTaskResult.objects.count() - before

    assert pages["known@example.org"] == pages["unknown@example.org"]
    assert queued == {"known@example.org": 1, "unknown@example.org": 1}
    assert max(timings.values()) < 0.3, timings  # nobody waits for the mail server
    assert mail.outbox == []  # the worker sends it (tests/web/test_mail_worker.py)


def _organiser(client: Client) -> User:
    organiser = role_holder_create(Role.ORGANISER)
    client.force_login(organiser)
    return organiser


def _page_text(response: Any) -> str:
    """The page with the address typed and the CSRF token taken out."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r"[a-z]+@example\.org", "ADDRESS", text)


def test_representative_form_answers_the_same_for_a_supporter_and_anyone_else(
    client: Client,
    make_supporter: Callable[..., Supporter],
    clp: Constituency,
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_supporter(clp=clp, name="Kwame Mensah", email="kwame@example.org")
    _organiser(client)
    answers = []
    for email in ("kwame@example.org", "stranger@example.org"):
        organisation = organisation_create(name=f"Org for {email[:5]}")
        data = {
            "name": "Their Name",
            "email": email,
            "started_on": "2020-01-01",
            "method": "agm",
            "method_note": "",
        }
        url = f"/organise/organisations/{organisation.pk}/representatives/"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data, follow=True)
        page = _page_text(response).replace(organisation.name, "ORG")
        answers.append(re.sub(r"/\d+/", "/N/", page))

    assert answers[0] == answers[1]
    assert "Kwame" not in answers[0]
    assert sorted(m.to[0] for m in mail.outbox) == ["kwame@example.org", "stranger@example.org"]


def _event_form(email: str, title: str) -> dict[str, Any]:
    return {
        "title": title,
        "kind": "local_meeting",
        "starts_at": "2031-07-01T19:00",
        "ends_at": "2031-07-01T21:00",
        "venue": "Hall",
        "organiser_name": "Leeds Grassroots",
        "contact_email": email,
    }


def test_event_form_answers_the_same_for_a_supporter_and_anyone_else(
    client: Client,
    make_supporter: Callable[..., Supporter],
    clp: Constituency,
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_supporter(clp=clp, name="Owen Parry", email="owen@example.org")
    _organiser(client)
    answers = []
    for email in ("owen@example.org", "stranger@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/events/new/", _event_form(email, "Meeting"), follow=True)
        answers.append(re.sub(r"/events/\d+/", "/events/N/", _page_text(response)))

    assert answers[0] == answers[1]
    assert "Owen" not in answers[0]
    assert sorted(m.to[0] for m in mail.outbox) == ["owen@example.org", "stranger@example.org"]


# --- consent to be named ---------------------------------------------------------------------


def _agree_link(message: Any) -> str:
    found = re.search(r"https?://testserver(/\S+/agree/\S+/)", str(message.body))
    assert found is not None, message.body
    return found.group(1)


def test_representative_is_named_and_linked_only_after_agreeing_by_the_emailed_link(
    client: Client,
    make_supporter: Callable[..., Supporter],
    clp: Constituency,
    django_capture_on_commit_callbacks: Any,
) -> None:
    supporter = make_supporter(clp=clp, name="Kwame Mensah", email="kwame@example.org")
    organisation = organisation_create(name="Red Pepper")
    _organiser(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/organise/organisations/{organisation.pk}/representatives/",
            {"name": "Kwame Mensah", "email": "kwame@example.org", "started_on": "2020-01-01"}
            | {"method": "agm"},
        )
    link = _agree_link(mail.outbox[-1])
    anyone = Client()
    before = anyone.get("/committee/").content.decode()

    shown = anyone.get(link)
    agreed = anyone.post(link)

    assert "Kwame" not in before
    assert "a representative of Red Pepper" in before
    assert shown.status_code == 200
    assert agreed.status_code == 302
    assert "Kwame Mensah" in anyone.get("/committee/").content.decode()
    assert "Kwame Mensah" in anyone.get(f"/organisations/{organisation.slug}/").content.decode()
    rep = organisation.representatives.get()
    assert (rep.supporter, rep.email) == (supporter, "")
    assert Role.AFFILIATE_REPRESENTATIVE.value in supporter.user.groups.values_list(
        "name", flat=True
    )
    assert anyone.post(link).status_code == 400  # answered: the link is spent


def test_naming_link_forged_or_for_another_address_is_refused(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    from grassroots.web.alliance.selectors import representative_agree_url

    organisation = organisation_create(name="Red Pepper")
    make_supporter(clp=clp, email="kwame@example.org")
    rep = alliance_services.representative_record(
        actor=role_holder_create(Role.ORGANISER),
        organisation=organisation,
        name="Kwame Mensah",
        email="kwame@example.org",
        started_on=organisation.affiliated_on,
        method="agm",  # type: ignore[arg-type]
    )
    other = representative_agree_url(representative=rep, email="someone@example.org")

    assert client.post("/committee/agree/not-a-token/").status_code == 404
    assert client.post(other).status_code == 400
    rep.refresh_from_db()
    assert (rep.named_at, rep.supporter_id) == (None, None)


def test_linked_representative_agrees_from_my_data(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    supporter = make_supporter(clp=clp, name="Rae Hughes")
    organisation = organisation_create(name="Red Pepper")
    representative_create(organisation=organisation, supporter=supporter, agreed=False)
    client.force_login(supporter.user)
    assert "Rae Hughes" not in Client().get("/committee/").content.decode()

    page = client.get("/me/").content.decode()
    action = re.search(r'<form method="post" action="(/committee/agree/[^"]+)"', page)
    assert action is not None
    client.post(action.group(1))

    assert "Rae Hughes" in Client().get("/committee/").content.decode()
    assert 'id="naming-requests"' not in client.get("/me/").content.decode()


def test_event_contact_is_named_only_after_agreeing(
    client: Client,
    make_supporter: Callable[..., Supporter],
    clp: Constituency,
    django_capture_on_commit_callbacks: Any,
) -> None:
    supporter = make_supporter(clp=clp, name="Owen Parry", email="owen@example.org")
    _organiser(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/events/new/", _event_form("owen@example.org", "Summer meeting"))
    event = supporter.events.model.objects.get(title="Summer meeting")
    event.published = True
    event.save()
    anyone = Client()
    assert "Owen" not in anyone.get(f"/events/{event.pk}/").content.decode()

    anyone.post(_agree_link(mail.outbox[-1]))

    event.refresh_from_db()
    assert (event.contact, event.contact_email) == (supporter, "")
    assert "Owen Parry" in anyone.get(f"/events/{event.pk}/").content.decode()


def test_event_contact_link_for_an_address_with_no_supporter_says_join_first(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _organiser(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/events/new/", _event_form("stranger@example.org", "Meeting"))

    response = Client().post(_agree_link(mail.outbox[-1]))

    assert response.status_code == 400
    assert "join with this address first" in response.content.decode()


def test_signup_limit_applies_to_an_existing_address_as_to_a_new_one(
    client: Client,
    make_supporter: Callable[..., Supporter],
    clp: Constituency,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from grassroots.web.people.ratelimit import SIGNUPS_PER_IP
    from tests.web.factories import signup_data

    make_supporter(clp=clp, email="nia@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(SIGNUPS_PER_IP.limit):
            client.post("/join/", signup_data(email=f"new{number}@example.org"))
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        existing = client.post("/join/", signup_data(email="nia@example.org"))
        new = client.post("/join/", signup_data(email="another@example.org"))

    assert existing.status_code == new.status_code == 429
    assert _page_text(existing) == _page_text(new)
    assert len(mail.outbox) == sent  # the owner is not emailed either
