"""Views of the people app: each validates a form, calls one service, renders or redirects
(where a success is announced, through ``grassroots.web.forms_flow``)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from sesame.utils import get_user

from grassroots.web.constituencies.selectors import constituency_choices
from grassroots.web.errors import DomainError
from grassroots.web.forms_flow import form_data, form_status, handle_action, handle_form
from grassroots.web.people import access, selectors, services, subscriptions
from grassroots.web.people.consents import WORDING
from grassroots.web.people.forms import (
    ConsentForm,
    EraseForm,
    LoginForm,
    MessageForm,
    MessageReportForm,
    ReportResolveForm,
    SignupForm,
)
from grassroots.web.people.models import ConsentKind, Membership, Supporter, Topic, User
from grassroots.web.people.naming import naming_request_list
from grassroots.web.people.ratelimit import (
    LOGIN_LINKS_PER_EMAIL,
    LOGIN_LINKS_PER_IP,
    MESSAGES_PER_SENDER_DAY,
    MESSAGES_PER_SENDER_HOUR,
    SIGNUPS_PER_IP,
    client_ip,
    rate_limit_hit,
)
from grassroots.web.people.roles import ORGANISE_ROLES, Role, user_roles

SIGNUPS_LIMITED = "Too many sign-ups came from your network in the last hour. Try again later."
LOGIN_LINKS_LIMITED = "Too many login links were asked for in the last hour. Try again later."
MESSAGES_LIMITED = (
    "You have sent as many messages as the site relays for now (10 an hour, 30 a day). "
    "Try again later."
)


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def join(request: HttpRequest) -> HttpResponse:
    """Sign the appeal. The answer never says whether the address already has an account."""
    return join_page(request)


def join_page(
    request: HttpRequest,
    *,
    joined: Callable[[Supporter], None] | None = None,
    form_action: str = "",
    intro: str = "",
) -> HttpResponse:
    """The sign-up form and its handling, for ``/join/`` and for pages of apps above people
    that pass ``joined`` (run with a new supporter in the sign-up's transaction), the address
    the form posts to, and a line to open with."""
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # The form looks no address up, so the limit applies before anything about the
        # address is: a new address and one that already has an account then get the same
        # answer, and the service emails the owner of an existing one instead.
        if rate_limit_hit(SIGNUPS_PER_IP, key=client_ip(request)):
            form.add_error("email", SIGNUPS_LIMITED)
            context = {
                "form": form,
                "clp_options": constituency_choices(),
                "form_action": form_action,
                "intro": intro,
            }
            return render(request, "people/join.html", context, status=429)
        try:
            services.supporter_signup(
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                constituency=form.cleaned_data["clp"],
                membership=Membership(form.cleaned_data["membership"]),
                consents=form.consents(),
                site_url=_site_url(request),
                joined=joined,
            )
        except DomainError as err:
            err.show_on(form)
        else:
            return redirect("people:join_done")
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "clp_options": constituency_choices(),
        "form_action": form_action,
        "intro": intro,
    }
    return render(request, "people/join.html", context, status=status)


def join_done(request: HttpRequest) -> HttpResponse:
    return render(request, "people/join_done.html")


def login_request(request: HttpRequest) -> HttpResponse:
    """Ask for an emailed login link. The answer is the same whether or not the address exists
    (the limits count addresses with and without an account alike)."""
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        over_email = rate_limit_hit(LOGIN_LINKS_PER_EMAIL, key=email)
        over_ip = rate_limit_hit(LOGIN_LINKS_PER_IP, key=client_ip(request))
        if over_email or over_ip:
            form.add_error("email", LOGIN_LINKS_LIMITED)
            return render(request, "people/login.html", {"form": form}, status=429)
        services.login_link_send(email=form.cleaned_data["email"], site_url=_site_url(request))
        return render(request, "people/login_sent.html")
    return render(request, "people/login.html", {"form": form}, status=400 if form.errors else 200)


def login_link(request: HttpRequest) -> HttpResponse:
    """Follow an emailed link. GET shows a button (so mail scanners that fetch links do not use
    them up); POST logs in and confirms the email address."""
    if request.method != "POST":
        return render(request, "people/login_link.html", {"has_token": "sesame" in request.GET})
    user = get_user(request)
    if not isinstance(user, User):
        context = {"invalid": True, "has_token": False}
        return render(request, "people/login_link.html", context, status=400)
    login(request, user, backend="sesame.backends.ModelBackend")
    if services.supporter_verify(user=user):
        messages.success(request, "Thank you: your email address is confirmed.")
    return redirect(landing_after_login(user))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("dashboard")


def landing_after_login(user: User) -> str:
    """Where a login lands: a supporter on their own page, an organiser, the committee or an
    administrator without a supporter record on the Organise page, anyone else on My data
    (which works for every account)."""
    roles = user_roles(user)
    if Role.SUPPORTER not in roles and ORGANISE_ROLES & roles:
        return reverse("organise")
    return reverse("people:me")


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The person's own data: for a supporter also their consents; for every account the
    roles it holds, requests to be named publicly, and links to export and erase."""
    person = access.person_for_self(request.user)
    supporter = access.supporter_of_person(person)
    consents = list(supporter.consents.order_by("given_at", "pk")) if supporter else []
    active = {c.kind for c in consents if c.withdrawn_at is None}
    kinds = [
        {"kind": kind, "label": kind.label, "wording": WORDING[kind], "given": kind in active}
        for kind in ConsentKind
    ]
    roles = sorted(role.value for role in user_roles(person) - {Role.PUBLIC, Role.SUPPORTER})
    context = {
        "person": person,
        "supporter": supporter,
        "topics": subscriptions.topic_states(user=person) if supporter else [],
        "consents": consents,
        "kinds": kinds if supporter else [],
        "roles": roles,
        "naming_requests": naming_request_list(person=person),
    }
    return render(request, "people/me.html", context)


@login_required
@require_POST
def consent_change(request: HttpRequest) -> HttpResponse:
    supporter = access.supporter_for_self(request.user)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That consent could not be changed.")
        return redirect("people:me")
    kind = ConsentKind(form.cleaned_data["kind"])
    service = (
        services.consent_give
        if form.cleaned_data["action"] == "give"
        else services.consent_withdraw
    )
    return handle_action(
        request,
        lambda: service(supporter=supporter, kind=kind),
        success="Your consent is updated.",
        redirect_to=reverse("people:me"),
    )


@login_required
@require_POST
def subscription_change(request: HttpRequest) -> HttpResponse:
    """Stop or restart one kind of email, from My data."""
    person = access.person_for_self(request.user)
    topic = request.POST.get("topic", "")
    if topic not in Topic.values:
        messages.error(request, "Choose a kind of email.")
        return redirect("people:me")
    if request.POST.get("action") == "subscribe":
        subscriptions.topic_subscribe(user=person, topic=topic)
        messages.success(request, f"You will get emails again: {Topic(topic).label.lower()}.")
    else:
        subscriptions.topic_unsubscribe(user=person, topic=topic, how="my data")
        messages.success(request, f"No more emails: {Topic(topic).label.lower()}.")
    return redirect(reverse("people:me") + "#emails")


@csrf_exempt  # RFC 8058: a mail program posts here without a form; the signed token decides
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every email a supporter may stop. Opening it shows a button (a link
    checker that fetches it unsubscribes nobody); posting to it, from that button or from a
    mail program's one-click unsubscribe, stops that kind of email."""
    found = subscriptions.unsubscribe_token_read(token)
    person = User.objects.filter(pk=found[0]).first() if found else None
    if found is None or person is None:
        raise Http404("This unsubscribe link is not valid.")
    topic = Topic(found[1])
    done = False
    if request.method == "POST":
        subscriptions.topic_unsubscribe(user=person, topic=topic, how="link")
        done = True
    context = {"topic": topic, "done": done, "token": token}
    return render(request, "people/unsubscribe.html", context)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """Everything stored about the person, as a JSON download."""
    person = access.person_for_self(request.user)
    response = JsonResponse(selectors.person_export(person=person), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="grassroots-my-data.json"'
    return response


@login_required
def erase(request: HttpRequest) -> HttpResponse:
    """Confirm, then erase the person's data and log them out."""
    person = access.person_for_self(request.user)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.person_erase(person=person)
        logout(request)
        messages.success(request, "Your data has been erased.")
        return redirect("dashboard")
    return render(request, "people/erase.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def contacts(request: HttpRequest) -> HttpResponse:
    """Supporters in the viewer's CLP who agreed to be visible (names only)."""
    supporter = access.supporter_for_self(request.user)
    try:
        access.contacts_for_supporter(request.user)
    except Http404:
        return render(request, "people/contacts.html", {"supporter": supporter, "allowed": False})
    context = {
        "supporter": supporter,
        "allowed": True,
        "contacts": list(selectors.contact_list(supporter=supporter)),
    }
    return render(request, "people/contacts.html", context)


@login_required
def message_send(request: HttpRequest, supporter_id: int) -> HttpResponse:
    """Write to a contact; the site relays it by email. A recipient who blocked the sender
    does not get it, and the sender sees the same answer (people.services.message_send)."""
    recipient = access.contact_for_supporter(request.user, supporter_id)
    sender = access.supporter_for_self(request.user)
    form = MessageForm(form_data(request))
    context = {"form": form, "recipient": recipient}
    key = str(sender.pk)
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            rate_limit_hit(MESSAGES_PER_SENDER_HOUR, key=key)
            or rate_limit_hit(MESSAGES_PER_SENDER_DAY, key=key)
        )
    ):
        form.add_error("body", MESSAGES_LIMITED)
        return render(request, "people/message_form.html", context, status=429)
    if done := handle_form(
        request,
        form,
        lambda data: services.message_send(
            sender=sender, recipient=recipient, body=data["body"], site_url=_site_url(request)
        ),
        success=f"Your message to {recipient.user.name} is on its way.",
        redirect_to=reverse("people:contacts"),
    ):
        return done
    return render(request, "people/message_form.html", context, status=form_status(form))


@login_required
def message_list(request: HttpRequest) -> HttpResponse:
    """Messages the supporter received, each with Block and Report, and whom they blocked."""
    supporter = access.supporter_for_self(request.user)
    blocks = list(selectors.message_block_list(supporter=supporter))
    context = {
        "received": list(selectors.message_list_received(supporter=supporter)),
        "blocked_ids": {block.blocked_id for block in blocks},
        "blocks": blocks,
    }
    return render(request, "people/message_list.html", context)


@login_required
@require_POST
def message_block(request: HttpRequest, message_id: int) -> HttpResponse:
    """Block the sender of a message the viewer received."""
    message = access.message_for_recipient(request.user, message_id)
    return handle_action(
        request,
        lambda: services.message_block(blocker=message.recipient, blocked=message.sender),
        success=f"You will receive no more messages from {message.sender.user}.",
        redirect_to=reverse("people:message_list"),
    )


@login_required
@require_POST
def message_unblock(request: HttpRequest, supporter_id: int) -> HttpResponse:
    """Lift one of the viewer's blocks."""
    block = access.block_for_supporter(request.user, supporter_id)
    services.message_unblock(blocker=block.blocker, blocked=block.blocked)
    messages.success(request, f"{block.blocked.user} can message you again.")
    return redirect("people:message_list")


@login_required
def message_report(request: HttpRequest, message_id: int) -> HttpResponse:
    """Report a received message to the organisers, and block its sender if asked."""
    message = access.message_for_recipient(request.user, message_id)
    form = MessageReportForm(form_data(request))
    if done := handle_form(
        request,
        form,
        lambda data: services.message_report(message=message, **data),
        success="Thank you: the organisers will look at the message.",
        redirect_to=reverse("people:message_list"),
    ):
        return done
    context = {"form": form, "message": message}
    return render(request, "people/message_report.html", context, status=form_status(form))


@login_required
def message_report_list(request: HttpRequest) -> HttpResponse:
    """The organisers' queue of reported messages: open first, then the latest closed."""
    access.reports_for_moderator(request.user)
    context = {
        "open_reports": list(selectors.message_report_list(resolved=False)),
        "closed_reports": list(selectors.message_report_list(resolved=True)[:50]),
        "form": ReportResolveForm(),
    }
    return render(request, "people/message_report_list.html", context)


@login_required
@require_POST
def message_report_resolve(request: HttpRequest, report_id: int) -> HttpResponse:
    """Close a report, saying what was done."""
    moderator, report = access.report_for_moderator(request.user, report_id)
    form = ReportResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say what was done about the report.")
        return redirect("people:message_report_list")
    return handle_action(
        request,
        lambda: services.message_report_resolve(
            actor=moderator, report=report, resolution=form.cleaned_data["resolution"]
        ),
        success=f"Report {report.pk} is closed.",
        redirect_to=reverse("people:message_report_list"),
    )


@login_required
def clp_counts(request: HttpRequest) -> HttpResponse:
    """For organisers: how many supporters each CLP has, never who."""
    access.clp_counts_for_organiser(request.user)
    rows = list(selectors.clp_supporter_count_list())
    return render(request, "people/clp_counts.html", {"rows": rows})
