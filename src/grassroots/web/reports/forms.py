"""Forms of representatives' reports. Votes are typed one a line (``item | vote``) and
checked by ``services.votes_parse``, which names the line that is wrong."""

from __future__ import annotations

from typing import Any

from django import forms

from grassroots.web.alliance.models import Representative


class ReporterForm(forms.Form):
    name = forms.CharField(max_length=150, help_text="Shown publicly.")
    role = forms.CharField(
        label="What they sit on",
        max_length=200,
        help_text="E.g. “Member of the party's executive” or “Committee representative”.",
    )
    bio = forms.CharField(required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    representative = forms.ModelChoiceField(
        label="Committee seat",
        queryset=Representative.objects.none(),
        required=False,
        empty_label="None: someone the alliance backed elsewhere",
        help_text="When they hold one: the account linked to the seat may then publish their "
        "reports itself.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["representative"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Representative.objects.current().select_related("organisation")


class ReportForm(forms.Form):
    meeting = forms.CharField(max_length=200, help_text="E.g. “National Executive Committee”.")
    met_on = forms.DateField(
        label="Date of the meeting", widget=forms.DateInput(attrs={"type": "date"})
    )
    decisions = forms.CharField(
        label="What was decided", max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    votes = forms.CharField(
        label="How you voted",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One item a line: the item, a bar, and for, against, abstain or absent. "
        "E.g. “Rule change 4 | against”.",
    )
    body = forms.CharField(
        label="Report",
        required=False,
        max_length=30_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Markdown: *emphasis*, **strong**, lists, links.",
    )
