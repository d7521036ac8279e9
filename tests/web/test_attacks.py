"""The site's promises tried by an adversary: forged, stale and replayed login links, a link
that tries to send the visitor elsewhere, markup typed into a field that other people see,
and a line break typed into an event that tries to add an event to the calendar feeds."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, TestCase, override_settings
from django.utils import timezone
from icalendar import Calendar

from grassroots.web.ballots.models import Ballot
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Supporter, User
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens
from tests.web.factories import event_create, organisation_create, representative_create

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/login/link/\?sesame=\S+)")
SCRIPT = '<script>alert("x")</script>'


def _login_link(client: Client, email: str) -> str:
    sent = len(mail.outbox)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/login/", {"email": email})
    [message] = mail.outbox[sent:]
    match = LINK.search(message.body)
    assert match
    return match.group(1)


def _logged_in_as(client: Client) -> str | None:
    response = client.get("/me/")
    if response.status_code != 200:
        return None
    return response.context["supporter"].user.email


@pytest.fixture
def rhys(make_supporter: Callable[..., Supporter], clp: Constituency) -> Supporter:
    return make_supporter(clp=clp, email="rhys@example.org", name="Rhys Jones")


def test_a_forged_login_link_logs_nobody_in(client: Client, rhys: Supporter) -> None:
    link = _login_link(client, "rhys@example.org")
    token = link.split("sesame=", 1)[1]
    forged = link.replace(token, token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB"))

    response = client.post(forged)

    assert response.status_code == 400
    assert _logged_in_as(client) is None


def test_a_login_link_for_one_person_cannot_be_turned_into_another(
    client: Client, rhys: Supporter, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    make_supporter(clp=clp, email="nia@example.org")
    link = _login_link(client, "rhys@example.org")
    token = link.split("sesame=", 1)[1]
    # The token starts with the user's primary key; give it another's.
    other = f"{int(rhys.user.pk) + 1}"
    forged = link.replace(token, other + token[len(str(rhys.user.pk)) :])

    client.post(forged)

    assert _logged_in_as(client) is None


def test_an_older_login_link_is_dead_once_a_newer_one_is_used(
    client: Client, rhys: Supporter
) -> None:
    older = _login_link(client, "rhys@example.org")
    time.sleep(1)  # a link is signed with the time, to the second
    newer = _login_link(client, "rhys@example.org")
    client.post(newer)
    client.post("/logout/")

    response = client.post(older)

    assert response.status_code == 400
    assert _logged_in_as(client) is None


def test_a_login_link_older_than_its_lifetime_is_refused(client: Client, rhys: Supporter) -> None:
    link = _login_link(client, "rhys@example.org")
    time.sleep(2)

    with override_settings(SESAME_MAX_AGE=1):
        response = client.post(link)

    assert response.status_code == 400
    assert _logged_in_as(client) is None


def test_a_login_link_never_sends_the_visitor_to_another_site(
    client: Client, rhys: Supporter
) -> None:
    link = _login_link(client, "rhys@example.org")

    response = client.post(link + "&next=https://evil.example/")

    assert response.status_code == 302
    assert response["Location"] == "/me/"


def test_a_page_behind_login_sends_a_visitor_to_log_in_and_back_only_on_this_site(
    client: Client, rhys: Supporter
) -> None:
    refused = client.get("/me/contacts/")
    assert refused.status_code == 302
    assert refused["Location"] == "/login/?next=/me/contacts/"

    client.get("/login/?next=https://evil.example/")
    client.post(_login_link(client, "rhys@example.org") + "&next=//evil.example/")

    assert _logged_in_as(client) == "rhys@example.org"


def test_markup_in_an_event_is_shown_as_text(client: Client, clp: Constituency) -> None:
    event = event_create(
        title=f"Meeting {SCRIPT}", venue=SCRIPT, address=SCRIPT, organiser_name=SCRIPT
    )

    pages = [
        client.get(f"/events/{event.pk}/"),
        client.get("/events/"),
    ]

    for page in pages:
        body = page.content.decode()
        assert SCRIPT not in body
        assert "&lt;script&gt;" in body


def test_markup_in_an_organisation_or_a_representative_is_shown_as_text(client: Client) -> None:
    organisation = organisation_create(name=f"Union {SCRIPT}")
    representative_create(organisation=organisation, name=f"Rep {SCRIPT}")

    for url in ["/organisations/", f"/organisations/{organisation.slug}/", "/committee/"]:
        body = client.get(url).content.decode()
        assert SCRIPT not in body, url
        assert "&lt;script&gt;" in body, url


def test_markup_in_a_ballot_is_shown_as_text(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create(
        slug="crafted",
        question=f"Which? {SCRIPT}",
        seats=1,
        options=[(f"Ann {SCRIPT}", "F"), ('Bea" onmouseover="alert(1)', "F"), ("Cal", "M")],
    )
    [token] = ballot_open_with_tokens(ballot)

    for url in ["/ballots/crafted/", f"/ballots/crafted/vote/{token}/"]:
        body = client.get(url, follow=True).content.decode()  # the link sets a cookie, redirects
        assert "Which? &lt;script&gt;" in body, url
        assert SCRIPT not in body, url
        assert 'onmouseover="alert(1)"' not in body, url


def test_a_line_break_in_an_event_adds_no_event_to_the_feeds(
    client: Client, clp: Constituency
) -> None:
    crafted = "Meeting\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Forged\r\nUID:forged"
    event_create(title=crafted, venue=crafted, constituency=clp)

    for url in [
        "/events.ics",
        "/events/group/leeds-grassroots.ics",
        f"/events/clp/{clp.gss_code}.ics",
    ]:
        calendar = Calendar.from_ical(client.get(url).content)
        events = list(calendar.walk("VEVENT"))
        assert len(events) == 1, url
        assert str(events[0]["SUMMARY"]) == crafted.replace("\r\n", "\n"), url


def test_an_event_feed_for_an_unknown_clp_is_a_404(client: Client) -> None:
    assert client.get("/events/clp/E99999999.ics").status_code == 404
    assert client.get("/events/clp/..%2F..%2Fetc.ics").status_code == 404


def test_an_event_feed_holds_no_draft(client: Client, clp: Constituency) -> None:
    event_create(title="Secret Draft Meeting", published=False, constituency=clp)
    starts = timezone.now() + timedelta(days=3)
    event_create(title="Open Meeting", starts_at=starts, ends_at=starts + timedelta(hours=1))

    for url in [
        "/events.ics",
        "/events/group/leeds-grassroots.ics",
        f"/events/clp/{clp.gss_code}.ics",
    ]:
        assert b"Secret Draft" not in client.get(url).content, url


LINE_BREAK = "Who?\nBcc: evil@example.org"


def test_a_line_break_in_a_ballot_question_still_sends_every_voter_a_link(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    """A question with a line break (from before creation refused one) would make an email
    header that Django refuses to send: the ballot would open with nobody told how to vote."""
    for _ in range(2):
        make_supporter(clp=clp)
    ballot = ballot_create()
    Ballot.objects.filter(pk=ballot.pk).update(question=LINE_BREAK)
    ballot.refresh_from_db()

    tokens = ballot_open_with_tokens(ballot)

    assert len(tokens) == 2
    assert {m.subject for m in mail.outbox} == {"Your vote: Who? Bcc: evil@example.org"}
    assert all(m.message().get_all("Bcc") is None for m in mail.outbox)


def test_a_line_break_in_a_sign_up_name_does_not_stop_their_messages(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    sender = make_supporter(clp=clp, name="Owen\nBcc: evil@example.org")
    recipient = make_supporter(clp=clp, email="aisha@example.org")
    client.force_login(sender.user)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/me/contacts/{recipient.pk}/message/", {"body": "Hello"})

    assert response.status_code == 302
    [email] = mail.outbox
    assert email.to == ["aisha@example.org"]
    assert email.subject == "A message from Owen Bcc: evil@example.org in your CLP"
    assert email.message().get_all("Bcc") is None


def test_publishing_a_slate_from_another_sections_address_is_refused(
    client: Client, clp: Constituency
) -> None:
    """The publish address names a section and a ballot: a ballot of another section (a
    crafted address) is not found there, and nothing is published."""
    from grassroots.web.ballots import services as ballot_services
    from grassroots.web.people.roles import Role
    from grassroots.web.slates.models import SlateSelection
    from tests.web.election_factories import election_create, section_get
    from tests.web.factories import role_holder_create, supporter_create
    from tests.web.slate_factories import nominations_submit, slate_ballot_voted

    organiser = role_holder_create(Role.ORGANISER)
    election = election_create()
    section = section_get(election, "clp")
    nominations_submit(
        actor=organiser,
        organisation=organisation_create(),
        section=section,
        people=[("Ann Ash", "F"), ("Bea Birch", "F"), ("Cal Cedar", "M")],
    )
    supporter_create(clp=clp)
    ballot, _ = slate_ballot_voted(
        actor=organiser, section=section, slate_size=2, rankings=[("Ann Ash", "Cal Cedar")]
    )
    ballot_services.ballot_publish(actor=organiser, ballot=ballot)
    client.force_login(organiser)

    wrong = client.post(
        f"/organise/slates/{election.slug}/youth/publish/{ballot.slug}/", {"confirmed": "yes"}
    )
    assert wrong.status_code == 404
    assert SlateSelection.objects.get().published_at is None

    right = client.post(
        f"/organise/slates/{election.slug}/clp/publish/{ballot.slug}/", {"confirmed": "yes"}
    )
    assert right.status_code == 302
    assert right["Location"] == f"/slates/{election.slug}/clp/"
    assert SlateSelection.objects.get().published_at is not None


HUGE_ID = "99999999999999999999"


def test_an_id_too_large_for_the_database_is_refused_beside_its_field(
    clp: Constituency, make_supporter: Callable[..., Supporter]
) -> None:
    """A crafted choice of speakers or supporters gets a message, not a server error."""
    from grassroots.web.alliance.models import GroupRequest
    from grassroots.web.events.models import Event
    from grassroots.web.people.roles import Role
    from tests.web.factories import role_holder_create

    client = Client(raise_request_exception=False)
    client.force_login(role_holder_create(Role.ORGANISER))
    asking = make_supporter(clp=clp)
    group_request = GroupRequest.objects.create(supporter=asking, constituency=clp)

    event = client.post("/events/new/", {"title": "Meeting", "speakers": [HUGE_ID]})
    touch = client.post(f"/organise/group-requests/{group_request.pk}/", {"supporters": [HUGE_ID]})

    assert event.status_code == 400
    assert "speakers" in event.context["form"].errors
    assert Event.objects.count() == 0
    assert touch.status_code == 400
    assert "supporters" in touch.context["form"].errors
    assert GroupRequest.objects.get().status == "open"


def test_a_voter_on_a_roll_who_erases_their_data_gets_an_answer_not_a_server_error(
    clp: Constituency, make_supporter: Callable[..., Supporter]
) -> None:
    voter = make_supporter(clp=clp)
    ballot_open_with_tokens(ballot_create())
    client = Client(raise_request_exception=False)
    client.force_login(voter.user)

    response = client.post("/me/erase/", {"confirm": "on"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=voter.user.pk).exists()


def test_an_organisations_contact_person_is_never_on_a_public_page(
    client: Client, clp: Constituency
) -> None:
    organisation = organisation_create(
        name="Unity Union",
        clps=[clp],
        contact_name="Connie Contact",
        contact_email="connie@example.org",
    )
    event_create(organisation=organisation, organiser_name="Unity Union", constituency=clp)

    for url in [
        "/organisations/",
        f"/organisations/{organisation.slug}/",
        "/committee/",
        "/events/",
        "/events.ics",
        "/events/group/unity-union.ics",
        f"/events/clp/{clp.gss_code}.ics",
        "/",
    ]:
        body = client.get(url).content.decode()
        assert "Connie" not in body, url
        assert "connie@example.org" not in body, url


def test_a_representative_cannot_nominate_for_another_organisation(
    clp: Constituency, make_supporter: Callable[..., Supporter]
) -> None:
    """A crafted organisation field: the representative of one affiliate names another."""
    from grassroots.web.slates.models import SlateNomination
    from tests.web.election_factories import election_create

    election = election_create()
    own = organisation_create(name="Own Union")
    other = organisation_create(name="Other Union")
    rep = make_supporter(clp=clp)
    representative_create(organisation=own, supporter=rep)
    client = Client()
    client.force_login(rep.user)

    response = client.post(
        f"/organise/slates/{election.slug}/clp/nominate/",
        {"organisation": other.pk, "name": "Nia Nominee", "gender": "F"},
    )

    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors
    assert not SlateNomination.objects.exists()
