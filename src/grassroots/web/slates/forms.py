"""Forms of the slates app: each reports a clear message next to the field; the service checks
again inside its transaction and the view shows its ``DomainError``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms

from grassroots.web.alliance.models import Organisation
from grassroots.web.ballots.forms import (
    SEALED_HELP,
    OrganisationSharesField,
    organisation_shares_match_electorate,
)
from grassroots.web.ballots.models import Electorate
from grassroots.web.constituencies.models import Constituency
from grassroots.web.constituencies.selectors import constituency_get_by_name
from grassroots.web.elections.models import Gender, Section


class SlateNominationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), help_text="The affiliate making the nomination."
    )
    name = forms.CharField(label="Candidate's name", max_length=150)
    gender = forms.ChoiceField(
        choices=Gender.choices, required=False, help_text="The category the section's quota uses."
    )
    clp = forms.CharField(
        label="CLP", max_length=100, required=False, help_text="The candidate's CLP, by name."
    )
    statement = forms.CharField(
        label="Short statement",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="At most 1,000 characters.",
    )

    def __init__(self, *args: Any, organisations: Sequence[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Organisation]", self.fields["organisation"])
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        if len(organisations) == 1:
            field.initial = organisations[0].pk

    def clean_clp(self) -> Constituency | None:
        name = self.cleaned_data["clp"].strip()
        if not name:
            return None
        clp = constituency_get_by_name(name=name)
        if clp is None:
            raise forms.ValidationError("Not a CLP: give its name or GSS code.")
        return clp


class SlateBallotForm(forms.Form):
    slate_size = forms.IntegerField(
        label="Slate size",
        min_value=1,
        help_text="How many candidates the slate holds; fewer than the seats is a reduced slate.",
    )
    closes_at = forms.DateTimeField(
        label="Voting closes",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="UK time.",
    )
    electorate = forms.ChoiceField(choices=Electorate.choices, initial=Electorate.SUPPORTERS)
    organisations = OrganisationSharesField(
        label="Organisations and their weights",
        help_text=(
            "Only for several organisations: one a line, each affiliated organisation's name, "
            "= and its weight, a whole number from 1 (Unite = 2, Momentum = 1: two thirds "
            "and one third of the result)."
        ),
    )

    sealed = forms.BooleanField(
        required=False,
        initial=True,
        label="Sealed: encrypt each ballot to trustees' keys",
        help_text=SEALED_HELP + " You name the trustees on the ballot's page.",
    )

    def __init__(self, *args: Any, section: Section, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slate_size"].initial = section.seats
        self.fields["slate_size"].widget.attrs["max"] = section.seats

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation_shares_match_electorate(self)
        return data


class EndorsementForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        help_text="The organisation endorsing the alliance's slate.",
    )
    endorsed_on = forms.DateField(
        label="Date of the endorsement",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    source = forms.URLField(
        label="Where it was published",
        required=False,
        assume_scheme="https",
        help_text="A link, e.g. their statement.",
    )
