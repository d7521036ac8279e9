"""Who can see and change what in the people app: every role against every object."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from grassroots.web.people import access
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role, user_roles
from tests.web.factories import CONTACT, role_holder_create, supporter_create

pytestmark = pytest.mark.django_db

# Personas: who is asking. "subject" is a verified, consenting supporter in the CLP.
PERSONAS = [
    "public",
    "subject",
    "neighbour",  # verified, consenting, same CLP
    "shy_neighbour",  # same CLP, not consenting to be visible
    "stranger",  # supporter in another CLP
    "organiser",
    "affiliate_rep",
    "committee",
    "administrator",
]

CAN = {
    "see_own_record": {"subject", "neighbour", "shy_neighbour", "stranger"},
    "see_subject_record": {"administrator"},
    "see_contacts": {"subject", "neighbour", "stranger"},
    "message_subject": {"neighbour"},
    "see_clp_counts": {"organiser", "committee", "administrator"},
}


def _persona(name: str, clp, other_clp) -> tuple[User | AnonymousUser, int]:
    subject = supporter_create(clp=clp)
    users: dict[str, Callable[[], User | AnonymousUser]] = {
        "public": AnonymousUser,
        "subject": lambda: subject.user,
        "neighbour": lambda: supporter_create(clp=clp).user,
        "shy_neighbour": lambda: supporter_create(clp=clp, consents=(CONTACT,)).user,
        "stranger": lambda: supporter_create(clp=other_clp).user,
        "organiser": lambda: role_holder_create(Role.ORGANISER),
        "affiliate_rep": lambda: role_holder_create(Role.AFFILIATE_REPRESENTATIVE),
        "committee": lambda: role_holder_create(Role.COMMITTEE),
        "administrator": lambda: role_holder_create(Role.ADMINISTRATOR),
    }
    return users[name](), subject.pk


def _attempt(action: str, user: User | AnonymousUser, subject_id: int) -> object:
    if action == "see_own_record":
        return access.supporter_for_self(user)
    if action == "see_subject_record":
        return access.supporter_for_administrator(user, subject_id)
    if action == "see_contacts":
        return access.contacts_for_supporter(user)
    if action == "message_subject":
        return access.contact_for_supporter(user, subject_id)
    assert action == "see_clp_counts"
    return access.clp_counts_for_organiser(user)


def _granted(action: str, user: User | AnonymousUser, subject_id: int) -> object:
    """What an allowed attempt must return: the viewer's own record, the subject's, or
    nothing (a page with no object)."""
    if action in {"see_own_record", "see_contacts"}:
        assert isinstance(user, User)
        return user.supporter
    if action in {"see_subject_record", "message_subject"}:
        return Supporter.objects.get(pk=subject_id)
    return None


@pytest.mark.parametrize("action", sorted(CAN))
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix_people(persona: str, action: str, clp, other_clp) -> None:
    user, subject_id = _persona(persona, clp, other_clp)

    if persona in CAN[action]:
        assert _attempt(action, user, subject_id) == _granted(action, user, subject_id)
    else:
        with pytest.raises(Http404):
            _attempt(action, user, subject_id)


@pytest.mark.parametrize(
    ("action", "allowed"),
    [("see_subject_record", "administrator"), ("message_subject", "neighbour")],
)
def test_access_missing_and_forbidden_give_the_same_error(
    action: str, allowed: str, clp, other_clp
) -> None:
    stranger, subject_id = _persona("stranger", clp, other_clp)
    user, _ = _persona(allowed, clp, other_clp)
    # Someone allowed reaches the subject; only a missing id refuses them.
    assert _attempt(action, user, subject_id) == Supporter.objects.get(pk=subject_id)

    with pytest.raises(Http404) as forbidden:
        _attempt(action, stranger, subject_id)
    with pytest.raises(Http404) as missing:
        _attempt(action, user, 999_999)

    assert str(forbidden.value) == str(missing.value)


def test_roles_superuser_is_administrator(db: None) -> None:
    user = User.objects.create_superuser(email="root@example.org")

    assert user_roles(user) == {Role.PUBLIC, Role.ADMINISTRATOR}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("public", 302), ("stranger", 404), ("organiser", 200), ("administrator", 200)],
)
def test_clp_counts_page_by_role(client, persona: str, status: int, clp, other_clp) -> None:
    user, _ = _persona(persona, clp, other_clp)
    if isinstance(user, User):
        client.force_login(user)

    response = client.get("/organise/clps/")

    assert response.status_code == status


@pytest.mark.parametrize("item_count", [1, 3])
def test_clp_counts_query_count_and_no_names(
    client, make_supporter, make_role_holder, django_assert_num_queries, item_count: int
) -> None:
    from grassroots.web.constituencies.models import Constituency

    for clp in Constituency.objects.with_clp().order_by("name")[:item_count]:
        make_supporter(clp=clp, name="Secret Name")
    client.force_login(make_role_holder(Role.ORGANISER))

    with django_assert_num_queries(5):  # session, user, supporter?, groups, counts
        response = client.get("/organise/clps/")

    assert len(response.context["rows"]) == item_count
    assert "Secret Name" not in response.content.decode()


# Events: who sees and changes events and speakers. "owner" is the local group organiser who
# created the draft; "other_organiser" holds the same role but did not.
EVENT_PERSONAS = [
    "public",
    "supporter",
    "owner",
    "other_organiser",
    "affiliate_rep",
    "committee",
    "administrator",
]
EVENT_CAN = {
    "see_published_event": set(EVENT_PERSONAS),
    "see_draft_event": {"owner", "committee", "administrator"},
    "edit_draft_event": {"owner", "committee", "administrator"},
    "create_event": {"owner", "other_organiser", "committee", "administrator"},
    "list_organised_events": {"owner", "other_organiser", "committee", "administrator"},
    "edit_speaker": {"owner", "other_organiser", "committee", "administrator"},
}


def _event_persona(name: str, clp) -> tuple[User | AnonymousUser, int, int, int]:
    from tests.web.factories import event_create, speaker_create

    owner = role_holder_create(Role.ORGANISER)
    published = event_create(created_by=owner)
    draft = event_create(created_by=owner, published=False)
    speaker = speaker_create()
    users: dict[str, Callable[[], User | AnonymousUser]] = {
        "public": AnonymousUser,
        "supporter": lambda: supporter_create(clp=clp).user,
        "owner": lambda: owner,
        "other_organiser": lambda: role_holder_create(Role.ORGANISER),
        "affiliate_rep": lambda: role_holder_create(Role.AFFILIATE_REPRESENTATIVE),
        "committee": lambda: role_holder_create(Role.COMMITTEE),
        "administrator": lambda: role_holder_create(Role.ADMINISTRATOR),
    }
    return users[name](), published.pk, draft.pk, speaker.pk


def _event_attempt(action: str, user, published_id: int, draft_id: int, speaker_id: int) -> object:
    from grassroots.web.events import access as events_access

    if action == "see_published_event":
        return events_access.event_for_viewer(user, published_id).pk
    if action == "see_draft_event":
        return events_access.event_for_viewer(user, draft_id).pk
    if action == "edit_draft_event":
        return events_access.event_for_organiser(user, draft_id).pk
    if action == "create_event":
        return events_access.event_create_for_organiser(user)
    if action == "list_organised_events":
        return {e.pk for e in events_access.event_list_for_organiser(user)}
    assert action == "edit_speaker"
    return events_access.speaker_for_organiser(user, speaker_id).pk


@pytest.mark.parametrize("action", sorted(EVENT_CAN))
@pytest.mark.parametrize("persona", EVENT_PERSONAS)
def test_access_matrix_events(persona: str, action: str, clp) -> None:
    user, published_id, draft_id, speaker_id = _event_persona(persona, clp)

    if persona in EVENT_CAN[action]:
        granted = {
            "see_published_event": published_id,
            "see_draft_event": draft_id,
            "edit_draft_event": draft_id,
            "create_event": user,
            # The owner's own two events; another organiser has none; the committee all.
            "list_organised_events": set()
            if persona == "other_organiser"
            else {published_id, draft_id},
            "edit_speaker": speaker_id,
        }[action]
        assert _event_attempt(action, user, published_id, draft_id, speaker_id) == granted
    else:
        with pytest.raises(Http404):
            _event_attempt(action, user, published_id, draft_id, speaker_id)


@pytest.mark.parametrize("persona", EVENT_PERSONAS)
def test_access_speaker_contacts_only_for_organisers(persona: str, clp) -> None:
    from grassroots.web.events import access as events_access

    user, *_ = _event_persona(persona, clp)

    assert events_access.speaker_contacts_visible(user) is (persona in EVENT_CAN["edit_speaker"])


def test_access_event_draft_missing_and_forbidden_give_the_same_error(clp) -> None:
    from grassroots.web.events import access as events_access

    user, _, draft_id, _ = _event_persona("other_organiser", clp)

    with pytest.raises(Http404) as forbidden:
        events_access.event_for_organiser(user, draft_id)
    with pytest.raises(Http404) as missing:
        events_access.event_for_organiser(user, 999_999)

    assert str(forbidden.value) == str(missing.value)
