"""Forms of the elections app: each reports a clear message next to the field; the service
checks again inside its transaction and the view shows its ``DomainError``."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from grassroots.web.constituencies.models import Constituency
from grassroots.web.constituencies.selectors import constituency_get_by_name
from grassroots.web.elections.models import (
    QUOTA_CATEGORIES,
    RULE_CHOICES,
    Candidate,
    Gender,
    PartyElection,
    Section,
    Slate,
    SlateMembership,
)
from grassroots.web.elections.setup import (
    ELECTION_DATES,
    RESERVED_ELECTION_SLUGS,
    RESERVED_SECTION_SLUGS,
    timetable_problem,
)
from grassroots.web.elections.validation import quota_problem

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


class PartyElectionForm(forms.Form):
    """An election's name, party and timetable; the slug only when it is created."""

    slug = forms.SlugField(
        label="Web address (short name)",
        max_length=50,
        help_text="The end of its address, e.g. nec-2027 for /elections/nec-2027/…: letters, "
        "digits and hyphens; it cannot change later.",
    )
    name = forms.CharField(max_length=200)
    party = forms.CharField(max_length=100, initial="Labour Party")
    nominations_open = forms.DateField(required=False, widget=DATE)
    nominations_close = forms.DateField(required=False, widget=DATE)
    ballot_open = forms.DateField(required=False, widget=DATE)
    ballot_close = forms.DateField(required=False, widget=DATE)
    count_on = forms.DateField(label="Count", required=False, widget=DATE)

    def __init__(self, *args: Any, election: PartyElection | None = None, **kwargs: Any) -> None:
        if election is not None:
            kwargs.setdefault(
                "initial",
                {"name": election.name, "party": election.party}
                | {key: getattr(election, key) for key in ELECTION_DATES},
            )
        super().__init__(*args, **kwargs)
        if election is not None:
            del self.fields["slug"]

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"].lower()
        if slug in RESERVED_ELECTION_SLUGS:
            raise forms.ValidationError("That address is used by the site: choose another.")
        if PartyElection.objects.filter(slug=slug).exists():
            raise forms.ValidationError("An election with this address already exists.")
        return slug

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if problem := timetable_problem(
            {key: self.cleaned_data.get(key) for key in ELECTION_DATES}
        ):
            self.add_error(problem.field, problem.message)
        return cleaned

    def dates(self) -> dict[str, Any]:
        return {key: self.cleaned_data.get(key) for key in ELECTION_DATES}


def _quota_fields() -> dict[str, forms.IntegerField]:
    fields = {}
    for category, noun in QUOTA_CATEGORIES.items():
        fields[f"min_{category}"] = forms.IntegerField(
            label=f"At least this many {noun}", min_value=0, required=False
        )
        fields[f"max_{category}"] = forms.IntegerField(
            label=f"At most this many {noun}", min_value=0, required=False
        )
    return fields


class SectionForm(forms.Form):
    """A section: seats, rule, quotas by gender (at least / at most), nomination threshold."""

    slug = forms.SlugField(
        label="Web address (short name)",
        max_length=50,
        help_text="Its address in the election, e.g. clp. It cannot change later.",
    )
    name = forms.CharField(max_length=150)
    seats = forms.IntegerField(min_value=1, max_value=100, initial=1)
    rule = forms.ChoiceField(choices=RULE_CHOICES, initial="scottish")
    nomination_threshold = forms.IntegerField(
        min_value=0,
        max_value=1000,
        initial=5,
        help_text="CLP nominations a candidate needs to reach the ballot.",
    )

    def __init__(
        self,
        *args: Any,
        election: PartyElection,
        section: Section | None = None,
        **kwargs: Any,
    ) -> None:
        self.election = election
        self.section = section
        if section is not None:
            initial: dict[str, Any] = {
                "name": section.name,
                "seats": section.seats,
                "rule": section.rule,
                "nomination_threshold": section.nomination_threshold,
            }
            for category, limit in section.quotas.items():
                for bound in ("min", "max"):
                    if bound in limit:
                        initial[f"{bound}_{category}"] = limit[bound]
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields.update(_quota_fields())
        if section is not None:
            del self.fields["slug"]

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"].lower()
        if slug in RESERVED_SECTION_SLUGS:
            raise forms.ValidationError("That address is used by the site: choose another.")
        if Section.objects.filter(election=self.election, slug=slug).exists():
            raise forms.ValidationError("The election already has a section with this address.")
        return slug

    def quotas(self) -> dict[str, dict[str, int]]:
        """The quota JSON the rest of the app reads, e.g. ``{"F": {"min": 4}}``."""
        quotas: dict[str, dict[str, int]] = {}
        for category in QUOTA_CATEGORIES:
            limit = {}
            if self.cleaned_data.get(f"min_{category}"):
                limit["min"] = self.cleaned_data[f"min_{category}"]
            if self.cleaned_data.get(f"max_{category}") is not None:
                limit["max"] = self.cleaned_data[f"max_{category}"]
            if limit:
                quotas[category] = limit
        return quotas

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        seats, rule = self.cleaned_data.get("seats"), self.cleaned_data.get("rule")
        if seats is not None and rule is not None:
            problem = quota_problem(seats=seats, quotas=self.quotas(), rule=rule)
            if problem is not None and problem.field in self.fields:
                self.add_error(problem.field, problem.message)
        return cleaned


class CandidateForm(forms.Form):
    name = forms.CharField(max_length=150)
    gender = forms.ChoiceField(
        choices=Gender.choices,
        required=False,
        help_text="The category the section's quotas count.",
    )
    clp = forms.CharField(
        label="Home CLP",
        max_length=100,
        required=False,
        help_text="The CLP's name or GSS code, e.g. E14001234; may be left empty.",
    )

    def __init__(self, *args: Any, candidate: Candidate | None = None, **kwargs: Any) -> None:
        if candidate is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": candidate.name,
                    "gender": candidate.gender,
                    "clp": candidate.clp.name if candidate.clp else "",
                },
            )
        super().__init__(*args, **kwargs)

    def clean_clp(self) -> Constituency | None:
        name = self.cleaned_data["clp"].strip()
        if not name:
            return None
        clp = constituency_get_by_name(name=name)
        if clp is None:
            raise forms.ValidationError("Not a CLP: give its name or GSS code.")
        if not clp.has_clp:
            raise forms.ValidationError("There are no CLPs in Northern Ireland.")
        return clp


class SlateForm(forms.Form):
    name = forms.CharField(max_length=150)
    organisation = forms.CharField(
        max_length=200, required=False, help_text="The faction or organisation publishing it."
    )
    colour = forms.RegexField(
        regex=r"^#[0-9a-fA-F]{6}$",
        initial="#888888",
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text="For charts, e.g. #c0392b.",
        error_messages={"invalid": "Give a colour as # and six hex digits, e.g. #c0392b."},
    )

    def __init__(self, *args: Any, slate: Slate | None = None, **kwargs: Any) -> None:
        if slate is not None:
            kwargs.setdefault(
                "initial",
                {"name": slate.name, "organisation": slate.organisation, "colour": slate.colour},
            )
        super().__init__(*args, **kwargs)


class CandidateChoiceField(forms.ModelChoiceField["Candidate"]):
    def label_from_instance(self, obj: Candidate) -> str:
        return f"{obj.name} ({obj.section.name})"


class SlateMembershipForm(forms.Form):
    candidate = CandidateChoiceField(queryset=Candidate.objects.none())
    source = forms.CharField(
        max_length=300,
        required=False,
        help_text="Where the endorsement was published, e.g. a web address.",
    )
    endorsed_on = forms.DateField(label="Date of the endorsement", required=False, widget=DATE)

    def __init__(self, *args: Any, slate: Slate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("CandidateChoiceField", self.fields["candidate"])
        field.queryset = (
            Candidate.objects.filter(section__election_id=slate.election_id)
            .exclude(slate_memberships__slate=slate)
            .select_related("section")
            .order_by("section__position", "name")
        )


class SlateMembershipEditForm(forms.Form):
    """Where and when a candidate's endorsement was published (the candidate stays)."""

    source = forms.CharField(
        max_length=300,
        required=False,
        help_text="Where the endorsement was published, e.g. a web address.",
    )
    endorsed_on = forms.DateField(label="Date of the endorsement", required=False, widget=DATE)

    def __init__(
        self, *args: Any, membership: SlateMembership | None = None, **kwargs: Any
    ) -> None:
        if membership is not None:
            kwargs.setdefault(
                "initial", {"source": membership.source, "endorsed_on": membership.endorsed_on}
            )
        super().__init__(*args, **kwargs)
