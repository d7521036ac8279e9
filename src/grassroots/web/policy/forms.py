from __future__ import annotations

from django import forms


class PositionForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="The position",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Markdown: **bold**, *italic*, lists, links, ## headings.",
    )
