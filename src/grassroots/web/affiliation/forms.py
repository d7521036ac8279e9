"""Forms of applications to affiliate. CLPs are typed one a line; an unknown one is refused
with its line."""

from __future__ import annotations

from typing import Any

from django import forms

from grassroots.web.alliance.models import ElectionMethod, OrganisationKind
from grassroots.web.constituencies.models import Constituency
from grassroots.web.constituencies.selectors import constituency_get_by_name


class ApplicationForm(forms.Form):
    name = forms.CharField(label="Name of the group or organisation", max_length=150)
    kind = forms.ChoiceField(choices=OrganisationKind.choices, widget=forms.RadioSelect)
    clps = forms.CharField(
        label="CLPs covered",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For a local group: one CLP a line. Leave empty for a national organisation.",
    )
    contact_name = forms.CharField(label="Contact name", max_length=150)
    contact_email = forms.EmailField(
        label="Contact email", help_text="Used only to tell you the outcome; never shown."
    )
    website = forms.URLField(required=False, assume_scheme="https")
    statement = forms.CharField(
        label="Your statement or constitution",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    decision = forms.CharField(
        label="How did you decide to apply?",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="E.g. “A vote at our general meeting on 3 May: 24 for, 2 against.”",
    )

    def clean_clps(self) -> list[Constituency]:
        found: list[Constituency] = []
        for number, line in enumerate(self.cleaned_data["clps"].splitlines(), start=1):
            if not line.strip():
                continue
            clp = constituency_get_by_name(name=line)
            if clp is None or not clp.has_clp:
                raise forms.ValidationError(f"Line {number}: no CLP is called “{line.strip()}”.")
            if clp not in found:
                found.append(clp)
        return found

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": OrganisationKind(data["kind"]),
            "constituencies": data["clps"],
            "contact_name": data["contact_name"],
            "contact_email": data["contact_email"],
            "website": data["website"],
            "statement": data["statement"],
            "decision": data["decision"],
        }


class RepresentativeNameForm(forms.Form):
    name = forms.CharField(max_length=150, help_text="Shown publicly once they agree.")
    email = forms.EmailField(help_text="We email them to ask; the address is never shown.")
    method = forms.ChoiceField(label="How they were chosen", choices=ElectionMethod.choices)
    method_note = forms.CharField(
        label="Note", required=False, max_length=300, help_text="E.g. the date of the AGM."
    )
