"""Ballot forms: the ranking a voter types, and the returning officer's new closing time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from grassroots.web.ballots.models import Ballot, BallotOption, Method


def _field_name(option: BallotOption) -> str:
    return f"option_{option.pk}"


class RankingForm(forms.Form):
    """One field per option: a preference number (ranked methods), a tick (approval), or one
    choice (yes/no). ``ranking`` after validation is the list of option ids, first first."""

    def __init__(
        self, *args: Any, ballot: Ballot, options: Sequence[BallotOption], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.ballot = ballot
        self.options = list(options)
        if ballot.method == Method.YES_NO:
            self.fields["choice"] = forms.TypedChoiceField(
                label=ballot.question,
                choices=[(o.pk, o.name) for o in self.options],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose one."},
            )
            return
        for option in self.options:
            if ballot.method == Method.APPROVAL:
                field: forms.Field = forms.BooleanField(label=option.name, required=False)
            else:
                field = forms.IntegerField(
                    label=option.name,
                    required=False,
                    min_value=1,
                    max_value=len(self.options),
                    widget=forms.NumberInput(
                        attrs={"inputmode": "numeric", "class": "rank", "size": 3}
                    ),
                    error_messages={
                        "invalid": "Type a whole number, or leave it empty.",
                        "min_value": "Number your choices from 1.",
                        "max_value": f"There are only {len(self.options)} options.",
                    },
                )
            field.option = option  # type: ignore[attr-defined]  # for the template
            self.fields[_field_name(option)] = field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if self.ballot.method == Method.YES_NO:
            data["ranking"] = [data["choice"]]
            return data
        if self.ballot.method == Method.APPROVAL:
            ranking = [o.pk for o in self.options if data.get(_field_name(o))]
            if not ranking:
                raise forms.ValidationError("Tick at least one option.")
            data["ranking"] = ranking
            return data
        numbers = {o: data.get(_field_name(o)) for o in self.options}
        given = {o: n for o, n in numbers.items() if n is not None}
        if not given:
            raise forms.ValidationError("Put 1 next to your first choice.")
        by_number: dict[int, list[BallotOption]] = {}
        for option, number in given.items():
            by_number.setdefault(number, []).append(option)
        for number, options in by_number.items():
            if len(options) > 1:
                for option in options:
                    names = ", ".join(o.name for o in options if o != option)
                    self.add_error(
                        _field_name(option), f"{number} is also given to {names}: use it once."
                    )
        expected = 1
        for number in sorted(by_number):
            if number != expected:
                for option in by_number[number]:
                    self.add_error(
                        _field_name(option),
                        f"There is no {expected}: number your choices 1, 2, 3… without gaps.",
                    )
                break
            expected += 1
        if not self.errors:
            data["ranking"] = [o.pk for o, _ in sorted(given.items(), key=lambda item: item[1])]
        return data


class ExtendForm(forms.Form):
    closes_at = forms.DateTimeField(
        label="New closing time (UK time)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
