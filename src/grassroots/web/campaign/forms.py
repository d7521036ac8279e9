"""The campaign's forms: a drive's target CLPs, a supporter's meeting date and outcome report,
and a vote plan's groups and orders."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from grassroots.web.campaign.models import PlanGroup, PlanRule
from grassroots.web.campaign.plan_runs import DEFAULT_RUNS, MAX_RUNS
from grassroots.web.campaign.services import BIRTH_MONTH_GROUPS
from grassroots.web.constituencies.models import Constituency
from grassroots.web.constituencies.selectors import constituency_get_by_name
from grassroots.web.elections.models import Candidate, Section, Slate
from grassroots.web.fields import IdChoicesField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SOURCE_HELP = (
    "Where this comes from, for the organisers: a link, or a few words such as "
    "“the CLP secretary's email of 3 May”. It is not shown publicly."
)


class DriveForm(forms.Form):
    slate = forms.ModelChoiceField(queryset=Slate.objects.select_related("election"))
    section = forms.ModelChoiceField(queryset=Section.objects.select_related("election"))


class TargetsForm(forms.Form):
    MODES = (
        ("all", "Every CLP"),
        ("regions", "Every CLP in the regions ticked below"),
        ("picked", "The CLPs listed below"),
    )
    mode = forms.ChoiceField(label="Target", choices=MODES, widget=forms.RadioSelect)
    regions = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Regions"
    )
    clps = forms.CharField(
        required=False,
        label="CLPs",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One CLP a line, by name or GSS code.",
    )

    def __init__(self, *args: Any, regions: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = [(r, r) for r in regions]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mode = data.get("mode")
        clps = Constituency.objects.with_clp()
        if mode == "all":
            data["targets"] = list(clps)
        elif mode == "regions":
            if not data.get("regions"):
                self.add_error("regions", "Tick at least one region.")
            data["targets"] = list(clps.filter(region__in=data.get("regions") or []))
        elif mode == "picked":
            found, unknown = [], []
            lines = (data.get("clps") or "").splitlines()
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                clp = constituency_get_by_name(name=line)
                if clp is None:
                    unknown.append(f"line {number}: “{line.strip()[:60]}” is not a CLP")
                else:
                    found.append(clp)
            if unknown:
                self.add_error("clps", "; ".join(unknown) + ".")
            elif not found:
                self.add_error("clps", "List at least one CLP.")
            data["targets"] = found
        return data


class MeetingForm(forms.Form):
    meets_on = forms.DateField(label="Date of the nomination meeting", widget=DATE)
    source = forms.CharField(label="Source", max_length=200, help_text=SOURCE_HELP)


class OutcomeForm(forms.Form):
    """Which candidates the meeting nominated, with the votes for each where known."""

    met_on = forms.DateField(label="Date of the meeting", widget=DATE)
    candidates: IdChoicesField[Candidate] = IdChoicesField(
        queryset=Candidate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Whom did the CLP nominate?",
    )
    source = forms.CharField(label="Source", max_length=200, help_text=SOURCE_HELP)

    def __init__(self, *args: Any, section: Section, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section_candidates = list(Candidate.objects.filter(section=section).order_by("name"))
        self.fields["candidates"].queryset = Candidate.objects.filter(section=section)  # type: ignore[attr-defined]
        for candidate in self.section_candidates:
            self.fields[f"votes_{candidate.pk}"] = forms.IntegerField(
                label=f"Votes for {candidate.name} (if known)",
                required=False,
                min_value=0,
                max_value=100_000,
            )

    def vote_fields(self) -> list[forms.BoundField]:
        return [self[f"votes_{c.pk}"] for c in self.section_candidates]

    def nominees(self) -> dict[Candidate, int | None]:
        return {c: self.cleaned_data.get(f"votes_{c.pk}") for c in self.cleaned_data["candidates"]}


class PlanCreateForm(forms.Form):
    slate = forms.ModelChoiceField(queryset=Slate.objects.select_related("election"))
    section = forms.ModelChoiceField(queryset=Section.objects.select_related("election"))
    rule = forms.ChoiceField(
        label="Group supporters", choices=PlanRule.choices, widget=forms.RadioSelect
    )
    group_count = forms.TypedChoiceField(
        label="Groups of months (by birth month)",
        choices=[(n, str(n)) for n in BIRTH_MONTH_GROUPS],
        coerce=int,
        initial=6,
    )


class PlanOrdersForm(forms.Form):
    """Each group's order: one choice of candidate per place. ``follow``: the share of the
    slate's loyal voters assumed to follow their group's card."""

    follow = forms.IntegerField(
        label="Voters who follow their group's card (%)",
        min_value=0,
        max_value=100,
        help_text="Of the slate's loyal voters, how many rank it in their group's order.",
    )

    def __init__(
        self, *args: Any, groups: Sequence[PlanGroup], names: Sequence[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.groups = list(groups)
        choices = [(n, n) for n in names]
        for group in self.groups:
            order = list(group.order)
            for place in range(len(names)):
                self.fields[f"g{group.pk}_{place}"] = forms.ChoiceField(
                    label=f"{group.name}: place {place + 1}",
                    choices=choices,
                    initial=order[place] if place < len(order) else None,
                )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "group": g,
                "fields": [self[n] for n in self.fields if n.startswith(f"g{g.pk}_")],
            }
            for g in self.groups
        ]

    def orders(self) -> dict[int, list[str]]:
        return {
            g.pk: [self.cleaned_data[n] for n in self.fields if n.startswith(f"g{g.pk}_")]
            for g in self.groups
        }


class PlanRunForm(forms.Form):
    follow = forms.IntegerField(
        label="Voters who follow their group's card (%)", min_value=0, max_value=100
    )
    runs = forms.IntegerField(
        label="Runs",
        min_value=10,
        max_value=MAX_RUNS,
        initial=DEFAULT_RUNS,
        help_text=f"From 10 to {MAX_RUNS}: more runs, steadier figures, longer wait.",
    )
