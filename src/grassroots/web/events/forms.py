"""Forms of the events app. Each checks its input and reports a clear message next to the field;
the service checks again (inside its transaction) and the view shows its ``DomainError``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from grassroots.web.alliance.models import AffiliationStatus, Organisation
from grassroots.web.constituencies.models import Constituency
from grassroots.web.constituencies.selectors import constituency_get_by_name
from grassroots.web.events.models import Event, EventKind, Speaker
from grassroots.web.events.selectors import speaker_choices
from grassroots.web.events.services import ENDS_BEFORE_START
from grassroots.web.fields import IdChoicesField

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text="UK time (Europe/London).",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def _clp(name: str) -> Constituency | None:
    if not name.strip():
        return None
    clp = constituency_get_by_name(name=name)
    if clp is None:
        raise forms.ValidationError("Choose a constituency from the list, or leave it empty.")
    return clp


class EventForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=EventKind.choices)
    starts_at = _datetime_field("Starts")
    ends_at = _datetime_field("Ends")
    venue = forms.CharField(label="Venue name", max_length=200)
    address = forms.CharField(max_length=300, required=False)
    online_url = forms.URLField(
        label="Online link",
        required=False,
        assume_scheme="https",
        help_text="For a meeting people can join online.",
    )
    organisation = forms.ModelChoiceField(
        label="Organising organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not an affiliated organisation",
        help_text="Choose the affiliated organisation or local group that runs it, if any.",
    )
    organiser_name = forms.CharField(
        label="Organising group",
        max_length=200,
        required=False,
        help_text="Otherwise, the group's name. Each group's events have their own calendar feed.",
    )

    def __init__(self, *args: Any, event: Event | None = None, **kwargs: Any) -> None:
        """``event``: the event being edited, whose organisation stays a choice even if it has
        since disaffiliated."""
        super().__init__(*args, **kwargs)
        allowed = Q(status=AffiliationStatus.AFFILIATED)
        if event is not None and event.organisation_id is not None:
            allowed |= Q(pk=event.organisation_id)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(allowed).order_by("name")

    contact_email = forms.EmailField(
        label="Contact (a supporter's email)",
        required=False,
        help_text="We email this address to ask them; their name (never the address) is shown "
        "on the event page once they agree.",
    )
    clp = forms.CharField(
        label="CLP",
        max_length=100,
        required=False,
        help_text="The constituency the event is in, if any.",
        widget=forms.TextInput(attrs={"list": "clp-options", "autocomplete": "off"}),
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}))
    capacity = forms.IntegerField(
        label="Places",
        required=False,
        min_value=1,
        max_value=100_000,
        help_text="How many people may come; leave empty for no limit. Past it, supporters "
        "who reply join a waiting list.",
    )
    speakers = IdChoicesField(
        queryset=speaker_choices(), required=False, widget=forms.CheckboxSelectMultiple
    )

    @staticmethod
    def initial_for(event: Event) -> dict[str, Any]:
        """The form's starting values for editing ``event``."""
        return {
            "title": event.title,
            "kind": event.kind,
            "starts_at": timezone.localtime(event.starts_at).strftime(DATETIME_FORMAT),
            "ends_at": timezone.localtime(event.ends_at).strftime(DATETIME_FORMAT),
            "venue": event.venue,
            "address": event.address,
            "online_url": event.online_url,
            "organisation": event.organisation_id or "",
            "organiser_name": "" if event.organisation_id else event.organiser_name,
            "contact_email": event.contact.user.email if event.contact else event.contact_email,
            "clp": event.constituency.name if event.constituency else "",
            "description": event.description,
            "capacity": "" if event.capacity is None else event.capacity,
            "speakers": list(event.speakers.all()),
        }

    def clean_organiser_name(self) -> str:
        name: str = self.cleaned_data["organiser_name"].strip()
        if name and not slugify(name):
            raise forms.ValidationError("Name the organising group (letters or digits).")
        return name

    def clean_contact_email(self) -> str:
        # No lookup: the form never says whether an address belongs to a supporter. The
        # service emails the address to ask its owner.
        email: str = self.cleaned_data["contact_email"].strip().lower()
        return email

    def clean_clp(self) -> Constituency | None:
        return _clp(self.cleaned_data["clp"])

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if (
            not data.get("organisation")
            and not data.get("organiser_name")
            and "organisation" not in self.errors
            and "organiser_name" not in self.errors
        ):
            self.add_error(
                "organiser_name",
                "Name the organising group, or choose an affiliated organisation.",
            )
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", ENDS_BEFORE_START)
        return data

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned values under the names ``event_create`` and ``event_update`` take."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": EventKind(data["kind"]),
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "venue": data["venue"],
            "address": data["address"],
            "online_url": data["online_url"],
            "organiser_name": data["organiser_name"],
            "organisation": data["organisation"],
            "contact_email": data["contact_email"],
            "constituency": data["clp"],
            "description": data["description"],
            "capacity": data["capacity"],
            "speakers": list(data["speakers"]),
        }


class SpeakerForm(forms.Form):
    name = forms.CharField(max_length=150)
    bio = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    topics = forms.CharField(
        max_length=300, required=False, help_text="Separate topics with commas."
    )
    clp = forms.CharField(
        label="CLP",
        max_length=100,
        required=False,
        help_text="Where the speaker is based, if in one CLP; it sets the region.",
        widget=forms.TextInput(attrs={"list": "clp-options", "autocomplete": "off"}),
    )
    region = forms.CharField(
        max_length=40, required=False, help_text="If no CLP is given, e.g. “Wales”."
    )
    contact = forms.CharField(max_length=300, required=False, help_text="Shown to organisers only.")
    listed = forms.BooleanField(
        label="The speaker agrees to be listed in the public directory", required=False
    )

    @staticmethod
    def initial_for(speaker: Speaker) -> dict[str, Any]:
        return {
            "name": speaker.name,
            "bio": speaker.bio,
            "topics": speaker.topics,
            "clp": speaker.constituency.name if speaker.constituency else "",
            "region": "" if speaker.constituency else speaker.region,
            "contact": speaker.contact,
            "listed": speaker.listed,
        }

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter the speaker's name.")
        return name

    def clean_clp(self) -> Constituency | None:
        return _clp(self.cleaned_data["clp"])

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "bio": data["bio"],
            "topics": data["topics"],
            "constituency": data["clp"],
            "region": data["region"],
            "contact": data["contact"],
            "listed": data["listed"],
        }


class PublishForm(forms.Form):
    action = forms.ChoiceField(choices=[("publish", "publish"), ("unpublish", "unpublish")])


class RsvpForm(forms.Form):
    action = forms.ChoiceField(choices=[("going", "going"), ("cancel", "cancel")])
