"""Forms of the people app. Each checks its input and reports a clear message next to the field;
the service checks again (inside its transaction) and the view shows its ``DomainError``."""

from __future__ import annotations

from typing import Any

from django import forms

from grassroots.web.constituencies.models import Constituency
from grassroots.web.constituencies.selectors import constituency_get_by_name
from grassroots.web.people.consents import WORDING
from grassroots.web.people.models import ConsentKind, Membership


class SignupForm(forms.Form):
    name = forms.CharField(
        max_length=150,
        help_text="The name other supporters in your CLP would see.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        max_length=254,
        help_text="We send a link here to confirm it; it is never shown to other supporters.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    clp = forms.CharField(
        label="Your constituency (CLP)",
        max_length=100,
        help_text="Start typing and choose from the list.",
        widget=forms.TextInput(attrs={"list": "clp-options", "autocomplete": "off"}),
    )
    membership = forms.ChoiceField(
        label="Party membership", choices=Membership.choices, widget=forms.RadioSelect
    )
    consent_contact = forms.BooleanField(required=False, label=WORDING[ConsentKind.CONTACT])
    consent_visible = forms.BooleanField(required=False, label=WORDING[ConsentKind.VISIBLE_IN_CLP])

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter your name.")
        return name

    def clean_email(self) -> str:
        # Never says whether the address has an account: the service emails its owner.
        email: str = self.cleaned_data["email"].strip().lower()
        return email

    def clean_clp(self) -> Constituency:
        clp = constituency_get_by_name(name=self.cleaned_data["clp"])
        if clp is None:
            raise forms.ValidationError(
                "Choose your constituency from the list (Northern Ireland has no CLPs)."
            )
        return clp

    def consents(self) -> set[ConsentKind]:
        """The consents ticked, each a separate choice."""
        data: dict[str, Any] = self.cleaned_data
        chosen = set()
        if data.get("consent_contact"):
            chosen.add(ConsentKind.CONTACT)
        if data.get("consent_visible"):
            chosen.add(ConsentKind.VISIBLE_IN_CLP)
        return chosen


class LoginForm(forms.Form):
    email = forms.EmailField(
        max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(choices=ConsentKind.choices)
    action = forms.ChoiceField(choices=[("give", "give"), ("withdraw", "withdraw")])


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Message",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Your name and CLP are shown with it; your email address is not.",
    )


class MessageReportForm(forms.Form):
    reason = forms.CharField(
        label="What is wrong with this message?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The organisers see the message, both names and your reason.",
    )
    block = forms.BooleanField(
        label="Also block the sender: receive no more messages from them.",
        required=False,
        initial=True,
    )


class ReportResolveForm(forms.Form):
    resolution = forms.CharField(
        label="What was done",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that my account and everything the site holds about me will be "
        "deleted for good.",
        error_messages={"required": "Tick the box to confirm."},
    )
