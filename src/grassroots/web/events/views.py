"""Views of the events app: each checks access, validates a form, calls one service, and
renders or redirects (the last three steps by ``grassroots.web.forms_flow``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.web.constituencies.models import Constituency
from grassroots.web.constituencies.selectors import constituency_choices, region_list
from grassroots.web.errors import DomainError
from grassroots.web.events import access, rsvps, selectors, services
from grassroots.web.events.forms import EventForm, PublishForm, RsvpForm, SpeakerForm
from grassroots.web.events.ical import calendar_build
from grassroots.web.events.models import Event, EventKind, RsvpStatus
from grassroots.web.forms_flow import form_data, form_status, handle_action, handle_form
from grassroots.web.people.models import User
from grassroots.web.people.naming import naming_agree_page, naming_link_invalid, naming_token_read

ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"


def _user(request: HttpRequest) -> User:
    """The logged-in user (views calling this are behind ``login_required`` and access)."""
    if not isinstance(request.user, User):
        raise Http404(access.NO_PAGE)
    return request.user


def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming published events, filtered by kind and region; only the rows for htmx."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in EventKind.values else ""
    region = request.GET.get("region", "")[:40]
    events = list(selectors.event_list_upcoming(kind=kind, region=region))
    context = {"events": events, "kind": kind, "region": region}
    if request.headers.get("HX-Request"):
        return render(request, "events/_event_rows.html", context)
    context |= {"kinds": EventKind.choices, "regions": region_list()}
    return render(request, "events/event_list.html", context)


def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access.event_for_viewer(request.user, event_id)
    can_edit = True
    try:
        access.event_for_organiser(request.user, event_id)
    except Http404:
        can_edit = False
    supporter = access.rsvp_supporter(request.user)
    context = {
        "event": event,
        "can_edit": can_edit,
        "counts": rsvps.rsvp_counts(event=event),
        "may_reply": supporter is not None,
        "rsvp": rsvps.rsvp_get(event=event, supporter=supporter),
        "open_for_replies": event.published and event.ends_at > timezone.now(),
    }
    return render(request, "events/event_detail.html", context)


@login_required
@require_POST
def event_rsvp(request: HttpRequest, event_id: int) -> HttpResponse:
    """Reply to an event (``going``), or withdraw the reply (``cancel``)."""
    event = access.event_for_viewer(request.user, event_id)
    supporter = access.rsvp_supporter(request.user)
    if supporter is None:
        raise Http404(access.NO_EVENT)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose to reply or to withdraw.", status=400)
    back = reverse("events:event_detail", args=[event.pk])
    if form.cleaned_data["action"] == "cancel":
        return handle_action(
            request,
            lambda: rsvps.rsvp_cancel(
                supporter=supporter, event=event, site_url=request.build_absolute_uri("/")
            ),
            success="Your reply is withdrawn.",
            redirect_to=back,
        )
    try:
        rsvp = rsvps.rsvp_make(supporter=supporter, event=event)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect(back)
    messages.success(
        request,
        "You are going: see you there."
        if rsvp.status == RsvpStatus.GOING
        else "The event is full: you are on the waiting list, and we will email you if a "
        "place comes free.",
    )
    return redirect(back)


def event_ical(request: HttpRequest, event_id: int) -> HttpResponse:
    """One published event as its own iCalendar file, to add to a calendar."""
    event = access.event_for_viewer(request.user, event_id)
    if not event.published:
        raise Http404(access.NO_EVENT)
    response = _calendar_response(request, name=event.title, events=[event])
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


def conference_schedule(request: HttpRequest) -> HttpResponse:
    """The fringe programme of the party conference, by day and time."""
    days = selectors.conference_schedule()
    return render(request, "events/conference.html", {"days": days})


@login_required
def event_organise(request: HttpRequest) -> HttpResponse:
    """The events the viewer may manage, drafts included."""
    events = list(access.event_list_for_organiser(request.user))
    return render(request, "events/organise.html", {"events": events})


def _event_form_page(
    request: HttpRequest, form: EventForm, event: Event | None = None
) -> HttpResponse:
    context = {"form": form, "event": event, "clp_options": constituency_choices()}
    return render(request, "events/event_form.html", context, status=form_status(form))


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    """A new event, saved as a draft."""
    actor = access.event_create_for_organiser(request.user)
    form = EventForm(form_data(request))
    if done := handle_form(
        request,
        form,
        lambda _data: services.event_create(
            actor=actor, site_url=request.build_absolute_uri("/"), **form.service_kwargs()
        ),
        success="The event is saved as a draft. Publish it when ready.",
        redirect_to=lambda event: reverse("events:event_detail", args=[event.pk]),
    ):
        return done
    return _event_form_page(request, form)


@login_required
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access.event_for_organiser(request.user, event_id)
    # The stored values are read only to show the form, not to check a post.
    form = (
        EventForm(request.POST, event=event)
        if request.method == "POST"
        else EventForm(initial=EventForm.initial_for(event), event=event)
    )
    if done := handle_form(
        request,
        form,
        lambda _data: services.event_update(
            actor=_user(request),
            event=event,
            site_url=request.build_absolute_uri("/"),
            **form.service_kwargs(),
        ),
        success="The event is updated.",
        redirect_to=reverse("events:event_detail", args=[event.pk]),
    ):
        return done
    return _event_form_page(request, form, event)


@login_required
@require_POST
def event_publish(request: HttpRequest, event_id: int) -> HttpResponse:
    """Publish a draft, or take a published event back to draft."""
    event = access.event_for_organiser(request.user, event_id)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose publish or unpublish.", status=400)
    publish = form.cleaned_data["action"] == "publish"
    return handle_action(
        request,
        lambda: (
            services.event_publish(
                actor=_user(request), event=event, site_url=request.build_absolute_uri("/")
            )
            if publish
            else services.event_unpublish(actor=_user(request), event=event)
        ),
        success="The event is published." if publish else "The event is back to draft.",
        redirect_to=reverse("events:event_detail", args=[event.pk]),
    )


def _calendar_response(request: HttpRequest, *, name: str, events: list[Event]) -> HttpResponse:
    def event_url(event: Event) -> str:
        return request.build_absolute_uri(reverse("events:event_detail", args=[event.pk]))

    body = calendar_build(name=name, events=events, event_url=event_url)
    return HttpResponse(body, content_type=ICAL_CONTENT_TYPE)


def feed_all(request: HttpRequest) -> HttpResponse:
    """Every published event of the alliance, as iCalendar."""
    events = list(selectors.event_list_feed())
    return _calendar_response(request, name=settings.GRASSROOTS_ALLIANCE_NAME, events=events)


def feed_group(request: HttpRequest, slug: str) -> HttpResponse:
    """One organising group's published events (the group is named by its slug)."""
    events = list(selectors.event_list_feed(organiser_slug=slug))
    name = events[0].organiser_name if events else slug
    return _calendar_response(request, name=f"{name} events", events=events)


def feed_clp(request: HttpRequest, gss_code: str) -> HttpResponse:
    """The published events in one CLP."""
    clp = Constituency.objects.with_clp().filter(gss_code=gss_code.upper()).first()
    if clp is None:
        raise Http404("No such CLP.")
    events = list(selectors.event_list_feed(gss_code=clp.gss_code))
    return _calendar_response(request, name=f"Events in {clp.name}", events=events)


def speaker_list(request: HttpRequest) -> HttpResponse:
    """The speakers directory: listed speakers for everyone; all, with contacts, for
    organisers."""
    organiser = access.speaker_contacts_visible(request.user)
    speakers = list(selectors.speaker_list(include_unlisted=organiser))
    context = {"speakers": speakers, "organiser": organiser}
    return render(request, "events/speaker_list.html", context)


def _speaker_form_page(request: HttpRequest, form: SpeakerForm, speaker: object) -> HttpResponse:
    context = {"form": form, "speaker": speaker, "clp_options": constituency_choices()}
    return render(request, "events/speaker_form.html", context, status=form_status(form))


@login_required
def speaker_create(request: HttpRequest) -> HttpResponse:
    actor = access.event_create_for_organiser(request.user)
    form = SpeakerForm(form_data(request))
    if done := handle_form(
        request,
        form,
        lambda _data: services.speaker_create(actor=actor, **form.service_kwargs()),
        success="The speaker is added.",
        redirect_to=reverse("events:speaker_list"),
    ):
        return done
    return _speaker_form_page(request, form, None)


@login_required
def speaker_edit(request: HttpRequest, speaker_id: int) -> HttpResponse:
    speaker = access.speaker_for_organiser(request.user, speaker_id)
    # The stored values are read only to show the form, not to check a post.
    form = (
        SpeakerForm(request.POST)
        if request.method == "POST"
        else SpeakerForm(initial=SpeakerForm.initial_for(speaker))
    )
    if done := handle_form(
        request,
        form,
        lambda _data: services.speaker_update(
            actor=_user(request), speaker=speaker, **form.service_kwargs()
        ),
        success="The speaker is updated.",
        redirect_to=reverse("events:speaker_list"),
    ):
        return done
    return _speaker_form_page(request, form, speaker)


def contact_agree(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link to agree to be an event's contact. GET shows what is asked and a
    button (mail scanners fetch links); POST agrees. Holding the link proves the address."""
    read = naming_token_read(salt=selectors.CONTACT_SALT, token=token)
    event = Event.objects.filter(pk=read[0]).first() if read else None
    if read is None or event is None:
        return naming_link_invalid(request)
    email = read[1]
    return naming_agree_page(
        request,
        what=f"to be named as the contact for “{event.title}” ({event.organiser_name}) "
        "on the public events pages",
        agree=lambda: services.event_contact_agree(event=event, email=email),
        success="Thank you: you are named as the event's contact.",
        done=lambda: (
            redirect("events:event_detail", event.pk) if event.published else redirect("dashboard")
        ),
    )
