"""The mailing form: the email and its audience. The service checks the audience again."""

from __future__ import annotations

from typing import Any

from django import forms

from grassroots.web.alliance.models import AffiliationStatus, Organisation
from grassroots.web.constituencies.models import Constituency
from grassroots.web.constituencies.selectors import constituency_get_by_name, region_list
from grassroots.web.events.models import Event
from grassroots.web.mailings.models import Audience, Mailing


class MailingForm(forms.Form):
    subject = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Message",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Plain text. It opens with “Hello” and the supporter's name, and ends with "
        "the alliance's name and a link to stop such emails.",
    )
    audience = forms.ChoiceField(
        label="Send to", choices=Audience.choices, widget=forms.RadioSelect, initial=Audience.ALL
    )
    region = forms.ChoiceField(label="Region", required=False)
    clp = forms.CharField(
        label="CLP",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"list": "clp-options", "autocomplete": "off"}),
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, empty_label="Choose one"
    )
    event = forms.ModelChoiceField(
        queryset=Event.objects.none(), required=False, empty_label="Choose one"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = [("", "Choose one"), *((name, name) for name in region_list())]
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = Organisation.objects.filter(
            status=AffiliationStatus.AFFILIATED
        ).order_by("name")
        event = self.fields["event"]
        assert isinstance(event, forms.ModelChoiceField)
        event.queryset = Event.objects.filter(published=True).order_by("-starts_at", "pk")

    @staticmethod
    def initial_for(mailing: Mailing) -> dict[str, Any]:
        return {
            "subject": mailing.subject,
            "body": mailing.body,
            "audience": mailing.audience,
            "region": mailing.region,
            "clp": mailing.constituency.name if mailing.constituency else "",
            "organisation": mailing.organisation_id,
            "event": mailing.event_id,
        }

    def clean_clp(self) -> Constituency | None:
        name: str = self.cleaned_data["clp"]
        if not name.strip():
            return None
        clp = constituency_get_by_name(name=name)
        if clp is None or not clp.has_clp:
            raise forms.ValidationError("Choose a CLP from the list.")
        return clp

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "subject": data["subject"],
            "body": data["body"],
            "audience": Audience(data["audience"]),
            "region": data["region"],
            "constituency": data["clp"],
            "organisation": data["organisation"],
            "event": data["event"],
        }
