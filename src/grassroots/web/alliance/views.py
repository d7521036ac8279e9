"""Views of the alliance app: each checks access, validates a form, calls one service, and
renders or redirects (the last three steps by ``grassroots.web.forms_flow``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.web.alliance import access, selectors, services
from grassroots.web.alliance.forms import (
    GroupRequestForm,
    MembershipClaimForm,
    MembershipVoteWithForm,
    OrganisationForm,
    PutInTouchForm,
    RepresentativeEndForm,
    RepresentativeForm,
    RulesForm,
)
from grassroots.web.alliance.models import (
    AffiliationStatus,
    ElectionMethod,
    OrganisationKind,
    OrganisationMembership,
    Representative,
)
from grassroots.web.alliance.page_parts import organisation_page_parts
from grassroots.web.forms_flow import form_data, form_status, handle_action, handle_form
from grassroots.web.people.access import acting_user
from grassroots.web.people.models import Supporter
from grassroots.web.people.naming import naming_agree_page, naming_link_invalid, naming_token_read


def organisation_list(request: HttpRequest) -> HttpResponse:
    """The alliance's organisations, for everyone: name, kind, CLPs, status (no contacts)."""
    organisations = list(selectors.organisation_list())
    return render(request, "alliance/organisation_list.html", {"organisations": organisations})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One organisation's public page: its record (no contact), its current representatives on
    the committee, and what other apps add (the events app: its upcoming events and feed)."""
    organisation = selectors.organisation_page_get(slug=slug)
    if organisation is None:
        raise Http404(access.NOT_FOUND)
    context = {
        "organisation": organisation,
        "affiliated": organisation.status == AffiliationStatus.AFFILIATED,
        "parts": organisation_page_parts(organisation=organisation),
    }
    return render(request, "alliance/organisation_detail.html", context)


@login_required
def organisation_manage_list(request: HttpRequest) -> HttpResponse:
    """Organisations with their contact people, for organisers and the committee."""
    access.organisation_contacts_for_committee(request.user)
    organisations = list(selectors.organisation_list())
    return render(
        request, "alliance/organisation_manage_list.html", {"organisations": organisations}
    )


def _organisation_fields(data: dict[str, Any]) -> dict[str, object]:
    return {
        "name": data["name"],
        "kind": OrganisationKind(data["kind"]),
        "status": AffiliationStatus(data["status"]),
        "affiliated_on": data["affiliated_on"],
        "disaffiliated_on": data["disaffiliated_on"],
        "constituencies": data["clps"],
        "contact_name": data["contact_name"],
        "contact_email": data["contact_email"],
        "website": data["website"],
    }


@login_required
def organisation_add(request: HttpRequest) -> HttpResponse:
    access.organisation_add_for_organiser(request.user)
    form = OrganisationForm(form_data(request))
    if done := handle_form(
        request,
        form,
        lambda data: services.organisation_create(
            actor=acting_user(request),
            **_organisation_fields(data),  # type: ignore[arg-type]  # checked by the form
        ),
        success=lambda organisation: f"{organisation.name} is recorded.",
        redirect_to=reverse("alliance:organisation_manage_list"),
    ):
        return done
    context = {"form": form, "organisation": None}
    return render(request, "alliance/organisation_form.html", context, status=form_status(form))


@login_required
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access.organisation_for_organiser(request.user, organisation_id)
    # The stored values are read only to show the form, not to check a post.
    form = (
        OrganisationForm(request.POST)
        if request.method == "POST"
        else OrganisationForm(initial=OrganisationForm.initial_for(organisation))
    )
    if done := handle_form(
        request,
        form,
        lambda data: services.organisation_update(
            actor=acting_user(request),
            organisation=organisation,
            **_organisation_fields(data),  # type: ignore[arg-type]  # checked by the form
        ),
        success=f"{organisation.name} is updated.",
        redirect_to=reverse("alliance:organisation_manage_list"),
    ):
        return done
    context = {"form": form, "organisation": organisation}
    return render(request, "alliance/organisation_form.html", context, status=form_status(form))


@login_required
def representative_list(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """An organisation's representatives, past and present, and a form to record one."""
    organisation = access.organisation_for_representative(request.user, organisation_id)
    form = RepresentativeForm(form_data(request), initial={"started_on": timezone.localdate()})

    def recorded(representative: Representative) -> str:
        asked = (
            " We emailed them to ask whether they agree to be named publicly."
            if representative.email
            else ""
        )
        return f"{representative.name} is recorded as a representative.{asked}"

    if done := handle_form(
        request,
        form,
        lambda data: services.representative_record(
            actor=acting_user(request),
            organisation=organisation,
            name=data["name"],
            email=data["email"],
            site_url=request.build_absolute_uri("/"),
            started_on=data["started_on"],
            method=ElectionMethod(data["method"]),
            method_note=data["method_note"],
        ),
        success=recorded,
        redirect_to=reverse("alliance:representative_list", args=[organisation.pk]),
    ):
        return done
    context = {
        "organisation": organisation,
        "representatives": list(selectors.representative_list(organisation=organisation)),
        "today": timezone.localdate(),
        "form": form,
    }
    return render(request, "alliance/representative_list.html", context, status=form_status(form))


@login_required
def representative_end(
    request: HttpRequest, organisation_id: int, representative_id: int
) -> HttpResponse:
    representative = access.representative_for_representative(
        request.user, organisation_id, representative_id
    )
    form = RepresentativeEndForm(form_data(request), initial={"ended_on": timezone.localdate()})
    who = f"{representative.name}'s" if representative.name else "The representative's"
    if done := handle_form(
        request,
        form,
        lambda data: services.representative_end(
            actor=acting_user(request), representative=representative, ended_on=data["ended_on"]
        ),
        success=f"{who} term is ended.",
        redirect_to=reverse("alliance:representative_list", args=[organisation_id]),
    ):
        return done
    context = {"form": form, "representative": representative}
    return render(request, "alliance/representative_end.html", context, status=form_status(form))


@login_required
def rules_edit(request: HttpRequest) -> HttpResponse:
    """The alliance's rules on committee seats, for administrators."""
    rules = access.alliance_rules_for_administrator(request.user)
    form = RulesForm(
        form_data(request),
        initial={"national_seats": rules.national_seats, "local_seats": rules.local_seats},
    )
    if done := handle_form(
        request,
        form,
        lambda data: services.alliance_rules_update(actor=acting_user(request), **data),
        success="The rules are updated.",
        redirect_to=reverse("alliance:committee"),
    ):
        return done
    return render(request, "alliance/rules_form.html", {"form": form}, status=form_status(form))


def committee(request: HttpRequest) -> HttpResponse:
    """The organising committee, derived from the rules and the current representatives."""
    return render(request, "alliance/committee.html", {"committee": selectors.committee_get()})


@login_required
def group_request_add(request: HttpRequest) -> HttpResponse:
    """A supporter asks to set up a local group in their CLP, if it has none."""
    supporter = access.group_request_add_for_supporter(request.user)
    group = selectors.local_group_for_clp(constituency=supporter.constituency)
    form = GroupRequestForm(form_data(request))
    if done := handle_form(
        request,
        form,
        lambda data: services.group_request_create(supporter=supporter, note=data["note"]),
        success="Thank you: an organiser will be in touch.",
        redirect_to=reverse("alliance:group_request_add"),
    ):
        return done
    context = {
        "form": form,
        "supporter": supporter,
        "group": group,
        "asked": selectors.group_request_open_exists(supporter=supporter),
    }
    return render(request, "alliance/group_request_form.html", context, status=form_status(form))


@login_required
def group_request_list(request: HttpRequest) -> HttpResponse:
    """Open requests for local groups, for organisers; names only of those who consent to be
    contacted by the alliance."""
    access.group_requests_for_organiser(request.user)
    requests = list(selectors.group_request_list_open())
    return render(request, "alliance/group_request_list.html", {"requests": requests})


@login_required
def group_request_put_in_touch(request: HttpRequest, request_id: int) -> HttpResponse:
    group_request = access.group_request_for_organiser(request.user, request_id)
    contactable = selectors.group_request_contactable_list(constituency=group_request.constituency)
    form = PutInTouchForm(form_data(request), contactable=contactable)
    if done := handle_form(
        request,
        form,
        lambda data: services.group_request_put_in_touch(
            actor=acting_user(request), group_request=group_request, supporters=data["supporters"]
        ),
        success="Recorded: they were put in touch.",
        redirect_to=reverse("alliance:group_request_list"),
    ):
        return done
    context = {"form": form, "group_request": group_request}
    return render(
        request, "alliance/group_request_put_in_touch.html", context, status=form_status(form)
    )


def _membership_mine_render(
    request: HttpRequest,
    supporter: Supporter,
    *,
    claim_form: MembershipClaimForm | None = None,
    vote_form: MembershipVoteWithForm | None = None,
) -> HttpResponse:
    """The supporter's memberships page, with the forms given (bound, with their errors) or
    fresh ones. The choice of which one they vote with shows from two live memberships on."""
    memberships = list(selectors.membership_list_mine(supporter=supporter))
    live = [m for m in memberships if m.status in selectors.LIVE_MEMBERSHIP]
    if claim_form is None:
        claim_form = MembershipClaimForm(
            organisations=selectors.membership_claimable_list(supporter=supporter)
        )
    if vote_form is None and len(live) >= 2:
        vote_form = MembershipVoteWithForm(memberships=live)
    context = {"form": claim_form, "vote_form": vote_form, "memberships": memberships}
    status = 400 if claim_form.errors or (vote_form and vote_form.errors) else 200
    return render(request, "alliance/membership_mine.html", context, status=status)


@login_required
def membership_mine(request: HttpRequest) -> HttpResponse:
    """The supporter's memberships of organisations, and a form to say they belong to one."""
    supporter = access.membership_add_for_supporter(request.user)
    form = MembershipClaimForm(
        form_data(request),
        organisations=selectors.membership_claimable_list(supporter=supporter),
    )
    if done := handle_form(
        request,
        form,
        lambda data: services.membership_claim(
            supporter=supporter, organisation=data["organisation"], consent=data["consent"]
        ),
        success="Recorded: its representatives will confirm your membership.",
        redirect_to=reverse("alliance:membership_mine"),
    ):
        return done
    return _membership_mine_render(request, supporter, claim_form=form)


@login_required
@require_POST
def membership_vote_with(request: HttpRequest) -> HttpResponse:
    """The supporter chooses the membership they vote with in joint ballots, or clears it."""
    supporter = access.membership_add_for_supporter(request.user)
    live = selectors.membership_list_mine(supporter=supporter).filter(
        status__in=selectors.LIVE_MEMBERSHIP
    )
    form = MembershipVoteWithForm(request.POST, memberships=list(live))

    def choose(data: dict[str, Any]) -> OrganisationMembership | None:
        chosen_id = form.chosen_id()
        membership = (
            None if chosen_id is None else access.membership_for_self(request.user, chosen_id)
        )
        services.membership_vote_with(supporter=supporter, membership=membership)
        return membership

    def chosen(membership: OrganisationMembership | None) -> str:
        if membership is None:
            return "Your choice is cleared."
        return (
            "In joint ballots of several of your organisations, you vote with "
            f"{membership.organisation.name}."
        )

    if done := handle_form(
        request,
        form,
        choose,
        success=chosen,
        redirect_to=reverse("alliance:membership_mine"),
    ):
        return done
    return _membership_mine_render(request, supporter, vote_form=form)


@login_required
@require_POST
def membership_withdraw(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = access.membership_for_self(request.user, membership_id)
    supporter = access.membership_add_for_supporter(request.user)
    name = membership.organisation.name
    services.membership_withdraw(supporter=supporter, membership=membership)
    messages.success(request, f"Your membership of {name} is withdrawn and deleted.")
    return redirect("alliance:membership_mine")


@login_required
def membership_list(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """An organisation's pending and confirmed members, for its representatives and the
    alliance's organisers, to confirm or end."""
    organisation = access.organisation_members_for_representative(request.user, organisation_id)
    context = {
        "organisation": organisation,
        "memberships": list(selectors.membership_list_live(organisation=organisation)),
    }
    return render(request, "alliance/membership_list.html", context)


@login_required
@require_POST
def membership_decide(
    request: HttpRequest, organisation_id: int, membership_id: int, decision: str
) -> HttpResponse:
    """Confirm or end a membership (``decision`` comes from the URL)."""
    membership = access.membership_for_representative(request.user, organisation_id, membership_id)
    service = services.membership_confirm if decision == "confirm" else services.membership_end
    done = "confirmed" if decision == "confirm" else "ended"
    return handle_action(
        request,
        lambda: service(actor=acting_user(request), membership=membership),
        success=f"{membership.supporter.user.name}'s membership is {done}.",
        redirect_to=reverse("alliance:membership_list", args=[organisation_id]),
    )


def representative_agree(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link (or the button on /me/) to agree to be named as a representative.
    GET shows what is asked and a button (mail scanners fetch links); POST agrees. Holding
    the link proves the address."""
    read = naming_token_read(salt=selectors.REPRESENTATIVE_SALT, token=token)
    representative = (
        Representative.objects.select_related("organisation").filter(pk=read[0]).first()
        if read
        else None
    )
    if read is None or representative is None:
        return naming_link_invalid(request)
    email = read[1]
    return naming_agree_page(
        request,
        what=f"to be named as a representative of {representative.organisation.name} on "
        "the public committee page",
        agree=lambda: services.representative_name_agree(
            representative=representative, email=email
        ),
        success="Thank you: your name is shown on the committee page.",
        done=lambda: redirect("alliance:committee"),
    )
