"""Discussion forms: a thread, a reply, a report, the notification choice, the code of conduct,
a suspension, and a proposal (the new-ballot form, filled from the thread)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import slugify

from grassroots.web.ballots.forms import BallotCreateForm
from grassroots.web.ballots.models import Method
from grassroots.web.discussions.conduct import CODE_OF_CONDUCT
from grassroots.web.discussions.models import Frequency, Post, Thread

BODY_HELP = (
    "Markdown: *italic*, **bold**, [a link](https://example.org), lists with -. Mention "
    "someone who wrote here with @ and their name joined by hyphens: @nia-evans."
)


def _body_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=Post._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=BODY_HELP,
    )


class ThreadForm(forms.Form):
    title = forms.CharField(max_length=Thread._meta.get_field("title").max_length)
    body = _body_field("Your post")


class ReplyForm(forms.Form):
    body = _body_field("Your reply")


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="What is wrong with this post?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only the moderators of this space read it.",
    )


class NotificationForm(forms.Form):
    frequency = forms.ChoiceField(
        label="Email me about discussions",
        choices=Frequency.choices,
        widget=forms.RadioSelect,
    )


class ConductForm(forms.Form):
    accept = forms.BooleanField(label=f"I accept this code of conduct: {CODE_OF_CONDUCT}")


class SuspendForm(forms.Form):
    ends_on = forms.DateField(
        label="Suspended until (the day it ends)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to suspend until a moderator lifts it.",
    )

    def clean_ends_on(self) -> datetime.datetime | None:
        day: datetime.date | None = self.cleaned_data["ends_on"]
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class ProposalForm(BallotCreateForm):
    """The new-ballot form, filled from the thread: its title as the question, a link back in
    the description, a ranked choice of one option, voting from tomorrow for a week."""

    def __init__(self, *args: Any, thread: Thread, thread_url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            opens = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
            opens += datetime.timedelta(days=1)
            self.initial = {
                "question": thread.title,
                "slug": slugify(thread.title)[:80].strip("-") or f"thread-{thread.pk}",
                "description": f"Discussed in “{thread.title}”: {thread_url}",
                "method": Method.IRV,
                "opens_at": opens,
                "closes_at": opens + datetime.timedelta(days=7),
            }
