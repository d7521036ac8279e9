"""Forms of the elections app: each reports a clear message next to the field; the service
checks again inside its transaction and the view shows its ``DomainError``."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from grassroots.web.constituencies.models import Constituency
from grassroots.web.constituencies.selectors import constituency_get_by_name
from grassroots.web.elections.models import Candidate, Section

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NominationForm(forms.Form):
    clp = forms.CharField(
        label="CLP", max_length=100, help_text="The CLP's name or GSS code, e.g. E14001234."
    )
    candidate = forms.ModelChoiceField(queryset=Candidate.objects.none())
    nominated_on = forms.DateField(label="Date of the nomination", widget=DATE)

    def __init__(self, *args: Any, section: Section, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Candidate]", self.fields["candidate"])
        field.queryset = Candidate.objects.filter(section=section).order_by("name")

    def clean_clp(self) -> Constituency:
        clp = constituency_get_by_name(name=self.cleaned_data["clp"])
        if clp is None:
            raise forms.ValidationError("Not a CLP: give its name or GSS code.")
        return clp


class NominationImportForm(forms.Form):
    file = forms.FileField(
        label="Nominations file (CSV)",
        help_text="Columns clp,candidate,date (CLP by name or GSS code, date as YYYY-MM-DD). "
        "A file with any bad row imports nothing.",
    )


class ResultImportForm(forms.Form):
    KIND_CHOICES = (
        ("ballots", "A full ballot file (.blt or .csv), counted here"),
        ("sheet", "A published count sheet (.json or .csv)"),
    )
    kind = forms.ChoiceField(choices=KIND_CHOICES, widget=forms.RadioSelect, initial="ballots")
    file = forms.FileField(
        label="Result file",
        help_text="Candidate names must match the section's candidates exactly.",
    )
