"""Every URL of the site against every role, through the test client.

The table ``EXPECTED`` names, for each URL pattern (found by walking the resolver, so a new
page without a row fails the test), who may open it. Someone allowed gets the page, and the
page shows the object its address names; anyone else gets the login page (logged out) or a
404, the same as for a missing object; and posting to it as someone not allowed changes
nothing (no audit row is written).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from grassroots.web.alliance.models import GroupRequest, OrganisationMembership
from grassroots.web.alliance.selectors import REPRESENTATIVE_SALT
from grassroots.web.audit.models import AuditEntry
from grassroots.web.ballots import sealed
from grassroots.web.ballots import services as ballot_services
from grassroots.web.ballots.models import Ballot
from grassroots.web.campaign.models import (
    Drive,
    OutcomeNominee,
    OutcomeReport,
    PlanGroup,
    PlanRule,
    PlanRun,
    RunKind,
    Target,
    VotePlan,
)
from grassroots.web.candidacy import services as candidacy_services
from grassroots.web.candidacy.models import CandidateProfile
from grassroots.web.candidacy.services import token_hash
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections import services as election_services
from grassroots.web.elections.models import ForecastRun
from grassroots.web.events.selectors import CONTACT_SALT
from grassroots.web.people.models import Message, MessageBlock, MessageReport, Topic, User
from grassroots.web.people.naming import naming_token
from grassroots.web.people.roles import Role
from grassroots.web.people.subscriptions import unsubscribe_token
from grassroots.web.policy import services as policy_services
from tests.web.ballot_factories import (
    ballot_create,
    ballot_open_with_tokens,
    option_ids,
)
from tests.web.election_factories import candidates_create, election_create, section_get
from tests.web.factories import (
    event_create,
    organisation_create,
    representative_create,
    role_holder_create,
    speaker_create,
    supporter_create,
)
from tests.web.sealed_factories import (
    Ceremony,
    close_and_mix,
    count,
    election_id,
    key_ceremony,
    share_file,
)

pytestmark = pytest.mark.django_db

PERSONAS = [
    "public",
    "supporter",  # verified, consenting; a pending member of the organisation
    "representative",  # the organisation's current representative, a supporter too
    "organiser",  # returning officer of the ballots, creator of the draft event
    "other_organiser",  # the same role, but none of those objects are theirs
    "committee",
    "administrator",
]
EVERYONE = frozenset(PERSONAS)
LOGGED_IN = EVERYONE - {"public"}
SUPPORTERS = frozenset({"supporter", "representative"})
ORGANISERS = frozenset({"organiser", "other_organiser", "administrator"})
EVENT_ORGANISERS = ORGANISERS | {"committee"}
OFFICER = frozenset({"organiser", "administrator"})
MODERATORS = frozenset({"committee", "administrator"})
DISCUSS_ORG = EVENT_ORGANISERS | {"representative"}


@dataclass(frozen=True)
class Case:
    """One address to try: who may open it, what it must show them, and how it is used.

    ``follow``: the address answers with a redirect, and the page it leads to must show the
    object (an emailed link swapped for a cookie). ``refusal``: the status that refuses
    anyone not allowed, when it is not 404 (the voting page without its link says 403).
    """

    allowed: frozenset[str]
    kwargs: tuple[tuple[str, str], ...] = ()
    shows: str | None = None
    post_only: bool = False
    label: str = ""
    follow: bool = False
    refusal: int = 404


def _case(allowed: frozenset[str] | set[str], shows: str | None = None, **kw: Any) -> Case:
    post_only = kw.pop("post_only", False)
    label = kw.pop("label", "")
    follow = kw.pop("follow", False)
    refusal = kw.pop("refusal", 404)
    return Case(
        frozenset(allowed), tuple(sorted(kw.items())), shows, post_only, label, follow, refusal
    )


# Values the world fixture fills in: "{name}" is replaced by the world's value.
E, S = "{election}", "{section}"
EXPECTED: dict[str, list[Case]] = {
    "dashboard": [_case(EVERYONE)],
    # A representative finds there the pages of the organisation they represent.
    "organise": [_case(EVENT_ORGANISERS | {"representative"})],
    "constituencies:clp_list": [_case(EVERYONE, "Leeds Central and Headingley")],
    "people:join": [_case(EVERYONE)],
    "people:join_done": [_case(EVERYONE)],
    "people:login": [_case(EVERYONE)],
    "people:login_link": [_case(EVERYONE)],
    "people:logout": [_case(EVERYONE, post_only=True)],
    # Every account may see, export and erase its own data, supporter or not.
    "people:me": [_case(LOGGED_IN)],
    "people:consent_change": [_case(SUPPORTERS, post_only=True)],
    "people:subscription_change": [_case(LOGGED_IN, post_only=True)],
    # Whoever holds the emailed link may unsubscribe its person; a forged one is refused.
    "people:unsubscribe": [
        _case(EVERYONE, "discussion notifications", token="{unsubscribe_token}", label="link"),
        _case(frozenset(), token="{representative_token}", label="another kind of link"),
        _case(frozenset(), token="x" * 43, label="forged"),
    ],
    "people:export": [_case(LOGGED_IN)],
    "people:erase": [_case(LOGGED_IN)],
    "people:contacts": [_case(SUPPORTERS)],
    "people:message_send": [
        _case({"representative"}, "Sam Subject", supporter_id="{supporter_id}"),
    ],
    "people:message_list": [_case(SUPPORTERS)],
    # Only the recipient of a message may block its sender or report it.
    "people:message_block": [_case({"supporter"}, message_id="{message_id}", post_only=True)],
    "people:message_report": [
        _case({"supporter"}, "See you at the meeting", message_id="{message_id}")
    ],
    "people:message_unblock": [
        _case({"supporter"}, supporter_id="{blocked_supporter_id}", post_only=True)
    ],
    # The queue shows private messages: the committee and administrators, not organisers.
    "people:message_report_list": [_case(MODERATORS, "See you at the meeting")],
    "people:message_report_resolve": [
        _case(MODERATORS, report_id="{message_report_id}", post_only=True)
    ],
    "people:role_list": [_case({"administrator"}, "Rita Rep")],
    "people:role_change": [_case({"administrator"}, post_only=True)],
    "people:clp_counts": [_case(EVENT_ORGANISERS)],
    "alliance:organisation_list": [_case(EVERYONE, "Unity Union")],
    "alliance:organisation_detail": [_case(EVERYONE, "Unity Union", slug="{organisation_slug}")],
    "alliance:committee": [_case(EVERYONE, "Rita Rep")],
    # Whoever holds the emailed link may agree; a forged one is refused.
    "alliance:representative_agree": [
        _case(EVERYONE, "Unity Union", token="{representative_token}", label="link"),
        _case(frozenset(), token="{contact_token}", label="another kind of link"),
        _case(frozenset(), token="x" * 43, label="forged"),
    ],
    "alliance:group_request_add": [_case(SUPPORTERS)],
    "alliance:organisation_manage_list": [_case(EVENT_ORGANISERS, "Unity Union")],
    "alliance:organisation_add": [_case(ORGANISERS)],
    "alliance:organisation_edit": [
        _case(ORGANISERS, "Unity Union", organisation_id="{organisation_id}")
    ],
    "alliance:representative_list": [
        _case(ORGANISERS | {"representative"}, "Rita Rep", organisation_id="{organisation_id}")
    ],
    "alliance:representative_end": [
        _case(
            ORGANISERS | {"representative"},
            "Rita Rep",
            organisation_id="{organisation_id}",
            representative_id="{representative_id}",
        )
    ],
    "alliance:membership_list": [
        _case(ORGANISERS | {"representative"}, "Sam Subject", organisation_id="{organisation_id}")
    ],
    "alliance:membership_confirm": [
        _case(
            ORGANISERS | {"representative"},
            organisation_id="{organisation_id}",
            membership_id="{membership_id}",
            post_only=True,
        )
    ],
    "alliance:membership_end": [
        _case(
            ORGANISERS | {"representative"},
            organisation_id="{organisation_id}",
            membership_id="{membership_id}",
            post_only=True,
        )
    ],
    "alliance:membership_mine": [_case(SUPPORTERS)],
    "alliance:membership_vote_with": [_case(SUPPORTERS, post_only=True)],
    "alliance:membership_withdraw": [
        _case({"supporter"}, membership_id="{membership_id}", post_only=True)
    ],
    "alliance:rules_edit": [_case({"administrator"})],
    "alliance:group_request_list": [_case(ORGANISERS, "Leeds Central and Headingley")],
    "alliance:group_request_put_in_touch": [
        _case(ORGANISERS, "Leeds Central and Headingley", request_id="{group_request_id}")
    ],
    "events:event_list": [_case(EVERYONE, "Open Meeting")],
    "events:conference": [_case(EVERYONE)],
    "events:organise": [_case(EVENT_ORGANISERS)],
    "events:event_create": [_case(EVENT_ORGANISERS)],
    "events:event_detail": [
        _case(EVERYONE, "Open Meeting", event_id="{event_id}", label="published"),
        _case(
            {"organiser", "committee", "administrator"},
            "Secret Draft Meeting",
            event_id="{draft_event_id}",
            label="draft",
        ),
    ],
    "events:event_edit": [
        _case(
            {"organiser", "committee", "administrator"},
            "Secret Draft Meeting",
            event_id="{draft_event_id}",
        )
    ],
    "events:event_publish": [
        _case(
            {"organiser", "committee", "administrator"},
            event_id="{draft_event_id}",
            post_only=True,
        )
    ],
    "events:contact_agree": [
        _case(EVERYONE, "Open Meeting", token="{contact_token}", label="link"),
        _case(frozenset(), token="{representative_token}", label="another kind of link"),
        _case(frozenset(), token="x" * 43, label="forged"),
    ],
    "events:event_rsvp": [_case(SUPPORTERS, event_id="{event_id}", post_only=True)],
    "events:event_ical": [_case(EVERYONE, "Open Meeting", event_id="{event_id}")],
    "events:feed_all": [_case(EVERYONE, "Open Meeting")],
    "events:feed_group": [_case(EVERYONE, "Open Meeting", slug="leeds-grassroots")],
    "events:feed_clp": [_case(EVERYONE, "Open Meeting", gss_code="{gss_code}")],
    "events:speaker_list": [_case(EVERYONE, "Listed Speaker")],
    "events:speaker_create": [_case(EVENT_ORGANISERS)],
    "events:speaker_edit": [_case(EVENT_ORGANISERS, "Hidden Speaker", speaker_id="{speaker_id}")],
    "mailings:mailing_list": [_case(ORGANISERS, "Quarterly news")],
    "mailings:mailing_create": [_case(ORGANISERS)],
    "mailings:mailing_detail": [_case(ORGANISERS, "Quarterly news", mailing_id="{mailing_id}")],
    "mailings:mailing_edit": [_case(ORGANISERS, "Quarterly news", mailing_id="{mailing_id}")],
    "mailings:mailing_test": [_case(ORGANISERS, mailing_id="{mailing_id}", post_only=True)],
    "mailings:mailing_send": [_case(ORGANISERS, mailing_id="{mailing_id}", post_only=True)],
    "reports:reporter_list": [_case(EVERYONE, "Rita Rep")],
    "reports:reporter_detail": [_case(EVERYONE, "Council meeting", slug="{reporter_slug}")],
    "reports:reporter_feed": [_case(EVERYONE, "Council meeting", slug="{reporter_slug}")],
    "reports:reporter_follow": [_case(SUPPORTERS, slug="{reporter_slug}", post_only=True)],
    # Organisers, and the representative whose committee seat the page is linked to.
    "reports:report_create": [_case(ORGANISERS | {"representative"}, slug="{reporter_slug}")],
    "reports:report_detail": [
        _case(EVERYONE, "Council meeting", slug="{reporter_slug}", report_id="{report_id}")
    ],
    "reports:reporter_create": [_case(ORGANISERS)],
    "invitations:invite": [_case(SUPPORTERS, "/join/invited/")],
    # Any invitation link opens the sign-up page; a forged one is an ordinary sign-up.
    "invitations:join": [
        _case(EVERYONE, "invited you", token="{invitation_token}", label="link"),
        _case(EVERYONE, token="x" * 43, label="forged"),
    ],
    "invitations:counts": [_case(EVENT_ORGANISERS)],
    "affiliation:apply": [_case(EVERYONE)],
    "affiliation:apply_done": [_case(EVERYONE)],
    # Whoever holds the accepted contact's emailed link names the representatives.
    "affiliation:representatives": [
        _case(EVERYONE, "Tenants Union", token="{affiliation_token}", label="link"),
        _case(frozenset(), token="x" * 43, label="forged"),
    ],
    "affiliation:application_list": [_case(ORGANISERS, "Tenants Union")],
    "affiliation:application_detail": [
        _case(ORGANISERS, "Tenants Union", application_id="{application_id}")
    ],
    "affiliation:application_ballot": [
        _case(ORGANISERS, application_id="{application_id}", post_only=True)
    ],
    "affiliation:application_decide": [
        _case(ORGANISERS, application_id="{application_id}", post_only=True)
    ],
    "elections:party_election_list": [_case(EVERYONE, "NEC elections (test)")],
    "elections:history": [_case(EVERYONE)],
    "elections:nomination_tracker": [
        _case(EVERYONE, "Cleo Candidate", election_slug=E, section_slug=S)
    ],
    "elections:result_detail": [_case(EVERYONE, election_slug=E, section_slug=S)],
    "elections:nomination_record": [
        _case(ORGANISERS, "Cleo Candidate", election_slug=E, section_slug=S)
    ],
    "elections:nomination_import": [
        _case(ORGANISERS, election_slug=E, section_slug=S, post_only=True)
    ],
    "elections:result_import": [_case(ORGANISERS, election_slug=E, section_slug=S)],
    "elections:forecast": [_case(ORGANISERS, election_slug=E, section_slug=S)],
    "elections:forecast_run": [
        _case(ORGANISERS, election_slug=E, section_slug=S, run_id="{forecast_run_id}")
    ],
    "elections:forecast_run_progress": [
        _case(ORGANISERS, election_slug=E, section_slug=S, run_id="{forecast_run_id}")
    ],
    "elections:election_manage_list": [_case(ORGANISERS, "NEC elections (test)")],
    "elections:party_election_create": [_case(ORGANISERS)],
    "elections:election_organise": [_case(ORGANISERS, "Left Slate", election_slug=E)],
    "elections:party_election_edit": [_case(ORGANISERS, election_slug=E)],
    "elections:party_election_delete": [_case(ORGANISERS, election_slug=E, post_only=True)],
    "elections:section_create": [_case(ORGANISERS, election_slug=E)],
    "elections:slate_manage": [_case(ORGANISERS, "Left Slate", election_slug=E)],
    "elections:slate_edit": [
        _case(ORGANISERS, "Cleo Candidate", election_slug=E, slate_id="{slate_id}")
    ],
    "elections:slate_delete": [
        _case(ORGANISERS, election_slug=E, slate_id="{slate_id}", post_only=True)
    ],
    "elections:slate_member_add": [
        _case(ORGANISERS, election_slug=E, slate_id="{slate_id}", post_only=True)
    ],
    "elections:slate_member_edit": [
        _case(
            ORGANISERS,
            "Cleo Candidate",
            election_slug=E,
            slate_id="{slate_id}",
            membership_id="{slate_membership_id}",
        )
    ],
    "elections:slate_member_remove": [
        _case(
            ORGANISERS,
            election_slug=E,
            slate_id="{slate_id}",
            membership_id="{slate_membership_id}",
            post_only=True,
        )
    ],
    "elections:section_edit": [_case(ORGANISERS, election_slug=E, section_slug=S)],
    "elections:section_delete": [
        _case(ORGANISERS, election_slug=E, section_slug=S, post_only=True)
    ],
    "elections:candidate_manage": [
        _case(ORGANISERS, "Cleo Candidate", election_slug=E, section_slug=S)
    ],
    "elections:candidate_edit": [
        _case(
            ORGANISERS,
            "Cleo Candidate",
            election_slug=E,
            section_slug=S,
            candidate_id="{candidate_id}",
        )
    ],
    "elections:candidate_delete": [
        _case(
            ORGANISERS,
            election_slug=E,
            section_slug=S,
            candidate_id="{candidate_id}",
            post_only=True,
        )
    ],
    "ballots:ballot_list": [_case(EVERYONE, "Which strategy?")],
    "ballots:new": [_case(ORGANISERS)],
    # Every account's own list of the ballots whose roll it is on.
    "ballots:mine": [_case(LOGGED_IN)],
    # Only a draft is edited, by its returning officer (or an administrator).
    "ballots:edit": [_case(OFFICER, "Secret draft question", slug="draft-ballot")],
    "ballots:detail": [
        _case(EVERYONE, "Which strategy?", slug="open-ballot", label="open"),
        _case(OFFICER, "Secret draft question", slug="draft-ballot", label="draft"),
        _case(EVERYONE, "Published question", slug="published-ballot", label="published"),
    ],
    "ballots:manage": [
        _case(OFFICER, "Which strategy?", slug="open-ballot", label="open"),
        _case(OFFICER, "Secret draft question", slug="draft-ballot", label="draft"),
    ],
    "ballots:control": [
        _case(OFFICER, slug="open-ballot", action="extend", post_only=True, label="extend"),
        _case(OFFICER, slug="draft-ballot", action="open", post_only=True, label="open"),
    ],
    "ballots:result": [
        _case(EVERYONE, "Published question", slug="published-ballot", label="published"),
        _case(frozenset(), slug="open-ballot", label="open"),
    ],
    "ballots:result_json": [
        _case(EVERYONE, "Ann", slug="published-ballot", label="published"),
        _case(frozenset(), slug="open-ballot", label="open"),
    ],
    "ballots:blt": [
        _case(EVERYONE, "Ann", slug="published-ballot", label="published"),
        _case(frozenset(), slug="open-ballot", label="open"),
    ],
    "ballots:categories": [
        _case(EVERYONE, "Ann", slug="published-ballot", label="published"),
        _case(frozenset(), slug="open-ballot", label="open"),
    ],
    "ballots:receipts": [
        _case(EVERYONE, slug="published-ballot", label="published"),
        _case(frozenset(), slug="open-ballot", label="open"),
    ],
    # The emailed link leads whoever holds it to the voting page; the page itself opens only
    # from the link, so everyone who comes to it directly is refused.
    # Anyone may ask for a new voting link on an open ballot's page (the answer is the same
    # for any address); a draft's page, and so its form, is its officers' only.
    "ballots:link_resend": [
        _case(EVERYONE, slug="open-ballot", post_only=True, label="open"),
        _case(OFFICER, slug="draft-ballot", post_only=True, label="draft"),
    ],
    "ballots:vote_link": [
        _case(
            EVERYONE,
            "Which strategy?",
            slug="open-ballot",
            token="{token}",
            follow=True,
            label="own",
        ),
        _case(frozenset(), slug="published-ballot", token="{token}", label="other ballot"),
        _case(frozenset(), slug="open-ballot", token="x" * 43, label="forged"),
    ],
    "ballots:vote": [_case(frozenset(), slug="open-ballot", refusal=403, label="no link")],
    # A sealed ballot's board (after the close) and bundle (once published) are anyone's;
    # its trustee page and files are its trustees' only.
    "ballots:board": [
        _case(EVERYONE, "Sealed question", slug="sealed-published", label="published"),
        _case(frozenset(), slug="open-ballot", label="not sealed"),
    ],
    "ballots:bundle": [
        _case(EVERYONE, "grassroots-sealed-ballots", slug="sealed-published", label="published"),
        _case(frozenset(), slug="published-ballot", label="not sealed"),
    ],
    "ballots:trustee": [
        _case(SUPPORTERS, "Trustee", slug="sealed-published", label="trustee"),
        _case(frozenset(), slug="published-ballot", label="not sealed"),
    ],
    "ballots:trustee_file": [
        _case(
            SUPPORTERS,
            "verification_keys",
            slug="sealed-published",
            name="election.json",
            label="trustee",
        ),
    ],
    "ballots:trustee_upload": [
        _case(SUPPORTERS, slug="sealed-published", step="decrypt", post_only=True),
    ],
    "slates:slate_index": [_case(EVERYONE, "NEC elections (test)")],
    "campaign:index": [_case(ORGANISERS, "Left Slate")],
    "campaign:drive_detail": [
        _case(ORGANISERS, "Leeds Central and Headingley", drive_id="{drive_id}")
    ],
    "campaign:drive_targets": [_case(ORGANISERS, "Left Slate", drive_id="{drive_id}")],
    "campaign:report_confirm": [
        _case(ORGANISERS, drive_id="{drive_id}", report_id="{outcome_report_id}", post_only=True)
    ],
    "campaign:report_reject": [
        _case(ORGANISERS, drive_id="{drive_id}", report_id="{outcome_report_id}", post_only=True)
    ],
    "campaign:plan_create": [_case(ORGANISERS)],
    "campaign:plan_detail": [_case(ORGANISERS, "Born in January", plan_id="{plan_id}")],
    "campaign:plan_run_request": [_case(ORGANISERS, plan_id="{plan_id}", post_only=True)],
    "campaign:plan_run": [_case(ORGANISERS, "Left Slate", plan_id="{plan_id}", run_id="{run_id}")],
    "campaign:plan_run_progress": [_case(ORGANISERS, plan_id="{plan_id}", run_id="{run_id}")],
    "campaign:plan_run_apply": [
        _case(ORGANISERS, plan_id="{plan_id}", run_id="{run_id}", post_only=True)
    ],
    "campaign:plan_publish": [_case(ORGANISERS, plan_id="{plan_id}", post_only=True)],
    # Only verified supporters of a target CLP act for it (both supporters are in Leeds).
    "campaign:volunteer": [_case(SUPPORTERS, drive_id="{drive_id}", post_only=True)],
    "campaign:meeting_record": [_case(SUPPORTERS, "Leeds Central", drive_id="{drive_id}")],
    "campaign:outcome_report": [_case(SUPPORTERS, "Cleo Candidate", drive_id="{drive_id}")],
    "slates:slate_detail": [_case(EVERYONE, election_slug=E, section_slug=S)],
    "slates:nominee_list": [_case(EVERYONE, "Nora Nominee", election_slug=E, section_slug=S)],
    "slates:nominate": [
        _case(ORGANISERS | {"representative"}, "Unity Union", election_slug=E, section_slug=S)
    ],
    "slates:slate_ballot": [_case(ORGANISERS, "1 nominee", election_slug=E, section_slug=S)],
    "slates:publish": [
        _case(
            ORGANISERS,
            election_slug=E,
            section_slug=S,
            ballot_slug="published-ballot",
            post_only=True,
        )
    ],
    "slates:endorsement_record": [
        _case(ORGANISERS, election_slug=E, section_slug=S, post_only=True)
    ],
    # Discussions: the supporters' space is every verified supporter's; Unity Union's is its
    # representative's (the supporter's membership is only pending); organisers, the committee
    # and administrators read and moderate every space.
    "discussions:index": [_case(LOGGED_IN)],
    "discussions:notifications": [_case(LOGGED_IN, post_only=True)],
    "discussions:conduct": [_case(LOGGED_IN, "I will treat everyone")],
    "discussions:space": [
        _case(LOGGED_IN, "Open to all", space="supporters", label="supporters"),
        _case(DISCUSS_ORG, "Union business", space="{org_space}", label="organisation"),
    ],
    "discussions:thread_new": [
        _case(LOGGED_IN, space="supporters", label="supporters"),
        _case(DISCUSS_ORG, space="{org_space}", label="organisation"),
    ],
    "discussions:thread": [
        _case(LOGGED_IN, "Open to all", thread_id="{thread_id}", label="supporters"),
        _case(DISCUSS_ORG, "Union business", thread_id="{org_thread_id}", label="organisation"),
    ],
    "discussions:reply": [
        _case(DISCUSS_ORG, thread_id="{org_thread_id}", post_only=True, label="organisation")
    ],
    "discussions:thread_lock": [
        _case(DISCUSS_ORG, thread_id="{org_thread_id}", post_only=True, label="organisation"),
        _case(EVENT_ORGANISERS, thread_id="{thread_id}", post_only=True, label="supporters"),
    ],
    "discussions:propose": [_case(ORGANISERS, "Open to all", thread_id="{thread_id}")],
    "discussions:post_report": [
        _case(DISCUSS_ORG, "A rude remark", post_id="{org_post_id}", label="organisation")
    ],
    "discussions:post_hide": [
        _case(DISCUSS_ORG, post_id="{org_post_id}", post_only=True, label="organisation"),
        _case(EVENT_ORGANISERS, post_id="{post_id}", post_only=True, label="supporters"),
    ],
    "discussions:moderation": [_case(DISCUSS_ORG, "A rude remark")],
    "discussions:report_dismiss": [
        _case(DISCUSS_ORG, report_id="{discussion_report_id}", post_only=True)
    ],
    # Suspending reaches every space: not a group's own representative.
    "discussions:member_suspend": [
        _case(EVENT_ORGANISERS, report_id="{discussion_report_id}", post_only=True)
    ],
    "discussions:suspension_lift": [
        _case(EVENT_ORGANISERS, suspension_id="{suspension_id}", post_only=True)
    ],
    "policy:policy_list": [_case(EVERYONE, "Council Homes Now")],
    "policy:manage": [_case(ORGANISERS, "Council Homes Now")],
    "policy:position_create": [_case(ORGANISERS)],
    "policy:position_edit": [
        _case(ORGANISERS, "Council Homes Now", position_id="{policy_position_id}")
    ],
    "policy:position_move": [
        _case(ORGANISERS, position_id="{policy_position_id}", direction="down", post_only=True)
    ],
    "policy:position_delete": [
        _case(ORGANISERS, position_id="{policy_position_id}", post_only=True)
    ],
    "candidacy:questionnaire_list": [_case(EVERYONE, "Questions for the candidates")],
    "candidacy:questionnaire_create": [_case(ORGANISERS)],
    "candidacy:compare": [
        _case(EVERYONE, "Would you back open selections?", questionnaire_id="{questionnaire_id}")
    ],
    "candidacy:questionnaire_edit": [
        _case(ORGANISERS, "Would you back open selections?", questionnaire_id="{questionnaire_id}")
    ],
    "candidacy:manage": [_case(ORGANISERS, "Ann", questionnaire_id="{questionnaire_id}")],
    "candidacy:profile": [_case(EVERYONE, "Ann", profile_id="{profile_id}")],
    "candidacy:profile_edit": [_case(ORGANISERS, "Ann", profile_id="{profile_id}")],
    "candidacy:profile_link": [_case(ORGANISERS, profile_id="{profile_id}", post_only=True)],
    # Whoever holds the candidate's emailed link may write their page; a forged one is refused.
    "candidacy:answer": [
        _case(EVERYONE, "Ann", token="{candidate_token}", label="link"),
        _case(frozenset(), token="x" * 43, label="forged"),
    ],
    # A ballot paper's order: its returning officer (or an administrator).
    "candidacy:ballot_paper": [_case(OFFICER, "Secret draft question", slug="draft-ballot")],
}


def _url_names() -> Iterator[str]:
    """Every named URL of the site (but the admin's, which Django guards itself)."""

    def walk(patterns: list[Any], namespace: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"unnamed URL {pattern.pattern}"
                yield f"{namespace}{pattern.name}"

    yield from walk(get_resolver().url_patterns, "")


def test_every_url_has_a_row_in_the_table() -> None:
    assert sorted(set(_url_names())) == sorted(EXPECTED)


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    """One of each object, and one account per persona."""
    clp = Constituency.objects.get(name="Leeds Central and Headingley")
    supporter = supporter_create(clp=clp, name="Sam Subject")
    rep_supporter = supporter_create(clp=clp, name="Rita Rep")
    organiser = role_holder_create(Role.ORGANISER)
    organisation = organisation_create(name="Unity Union")
    representative = representative_create(organisation=organisation, supporter=rep_supporter)
    membership = OrganisationMembership.objects.create(
        organisation=organisation, supporter=supporter, consent_wording="I belong."
    )
    group_request = GroupRequest.objects.create(supporter=supporter, constituency=clp)
    message = Message.objects.create(
        sender=rep_supporter, recipient=supporter, body="See you at the meeting"
    )
    MessageBlock.objects.create(blocker=supporter, blocked=rep_supporter)
    message_report = MessageReport.objects.create(message=message, reason="Unwanted")
    event = event_create(title="Open Meeting", constituency=clp, contact_email="asked@example.org")
    draft = event_create(title="Secret Draft Meeting", published=False, created_by=organiser)
    speaker_create(name="Listed Speaker")
    hidden = speaker_create(name="Hidden Speaker", listed=False, contact="hidden@example.org")

    election = election_create()
    section = section_get(election)
    candidate = candidates_create(section, [("Cleo Candidate", "F")])["Cleo Candidate"]
    slate = election_services.slate_create(
        actor=None, election=election, name="Left Slate", colour="#aa0000"
    )
    slate_membership = election_services.slate_membership_add(
        actor=None, slate=slate, candidate=candidate, source="test"
    )
    from grassroots.web.slates import services as slate_services

    slate_services.slate_nomination_submit(
        actor=organiser, organisation=organisation, section=section, name="Nora Nominee", gender="F"
    )

    ballot_create(slug="draft-ballot", question="Secret draft question", actor=organiser)
    published = ballot_create(slug="published-ballot", question="Published question")
    tokens = ballot_open_with_tokens(published)
    ballot_services.ballot_cast(
        credential_token=tokens[0], ranking=option_ids(published, "Ann", "Bea")
    )
    ballot_services.ballot_close(actor=None, ballot=published)
    ballot_services.ballot_publish(actor=None, ballot=published)
    sealed_election_id = _sealed_published(
        organiser=organiser, trustees=[supporter.user, rep_supporter.user]
    )
    open_ballot = ballot_create(slug="open-ballot", question="Which strategy?", actor=organiser)
    token = ballot_open_with_tokens(open_ballot)[0]
    Ballot.objects.filter(pk__in=[published.pk]).update(returning_officer=organiser)
    from grassroots.web.discussions import services as discussion_services
    from grassroots.web.discussions.models import Suspension
    from grassroots.web.discussions.spaces import Space

    for person in (supporter.user, rep_supporter.user):
        discussion_services.conduct_accept(person=person)
    thread = discussion_services.thread_start(
        author=supporter.user, space=Space(), title="Open to all", body="Hello", site_url=""
    )
    org_thread = discussion_services.thread_start(
        author=rep_supporter.user,
        space=Space(organisation),
        title="Union business",
        body="A rude remark",
        site_url="",
    )
    org_post = org_thread.posts.get()
    discussion_report = discussion_services.post_report(
        reporter=organiser, post=org_post, reason="Rude"
    )
    suspension = Suspension.objects.create(person=supporter.user, created_by=organiser)
    from grassroots.web.affiliation.models import Application, ApplicationStatus
    from grassroots.web.affiliation.services import naming_token as affiliation_naming_token
    from grassroots.web.invitations.services import invitation_token
    from grassroots.web.mailings.models import Audience, Mailing
    from grassroots.web.reports.models import Report, Reporter

    mailing = Mailing.objects.create(
        subject="Quarterly news", body="Hello all.", audience=Audience.ALL, created_by=organiser
    )
    reporter = Reporter.objects.create(
        name="Rita Rep", role="Committee representative", representative=representative
    )
    report = Report.objects.create(
        reporter=reporter,
        meeting="Council meeting",
        met_on=clp_date(),
        decisions="Agreed the budget.",
    )
    application = Application.objects.create(
        name="Tenants Union",
        kind="national",
        contact_name="Cara Contact",
        contact_email="cara@example.org",
        statement="We organise tenants.",
        decision="A vote.",
        status=ApplicationStatus.ACCEPTED,
        organisation=organisation_create(name="Tenants Union"),
    )
    forecast_run = ForecastRun.objects.create(
        section=section, inputs={"form": {}}, input_hash="0" * 64, runs_total=10
    )

    policy_position = policy_services.position_create(
        actor=organiser, title="Council Homes Now", body="Build them."
    )
    questionnaire = candidacy_services.questionnaire_create(
        actor=organiser,
        ballot=open_ballot,
        title="Questions for the candidates",
        questions=["Would you back open selections?"],
    )
    profile = questionnaire.profiles.get(ballot_option__name="Ann")
    candidacy_services.profile_link_send(
        actor=organiser, profile=profile, email="ann@example.org", site_url="http://testserver"
    )
    candidate_token = _candidate_token(profile)
    drive = Drive.objects.create(slate=slate, section=section)
    Target.objects.create(drive=drive, clp=clp)
    outcome_report = OutcomeReport.objects.create(
        drive=drive, clp=clp, met_on=election.nominations_open, source="minutes"
    )
    OutcomeNominee.objects.create(report=outcome_report, candidate=candidate)
    plan = VotePlan.objects.create(slate=slate, section=section, rule=PlanRule.BIRTH_MONTH)
    PlanGroup.objects.create(
        plan=plan, name="Born in January to June", share=0.5, order=["Cleo Candidate"]
    )
    PlanGroup.objects.create(
        plan=plan, name="Born in July to December", share=0.5, order=["Cleo Candidate"]
    )
    plan_run = PlanRun.objects.create(plan=plan, kind=RunKind.EVALUATE, inputs={}, runs_total=10)

    users: dict[str, User | None] = {
        "public": None,
        "supporter": supporter.user,
        "representative": rep_supporter.user,
        "organiser": organiser,
        "other_organiser": role_holder_create(Role.ORGANISER),
        "committee": role_holder_create(Role.COMMITTEE),
        "administrator": role_holder_create(Role.ADMINISTRATOR),
    }
    values = {
        "supporter_id": supporter.pk,
        "organisation_slug": organisation.slug,
        "organisation_id": organisation.pk,
        "representative_id": representative.pk,
        "membership_id": membership.pk,
        "group_request_id": group_request.pk,
        "event_id": event.pk,
        "draft_event_id": draft.pk,
        "gss_code": clp.gss_code,
        "speaker_id": hidden.pk,
        "election": election.slug,
        "section": section.slug,
        "slate_id": slate.pk,
        "slate_membership_id": slate_membership.pk,
        "candidate_id": candidate.pk,
        "token": token,
        "message_id": message.pk,
        "blocked_supporter_id": rep_supporter.pk,
        "message_report_id": message_report.pk,
        "representative_token": naming_token(
            salt=REPRESENTATIVE_SALT, object_id=representative.pk, email=rep_supporter.user.email
        ),
        "contact_token": naming_token(
            salt=CONTACT_SALT, object_id=event.pk, email="asked@example.org"
        ),
        "forecast_run_id": forecast_run.pk,
        "org_space": Space(organisation).key,
        "thread_id": thread.pk,
        "org_thread_id": org_thread.pk,
        "post_id": thread.posts.get().pk,
        "org_post_id": org_post.pk,
        "discussion_report_id": discussion_report.pk,
        "suspension_id": suspension.pk,
        "drive_id": drive.pk,
        "outcome_report_id": outcome_report.pk,
        "plan_id": plan.pk,
        "run_id": plan_run.pk,
        "unsubscribe_token": unsubscribe_token(user=supporter.user, topic=Topic.DISCUSSIONS),
        "sealed_election_id": sealed_election_id,
        "policy_position_id": policy_position.pk,
        "questionnaire_id": questionnaire.pk,
        "profile_id": profile.pk,
        "candidate_token": candidate_token,
        "mailing_id": mailing.pk,
        "reporter_slug": reporter.slug,
        "report_id": report.pk,
        "invitation_token": invitation_token(user=supporter.user),
        "affiliation_token": affiliation_naming_token(application=application),
        "application_id": application.pk,
    }
    mail.outbox.clear()
    return {"users": users, "values": values}


def _sealed_published(*, organiser: User, trustees: list[User]) -> str:
    """A sealed ballot run to publication, its two trustees two of the personas; returns its
    election id."""
    ceremony = Ceremony(
        ballot=ballot_create(slug="sealed-published", question="Sealed question", sealed=True),
        people=trustees,
    )
    for person in trustees:
        sealed.trustee_add(actor=None, ballot=ceremony.ballot, person=person)
    key_ceremony(ceremony)
    tokens = ballot_open_with_tokens(ceremony.ballot)
    ballot_services.ballot_cast(
        credential_token=tokens[0], ranking=option_ids(ceremony.ballot, "Cal", "Ann")
    )
    close_and_mix(ceremony.ballot)
    sealed.mixing_stop(actor=None, ballot=ceremony.ballot)
    for index in (1, 2):
        sealed.trustee_share_upload(
            actor=None, trustee=ceremony.trustee(index), text=share_file(ceremony, index)
        )
    count(ceremony.ballot)
    Ballot.objects.filter(pk=ceremony.ballot.pk).update(returning_officer=organiser)
    return election_id(ceremony.ballot)


def _candidate_token(profile: CandidateProfile) -> str:
    """The token in the candidate's emailed link: a new one, whose hash the profile keeps."""
    token = "candidate-" + "t" * 40
    CandidateProfile.objects.filter(pk=profile.pk).update(token_hash=token_hash(token))
    return token


def clp_date() -> Any:
    """A day in the past, for a meeting already held."""
    from django.utils import timezone

    return timezone.localdate() - timedelta(days=3)


def _cases() -> Iterator[Any]:
    for name, cases in EXPECTED.items():
        for case in cases:
            label = f"{name}[{case.label}]" if case.label else name
            yield pytest.param(name, case, id=label)


def _client(world: dict[str, Any], persona: str) -> Client:
    client = Client()
    user = world["users"][persona]
    if user is not None:
        client.force_login(user)
    return client


def _url(world: dict[str, Any], name: str, case: Case) -> str:
    kwargs = {key: value.format(**world["values"]) for key, value in case.kwargs}
    return reverse(name, kwargs=kwargs)


def _refused(response: Any, persona: str, case: Case) -> bool:
    if response.status_code == case.refusal:
        return True
    return (
        persona == "public"
        and response.status_code == 302
        and response["Location"].startswith("/login/")
    )


def _wrong(world: dict[str, Any], url: str, case: Case, persona: str) -> str | None:
    """What is wrong with how the persona is answered at the address, or None."""
    client = _client(world, persona)
    if persona in case.allowed:
        if case.post_only:
            response = client.post(url, {})
            return None if response.status_code < 500 else f"POST {response.status_code}"
        response = client.get(url, follow=case.follow)
        if case.follow and not response.redirect_chain:
            return f"GET {response.status_code}, expected a redirect"
        if response.status_code != 200:
            return f"GET {response.status_code}, expected 200"
        body = b"".join(response) if response.streaming else response.content
        if case.shows is not None and case.shows not in body.decode():
            return f"the page does not show {case.shows!r}"
        return None
    audited = AuditEntry.objects.count()
    if not case.post_only:
        response = client.get(url)
        if not _refused(response, persona, case):
            return f"GET {response.status_code}, expected a refusal"
    response = client.post(url, {})
    if not (_refused(response, persona, case) or response.status_code == 405):
        return f"POST {response.status_code}, expected a refusal"
    if AuditEntry.objects.count() != audited:
        return "a refused POST wrote the audit log"
    return None


@pytest.mark.parametrize(("name", "case"), list(_cases()))
def test_each_role_opens_only_what_it_may(world: dict[str, Any], name: str, case: Case) -> None:
    url = _url(world, name, case)

    wrong = {persona: _wrong(world, url, case, persona) for persona in PERSONAS}

    assert {persona: why for persona, why in wrong.items() if why} == {}, url


def test_a_role_taken_away_opens_nothing_more(world: dict[str, Any]) -> None:
    """An organiser who loses the role is refused at once, on their next request."""
    organiser = world["users"]["other_organiser"]
    client = Client()
    client.force_login(organiser)
    assert client.get("/organise/elections/").status_code == 200

    organiser.groups.remove(Group.objects.get(name=Role.ORGANISER.value))

    assert client.get("/organise/elections/").status_code == 404


# RFC 8058: a mail program posts the one-click unsubscribe without a form. The signed token in
# the address decides whom it unsubscribes, never the session: see test_subscriptions.py.
CSRF_EXEMPT = {"people:unsubscribe"}


def test_no_address_takes_a_post_without_the_csrf_token(world: dict[str, Any]) -> None:
    """A page on another site cannot make a logged-in browser post here: every address
    refuses a post that lacks the form's CSRF token, whoever is logged in."""
    accepted = []
    audited = AuditEntry.objects.count()
    for persona in ["supporter", "representative", "organiser", "administrator"]:
        client = Client(enforce_csrf_checks=True)
        client.force_login(world["users"][persona])
        for name, cases in EXPECTED.items():
            if name in CSRF_EXEMPT:
                continue
            for case in cases:
                url = _url(world, name, case)
                response = client.post(url, {})
                if response.status_code != 403:
                    accepted.append((persona, url, response.status_code))
    assert accepted == []
    assert AuditEntry.objects.count() == audited


def test_the_audit_log_of_all_this_names_nobody(world: dict[str, Any]) -> None:
    """Summaries hold ids, kinds, counts and field names, never a person's name or address:
    the log outlives an erasure."""
    names = ["Sam", "Rita", "Cleo", "Nora", "Unity", "@example.org", "Ann", "Bea"]

    logged = [f"{e.action} {e.object_id} {e.summary}" for e in AuditEntry.objects.order_by("pk")]

    assert logged
    assert [line for line in logged if any(name in line for name in names)] == []
