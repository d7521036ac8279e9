"""Ballot pages: each checks access, validates a form, calls one service, and renders or
redirects."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from grassroots.web.ballots import access, charts, paper, sealed, sealed_views, selectors, services
from grassroots.web.ballots.forms import (
    BallotCreateForm,
    BallotEditForm,
    ExtendForm,
    RankingForm,
    ScrutineerForm,
    ThresholdForm,
    TrusteeForm,
    VotingLinkResendForm,
)
from grassroots.web.ballots.models import (
    Ballot,
    Electorate,
    Method,
    Status,
)
from grassroots.web.errors import DomainError
from grassroots.web.people.access import acting_user
from grassroots.web.people.ratelimit import HOUR, RateLimit, client_ip, rate_limit_hit
from grassroots.web.people.roles import Role, user_roles


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def ballot_list(request: HttpRequest) -> HttpResponse:
    """Every ballot but drafts; organisers and administrators see drafts too."""
    officer = bool({Role.ORGANISER, Role.ADMINISTRATOR} & user_roles(request.user))
    ballots = list(selectors.ballot_list(include_drafts=officer))
    return render(request, "ballots/ballot_list.html", {"ballots": ballots, "officer": officer})


@login_required
def ballot_new(request: HttpRequest) -> HttpResponse:
    """Organisers and administrators create a draft ballot; its creator runs it."""
    access.ballots_for_returning_officer(request.user)
    form = BallotCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = services.ballot_create(
                actor=acting_user(request),
                slug=data["slug"],
                question=data["question"],
                description=data["description"],
                options=data["options"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                method=Method(data["method"]),
                rule=data["rule"],
                seats=data["seats"],
                quotas=data["quotas"],
                electorate=Electorate(data["electorate"]),
                organisations=data["organisations"],
                publish_receipts_with_rankings=data["publish_receipts_with_rankings"],
                statements=data["statements"],
                email_receipts=data["email_receipts"],
                sealed=data["sealed"],
            )
        except DomainError as err:
            err.show_on(form)
        else:
            messages.success(request, "The ballot is saved as a draft; open it when ready.")
            return redirect("ballots:manage", slug=ballot.slug)
    return render(
        request, "ballots/ballot_new.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def ballot_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The returning officer edits a draft; once it has opened the page says it cannot."""
    ballot = access.ballot_for_returning_officer(request.user, slug)
    if ballot.status != Status.DRAFT:
        return render(
            request,
            "ballots/ballot_edit.html",
            {"ballot": ballot, "refused": services.NOT_DRAFT},
            status=409,
        )
    form = BallotEditForm(request.POST if request.method == "POST" else None, ballot=ballot)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.ballot_update(
                actor=acting_user(request),
                ballot=ballot,
                question=data["question"],
                description=data["description"],
                options=data["options"],
                statements=data["statements"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                method=Method(data["method"]),
                rule=data["rule"],
                seats=data["seats"],
                quotas=data["quotas"],
                electorate=Electorate(data["electorate"]),
                organisations=data["organisations"],
                publish_receipts_with_rankings=data["publish_receipts_with_rankings"],
                sealed=data["sealed"],
            )
        except DomainError as err:
            if err.message == services.NOT_DRAFT:
                return render(
                    request,
                    "ballots/ballot_edit.html",
                    {"ballot": ballot, "refused": err.message},
                    status=409,
                )
            err.show_on(form)
        else:
            messages.success(
                request,
                f"The draft is saved ({', '.join(changed)} changed)."
                if changed
                else "Nothing had changed.",
            )
            return redirect("ballots:manage", slug=ballot.slug)
    return render(
        request,
        "ballots/ballot_edit.html",
        {"ballot": ballot, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def ballot_mine(request: HttpRequest) -> HttpResponse:
    """My ballots: every ballot whose roll the signed-in person is on, whether they have
    voted (never how), and the result once published. Receipts are kept, if at all, in the
    voter's own browser (mine.js), never by the site."""
    user = access.my_ballots(request.user)
    return render(
        request,
        "ballots/ballot_mine.html",
        {
            "rows": selectors.my_ballot_list(user=user),
            "scrutinised": selectors.scrutinised_ballot_list(user=user),
        },
    )


def ballot_detail(request: HttpRequest, slug: str) -> HttpResponse:
    ballot = access.ballot_for_public(request.user, slug)
    return _detail_render(request, ballot, VotingLinkResendForm())


def _detail_render(
    request: HttpRequest,
    ballot: Ballot,
    resend_form: VotingLinkResendForm,
    *,
    resent: bool = False,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "ballots/ballot_detail.html",
        {
            "ballot": ballot,
            "options": selectors.ballot_options(ballot=ballot),
            "shares": selectors.electorate_organisation_list(ballot=ballot),
            "may_run": access.may_run(request.user, ballot),
            "resend_form": resend_form,
            "resent": resent,
        },
        status=status,
    )


# A new voting link, per address and per client, like login links: each one replaces the
# last, so the limit also caps how often someone typing a voter's address can change it.
VOTING_LINKS_PER_EMAIL = RateLimit("voting-link-email", limit=3, window_seconds=HOUR)
VOTING_LINKS_PER_IP = RateLimit("voting-link-ip", limit=20, window_seconds=HOUR)
VOTING_LINKS_LIMITED = "Too many requests for a voting link: try again in an hour."


@require_POST
def voting_link_resend(request: HttpRequest, slug: str) -> HttpResponse:
    """A voter who lost their link asks for a new one. The answer is the same whatever the
    address (on the roll, voted already, unknown): a task looks it up and emails a new link
    (the old one stops working) only to someone on the roll who has not voted."""
    ballot = access.ballot_for_public(request.user, slug)
    form = VotingLinkResendForm(request.POST)
    if ballot.status != Status.OPEN:
        form.add_error(None, services.NOT_OPEN)
        return _detail_render(request, ballot, form, status=400)
    if not form.is_valid():
        return _detail_render(request, ballot, form, status=400)
    email = form.cleaned_data["email"]
    over_email = rate_limit_hit(VOTING_LINKS_PER_EMAIL, key=f"{ballot.pk}:{email}")
    over_ip = rate_limit_hit(VOTING_LINKS_PER_IP, key=client_ip(request))
    if over_email or over_ip:
        form.add_error("email", VOTING_LINKS_LIMITED)
        return _detail_render(request, ballot, form, status=429)
    services.voting_link_resend_request(ballot=ballot, email=email)
    return _detail_render(request, ballot, VotingLinkResendForm(), resent=True)


@login_required
def ballot_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The returning officer's page: turnout and the controls for the ballot's status. Its
    scrutineers see the same page without the controls."""
    ballot = access.ballot_for_scrutiny(request.user, slug)
    return _manage_render(request, ballot, ExtendForm(initial={"closes_at": ballot.closes_at}))


def _trial_result(ballot: Ballot) -> dict[str, Any] | None:
    """A draft's test ballots counted as the real ones will be, for the TEST panel."""
    if ballot.status != Status.DRAFT:
        return None
    rows = selectors.trial_rows(ballot=ballot)
    if not rows:
        return None
    try:
        result = services.ballot_count(ballot=ballot, rows=rows)
    except DomainError as err:
        return {"ballots": len(rows), "error": err.message}
    return {"ballots": len(rows), "elected": result["elected"], "totals": result.get("totals")}


def _manage_render(
    request: HttpRequest,
    ballot: Ballot,
    extend_form: ExtendForm,
    *,
    error: str = "",
    scrutineer_form: ScrutineerForm | None = None,
    trustee_form: TrusteeForm | None = None,
    threshold_form: ThresholdForm | None = None,
) -> HttpResponse:
    voted, roll = selectors.turnout_get(ballot=ballot)
    preview = selectors.roll_preview(ballot=ballot) if ballot.status == Status.DRAFT else None
    may_run = access.may_run(request.user, ballot)
    candidates = selectors.scrutineer_candidates(ballot=ballot) if may_run else []
    return render(
        request,
        "ballots/ballot_manage.html",
        {
            "ballot": ballot,
            "may_run": may_run,
            "voted": voted,
            "roll": roll,
            "issued": ballot.credentials.count(),
            "preview": preview,
            "to_choose": len(selectors.members_still_to_choose(ballot=ballot)),
            "delivery": selectors.delivery_counts(ballot=ballot),
            "extend_form": extend_form,
            "scrutineers": selectors.scrutineer_list(ballot=ballot),
            "scrutineer_form": scrutineer_form or ScrutineerForm(candidates=candidates),
            "trial": _trial_result(ballot),
            "audit_trail": selectors.ballot_audit_trail(ballot=ballot),
            "error": error,
            "Status": Status,
            "sealed": sealed_views.officer_context(
                ballot,
                may_run=may_run,
                trustee_form=trustee_form,
                threshold_form=threshold_form,
            )
            if ballot.sealed
            else None,
        },
        status=400
        if error
        or extend_form.errors
        or (scrutineer_form and scrutineer_form.errors)
        or (trustee_form and trustee_form.errors)
        or (threshold_form and threshold_form.errors)
        else 200,
    )


# The returning officer's actions that cannot be undone: each is confirmed on its own page
# (a plain form, so it works without JavaScript) before it acts.
CONFIRM = frozenset({"open", "close", "cancel", "publish", "remind_voters", "stop_mixing"})


def _confirm_render(request: HttpRequest, ballot: Ballot, action: str) -> HttpResponse:
    """The confirmation step: what the action will do, and a button that does it."""
    voted, roll = selectors.turnout_get(ballot=ballot)
    preview = None
    if action == "open":
        preview = selectors.roll_preview(ballot=ballot)
        if preview.problem:
            return _manage_render(request, ballot, ExtendForm(), error=preview.problem)
        voters = f"{preview.voters} voter{'s' if preview.voters != 1 else ''}"
        heading = f"Open the ballot for {voters}?"
        statement = (
            f"Opening freezes the roll with these {voters} and emails each of them a "
            "single-use voting link, from the background in the minutes that follow (this "
            "page shows how many are sent). Nobody can be added afterwards, and the ballot "
            "cannot return to a draft."
        )
        button = f"Open the ballot and email {voters}"
    elif action == "remind_voters":
        waiting = roll - voted
        heading = f"Remind the {waiting} who have not voted?"
        statement = (
            f"Each of the {waiting} on the roll who have not voted is emailed a reminder with "
            "a new voting link, which replaces the one they had (the site does not keep the "
            "old one). You will not see who they are."
        )
        button = f"Email {waiting} reminder{'s' if waiting != 1 else ''}"
    elif action == "close":
        heading = "Close the ballot now?"
        statement = (
            f"{voted} of {roll} on the roll have voted. After the close nobody can vote, and "
            "the ballot cannot be reopened."
        )
        button = "Close the ballot now"
    elif action == "cancel":
        heading = "Cancel the ballot?"
        statement = (
            f"A cancelled ballot is never counted, and it cannot be reopened. {voted} of "
            f"{roll} on the roll have voted; their ballots are kept, uncounted."
        )
        button = "Cancel the ballot"
    elif action == "stop_mixing":
        heading = "Stop the mixing?"
        statement = (
            "The last mix's list becomes the list the trustees decrypt: no trustee can mix "
            "after this. Each mix is one more party who would have to collude to link a "
            "voter to a ballot."
        )
        button = "Stop the mixing"
    else:
        heading = "Count and publish?"
        statement = (
            "The ballots are counted and the result, every receipt code and the anonymised "
            "ballots are published for anyone to see. Publication cannot be undone."
        )
        if ballot.sealed:
            statement = (
                "The trustees' decryption shares are combined in the background, and the "
                "decrypted ballots counted and published with the bundle anyone can verify. "
                "Publication cannot be undone."
            )
        button = "Count and publish"
    return render(
        request,
        "ballots/confirm.html",
        {
            "ballot": ballot,
            "heading": heading,
            "statement": statement,
            "button": button,
            "preview": preview,
            "action_url": reverse("ballots:control", args=(ballot.slug, action)),
            "back_url": reverse("ballots:manage", args=(ballot.slug,)),
        },
    )


@login_required
@require_POST
def ballot_control(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """Open, close, cancel, extend or publish the ballot, by one service each. The actions
    that cannot be undone first show what they will do, and act only once confirmed."""
    ballot = access.ballot_for_returning_officer(request.user, slug)
    actor = acting_user(request)
    if action in CONFIRM and request.POST.get("confirmed") != "yes":
        return _confirm_render(request, ballot, action)
    extend_form = ExtendForm(request.POST if action == "extend" else None)
    try:
        if action == "open":
            roll = services.ballot_open(actor=actor, ballot=ballot, site_url=_site_url(request))
            ballot.refresh_from_db(fields=["status"])
            messages.success(
                request,
                f"The ballot is opening: the worker is freezing its roll of about {roll} "
                "voters, and emails their links as soon as that is done."
                if ballot.status == Status.OPENING
                else f"The ballot is open; the links to its {roll} voters are being emailed.",
            )
        elif action == "remind_voters":
            reminded = services.ballot_reminders_send(actor=actor, ballot=ballot)
            messages.success(request, f"Reminders are being emailed to {reminded} voter(s).")
        elif action == "retry":
            retried = services.ballot_delivery_retry(actor=actor, ballot=ballot)
            messages.success(request, f"{retried} failed link(s) are being emailed again.")
        elif action == "close":
            cast = services.ballot_close(actor=actor, ballot=ballot)
            messages.success(request, f"The ballot is closed; {cast} ballots were cast.")
        elif action == "cancel":
            services.ballot_cancel(actor=actor, ballot=ballot)
            messages.success(request, "The ballot is cancelled.")
        elif action == "publish" and ballot.sealed:
            sealed.count_request(actor=actor, ballot=ballot, site_url=_site_url(request))
            messages.success(request, "The ballots are being decrypted and counted.")
        elif action == "publish":
            services.ballot_publish(actor=actor, ballot=ballot, site_url=_site_url(request))
            messages.success(request, "The result and the ballots are published.")
        elif action in sealed_views.OFFICER_ACTIONS:
            forms_shown = sealed_views.officer_act(request, ballot, action, actor)
            if forms_shown is not None:
                return _manage_render(request, ballot, ExtendForm(), **forms_shown)
        elif action == "remind":
            sent = services.ballot_choice_reminders_send(
                actor=actor, ballot=ballot, site_url=_site_url(request)
            )
            messages.success(request, f"{sent} member(s) were asked to choose an organisation.")
        elif action == "try":
            hashed = services.ballot_trial_credential_issue(actor=actor, ballot=ballot)
            return _vote_cookie_set(
                redirect("ballots:vote", slug=ballot.slug), hashed, slug=ballot.slug
            )
        elif action == "scrutineer":
            form = ScrutineerForm(
                request.POST, candidates=selectors.scrutineer_candidates(ballot=ballot)
            )
            if not form.is_valid():
                return _manage_render(request, ballot, ExtendForm(), scrutineer_form=form)
            services.ballot_scrutineer_add(
                actor=actor,
                ballot=ballot,
                email=form.cleaned_data["email"],
                person=form.cleaned_data["person"],
            )
            messages.success(request, services.SCRUTINEER_ANSWER)
        elif action == "unscrutineer":
            try:
                person_id = int(request.POST.get("person", ""))
            except ValueError:
                raise Http404(access.NOT_FOUND) from None
            services.ballot_scrutineer_remove(actor=actor, ballot=ballot, person_id=person_id)
            messages.success(request, "The scrutineer is removed.")
        elif action == "extend":
            if not extend_form.is_valid():
                return _manage_render(request, ballot, extend_form)
            services.ballot_extend(
                actor=actor, ballot=ballot, closes_at=extend_form.cleaned_data["closes_at"]
            )
            messages.success(request, "The closing time is extended.")
        else:
            raise Http404(access.NOT_FOUND)
    except DomainError as err:
        if action == "extend":
            err.show_on(extend_form)
            return _manage_render(request, ballot, extend_form)
        if action == "threshold":
            threshold_form = ThresholdForm(request.POST)
            err.show_on(threshold_form)
            return _manage_render(request, ballot, ExtendForm(), threshold_form=threshold_form)
        ballot.refresh_from_db()
        return _manage_render(request, ballot, ExtendForm(), error=err.message)
    return redirect("ballots:manage", slug=ballot.slug)


# The emailed link's token is swapped at once for this signed, short-lived cookie holding the
# token's hash, and the voter is sent on to a page whose address holds no token. The name
# says "token" so Django's error reports hide its value.
VOTE_COOKIE = "grassroots_vote_token"
VOTE_COOKIE_SALT = "grassroots.ballots.vote"
VOTE_COOKIE_SECONDS = 2 * 60 * 60
LINK_NEEDED = (
    "Open this ballot from the personal voting link in your email. For your privacy the link "
    "is swapped for a pass that lasts two hours in this browser; the link itself keeps "
    "working until you vote."
)


def _referrer_policy(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """Voting pages never let an address carrying a token into a Referer.

    Whatever answers the emailed link (the redirect, or a refusal) sends none at all
    (``no-referrer``). The voting page itself has no token in its address, and there a
    browser told ``no-referrer`` would send ``Origin: null`` with the form, which Django's
    CSRF protection refuses; so it sends a Referer only to this site (``same-origin``),
    never to another."""
    at_link = request.resolver_match is not None and request.resolver_match.url_name == (
        "vote_link"
    )
    response["Referrer-Policy"] = "no-referrer" if at_link else "same-origin"
    return response


def _vote_refused(
    request: HttpRequest, message: str, *, status: int, ballot: Ballot | None = None
) -> HttpResponse:
    return _referrer_policy(
        render(
            request,
            "ballots/vote_refused.html",
            {"ballot": ballot, "message": message},
            status=status,
        ),
        request,
    )


def _pass_or_refusal(
    request: HttpRequest, found: selectors.VotingPass | None, slug: str
) -> selectors.VotingPass | HttpResponse:
    """The voting pass if its credential may vote here, or the refusal page for an unknown
    or used one."""
    if found is None or found.ballot.slug != slug:
        return _vote_refused(request, services.UNKNOWN_CREDENTIAL, status=404)
    if found.used:
        return _vote_refused(request, services.USED_CREDENTIAL, status=410, ballot=found.ballot)
    return found


@never_cache
def vote_link(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The emailed link: check the credential, swap the token for a short-lived cookie and
    redirect (303) to the voting page, so the token is never in the address of the page the
    voter sees, in a Referer or in a log line of ours. Nothing is used up here: a mail
    scanner that follows the link only gets a cookie it throws away."""
    hashed = selectors.token_hash(token)
    found = _pass_or_refusal(request, selectors.voting_pass_get(token_hash=hashed), slug)
    if isinstance(found, HttpResponse):
        return found
    page = reverse("ballots:vote", args=(slug,))
    response = _vote_cookie_set(
        HttpResponseRedirect(page, status=303),
        hashed,  # the credential's, as it was found by it
        slug=slug,
    )
    return _referrer_policy(response, request)


def _vote_cookie_set(response: HttpResponse, token_hash: str, *, slug: str) -> HttpResponse:
    """Give the browser the short-lived pass to the ballot's voting page."""
    response.set_signed_cookie(
        VOTE_COOKIE,
        token_hash,
        salt=VOTE_COOKIE_SALT,
        max_age=VOTE_COOKIE_SECONDS,
        path=reverse("ballots:vote", args=(slug,)),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@never_cache
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    """The voting page, reached from the emailed link; posting it casts the ballot once."""
    hashed = request.get_signed_cookie(
        VOTE_COOKIE, default=None, salt=VOTE_COOKIE_SALT, max_age=VOTE_COOKIE_SECONDS
    )
    if hashed is None:
        return _vote_refused(request, LINK_NEEDED, status=403)
    # A real credential, or the returning officer's test credential on a draft.
    found = _pass_or_refusal(
        request, selectors.voting_pass_get(token_hash=hashed, trial=True), slug
    )
    if isinstance(found, HttpResponse):
        return found
    trial, ballot = found.trial, found.ballot
    # The voter's own order of the options, links to candidates' pages, quotas in words.
    ballot_paper = paper.ballot_paper(ballot=ballot, options=found.options, voter_seed=hashed)
    form = RankingForm(
        request.POST if request.method == "POST" else None,
        ballot=ballot,
        options=ballot_paper.options,
    )
    if request.method == "POST" and form.is_valid():
        cast = services.ballot_trial_cast if trial else services.ballot_cast
        try:
            receipt = cast(credential_hash=hashed, ranking=form.cleaned_data["ranking"])
        except DomainError as err:
            err.show_on(form)
        else:
            response = render(
                request,
                "ballots/receipt.html",
                {"ballot": ballot, "receipt": receipt, "trial": trial},
            )
            response.delete_cookie(VOTE_COOKIE, path=request.path)
            return _referrer_policy(response, request)
    return _referrer_policy(
        render(
            request,
            "ballots/vote.html",
            {"ballot": ballot, "form": form, "trial": trial, "paper": ballot_paper},
            status=400 if form.errors else 200,
        ),
        request,
    )


def _sheet(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The count sheet: a row per candidate, their votes at each stage, and what became of them."""
    rows = []
    for name in result["candidates"]:
        elected_at = next((s["number"] for s in result["stages"] if name in s["elected"]), None)
        excluded_at = next((s["number"] for s in result["stages"] if name in s["excluded"]), None)
        rows.append(
            {
                "name": name,
                "category": result["categories"].get(name, ""),
                "votes": [s["votes"].get(name, "") for s in result["stages"]],
                "elected_at": elected_at,
                "excluded_at": excluded_at,
            }
        )
    return rows


def ballot_result(request: HttpRequest, slug: str) -> HttpResponse:
    """The published result: who won and why, the count sheet, charts, receipts and ballots."""
    ballot = access.ballot_published(request.user, slug)
    result = ballot.result or {}
    context: dict[str, Any] = {
        "ballot": ballot,
        "result": result,
        "receipts": selectors.receipt_list(ballot=ballot),
        "rankings": selectors.published_rankings(ballot=ballot),
        "recount": selectors.recount_command(ballot=ballot),
    }
    if ballot.is_ranked:
        context |= {
            "sheet": _sheet(result),
            "decisions": [
                (stage["number"], decision)
                for stage in result["stages"]
                for decision in stage["decisions"]
            ],
            "rounds_svg": charts.rounds_svg(result),
            "transfers_svg": charts.transfers_svg(result),
            "transfers": charts.transfer_totals(result),
        }
    return render(request, "ballots/result.html", context)


def _download(body: str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def ballot_blt(request: HttpRequest, slug: str) -> HttpResponse:
    ballot = access.ballot_published(request.user, slug)
    return _download(
        selectors.ballot_blt(ballot=ballot),
        content_type="text/plain; charset=utf-8",
        filename=f"{ballot.slug}.blt",
    )


def ballot_categories(request: HttpRequest, slug: str) -> HttpResponse:
    ballot = access.ballot_published(request.user, slug)
    return _download(
        selectors.ballot_categories_csv(ballot=ballot),
        content_type="text/csv; charset=utf-8",
        filename=f"{ballot.slug}-categories.csv",
    )


def ballot_receipts(request: HttpRequest, slug: str) -> HttpResponse:
    ballot = access.ballot_published(request.user, slug)
    return _download(
        "".join(f"{code}\n" for code in selectors.receipt_list(ballot=ballot)),
        content_type="text/plain; charset=utf-8",
        filename=f"{ballot.slug}-receipts.txt",
    )


def ballot_result_json(request: HttpRequest, slug: str) -> HttpResponse:
    ballot = access.ballot_published(request.user, slug)
    return _download(
        json.dumps(ballot.result, indent=2, ensure_ascii=False) + "\n",
        content_type="application/json",
        filename=f"{ballot.slug}-result.json",
    )
