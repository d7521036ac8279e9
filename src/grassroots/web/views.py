"""Site-wide pages: the public dashboard, the organisers' index, and placeholders for pages later
apps provide."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from grassroots.web.alliance.selectors import organisation_list_represented
from grassroots.web.campaign import selectors as campaign_selectors
from grassroots.web.dashboard import BAR_HEIGHT, dashboard_get
from grassroots.web.people.access import acting_user
from grassroots.web.people.models import User
from grassroots.web.people.roles import ORGANISE_MENU_ROLES, ORGANISE_ROLES, Role, user_roles


@dataclass(frozen=True)
class OrganisePage:
    title: str
    url_name: str
    description: str
    roles: frozenset[Role]


_ORGANISERS = frozenset({Role.ORGANISER, Role.ADMINISTRATOR})
# Each page's roles repeat its app's access function, which stays the check that counts.
ORGANISE_PAGES = (
    OrganisePage(
        "Organisations",
        "alliance:organisation_manage_list",
        "Affiliated organisations and local groups with their contact people; record "
        "representatives.",
        ORGANISE_ROLES,
    ),
    OrganisePage(
        "Local group requests",
        "alliance:group_request_list",
        "Supporters asking to set up a local group; put them in touch.",
        _ORGANISERS,
    ),
    OrganisePage(
        "Supporters by CLP",
        "people:clp_counts",
        "How many supporters each CLP has (never who).",
        ORGANISE_ROLES,
    ),
    OrganisePage(
        "Reported messages",
        "people:message_report_list",
        "Relayed messages supporters reported; close each with what was done.",
        frozenset({Role.COMMITTEE, Role.ADMINISTRATOR}),
    ),
    OrganisePage(
        "Discussion moderation",
        "discussions:moderation",
        "Posts readers reported in discussions: hide them or dismiss the report; suspensions.",
        # An organisation's representatives moderate its space too: they find the queue on
        # /discussions/, which links it only while they represent one.
        ORGANISE_ROLES,
    ),
    OrganisePage(
        "Mailings",
        "mailings:mailing_list",
        "Email supporters who agreed to it, by region, CLP, organisation or event.",
        _ORGANISERS,
    ),
    OrganisePage(
        "Joined through invitations",
        "invitations:counts",
        "How many joined through a friend's invitation, by CLP (never who invited whom).",
        ORGANISE_ROLES,
    ),
    OrganisePage(
        "Affiliation applications",
        "affiliation:application_list",
        "Groups and organisations asking to affiliate; put each to a committee ballot.",
        _ORGANISERS,
    ),
    OrganisePage(
        "Events you organise",
        "events:organise",
        "Your events, drafts included; new events and speakers.",
        ORGANISE_ROLES,
    ),
    OrganisePage(
        "Roles",
        "people:role_list",
        "Who organises, sits on the committee or administers the site; give and take away roles.",
        frozenset({Role.ADMINISTRATOR}),
    ),
    OrganisePage(
        "The alliance's rules",
        "alliance:rules_edit",
        "How many representatives each kind of organisation sends to the committee.",
        frozenset({Role.ADMINISTRATOR}),
    ),
    OrganisePage(
        "Ballots",
        "ballots:ballot_list",
        "Every ballot; returning officers manage theirs from its page.",
        ORGANISE_ROLES,
    ),
    OrganisePage(
        "New ballot",
        "ballots:new",
        "Draft a ballot: its question, method, options, quotas and electorate.",
        _ORGANISERS,
    ),
    OrganisePage(
        "Party elections",
        "elections:election_manage_list",
        "Set up the party's elections: timetable, sections and quotas, candidates and slates.",
        _ORGANISERS,
    ),
    OrganisePage(
        "Policy",
        "policy:manage",
        "Write the alliance's policy positions and set their order on the policy page.",
        _ORGANISERS,
    ),
    OrganisePage(
        "Candidates' pages",
        "candidacy:questionnaire_list",
        "Candidates' statements, photos and answers to our questions, by ballot or section.",
        _ORGANISERS,
    ),
    OrganisePage(
        "Campaign",
        "campaign:index",
        "The nominations drive for a slate (target CLPs, meetings, volunteers, outcomes to "
        "confirm) and vote plans: how-to-vote orders by group, evaluated and published.",
        _ORGANISERS,
    ),
    OrganisePage(
        "Slates",
        "slates:slate_index",
        "Nominees and slates by section; nominations and endorsements from each slate.",
        ORGANISE_ROLES,
    ),
)


def dashboard(request: HttpRequest) -> HttpResponse:
    """The alliance at a glance, for everyone; a supporter also sees their own CLP's part in
    the nominations drive and the order a published vote plan asks of them."""
    figures = dashboard_get()
    chart_height = BAR_HEIGHT * len(figures.by_region)
    context: dict[str, object] = {"figures": figures, "chart_height": chart_height}
    if isinstance(request.user, User):
        context["campaign_drives"] = campaign_selectors.supporter_drive_list(user=request.user)
        context["plan_cards"] = campaign_selectors.plan_card_list(user=request.user)
    return render(request, "dashboard.html", context)


def coming_soon(request: HttpRequest, title: str) -> HttpResponse:
    """A page whose app is not built yet (events, committee); replaced in ``urls.py`` then."""
    return render(request, "coming_soon.html", {"title": title})


@login_required
def organise(request: HttpRequest) -> HttpResponse:
    """The organiser pages the viewer may use: organisers, the committee and administrators;
    and for an affiliate representative, the pages of each organisation they represent."""
    roles = user_roles(request.user)
    if not ORGANISE_MENU_ROLES & roles:
        raise Http404("No such page.")
    represented = (
        organisation_list_represented(user=acting_user(request))
        if Role.AFFILIATE_REPRESENTATIVE in roles
        else []
    )
    pages = [
        {"title": page.title, "url": reverse(page.url_name), "description": page.description}
        for page in ORGANISE_PAGES
        if page.roles & roles
    ]
    return render(request, "organise.html", {"pages": pages, "represented": represented})
