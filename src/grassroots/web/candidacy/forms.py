from __future__ import annotations

from typing import Any

from django import forms

from grassroots.web.ballots.models import Ballot, Method
from grassroots.web.candidacy.models import CandidateProfile, Question
from grassroots.web.candidacy.photos import MAX_UPLOAD_BYTES
from grassroots.web.elections.models import Section

MAX_QUESTIONS = 30


def _questions(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines()]
    questions = [line for line in lines if line]
    if len(questions) > MAX_QUESTIONS:
        raise forms.ValidationError(f"Ask at most {MAX_QUESTIONS} questions.")
    for number, question in enumerate(questions, start=1):
        if len(question) > 500:
            raise forms.ValidationError(
                f"Question {number} is {len(question)} characters long: keep it under 500."
            )
    return questions


class QuestionnaireForm(forms.Form):
    title = forms.CharField(max_length=200)
    intro = forms.CharField(
        label="Introduction",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    questions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One question per line, in the order to ask them.",
    )

    def clean_questions(self) -> list[str]:
        return _questions(self.cleaned_data.get("questions", ""))


class QuestionnaireCreateForm(QuestionnaireForm):
    """A questionnaire for a ballot (e.g. a slate selection) or a party election section."""

    target = forms.ChoiceField(label="For the candidates of")

    field_order = ("target", "title", "intro", "questions")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ballots = Ballot.objects.exclude(method=Method.YES_NO).order_by("-opens_at", "slug")
        sections = Section.objects.select_related("election").order_by("election", "position")
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)  # declared just above
        target.choices = [
            ("", "Choose…"),
            ("Ballots", [(f"ballot:{b.pk}", b.question) for b in ballots]),
            ("Party election sections", [(f"section:{s.pk}", str(s)) for s in sections]),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, _, pk = str(data.get("target", "")).partition(":")
        data["ballot"] = Ballot.objects.filter(pk=pk).first() if kind == "ballot" else None
        data["section"] = Section.objects.filter(pk=pk).first() if kind == "section" else None
        return data


class ProfileForm(forms.Form):
    """A candidate's statement, photo and an answer field per question."""

    statement = forms.CharField(
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: **bold**, *italic*, lists, links.",
    )
    photo = forms.FileField(
        required=False,
        help_text=f"Optional: a JPEG, PNG or WebP under {MAX_UPLOAD_BYTES // 1024 // 1024} MB. "
        "It is shrunk, and everything but the picture (such as where it was taken) removed.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_remove = forms.BooleanField(label="Remove the photo", required=False)

    def __init__(
        self,
        *args: Any,
        profile: CandidateProfile,
        questions: list[Question],
        on_behalf: bool,
        **kwargs: Any,
    ) -> None:
        answers = {a.question_id: a.text for a in profile.answers.all()}
        initial = {"statement": profile.statement} | {
            f"answer_{q.pk}": answers.get(q.pk, "") for q in questions
        }
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.questions = questions
        if not profile.photo:
            del self.fields["photo_remove"]
        for question in questions:
            self.fields[f"answer_{question.pk}"] = forms.CharField(
                label=question.text,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        if on_behalf:
            self.fields["note"] = forms.CharField(
                label="How the candidate gave these answers",
                required=False,
                max_length=300,
                help_text="Shown beside answers you enter for them, e.g. “By email on 3 May”.",
            )

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(f"answer_{q.pk}", "") for q in self.questions}


class LinkForm(forms.Form):
    email = forms.EmailField(label="The candidate's email address", max_length=254)


class BallotPaperForm(forms.Form):
    fixed_order = forms.TypedChoiceField(
        label="Order of the options on the ballot paper",
        choices=[
            ("random", "A random order for each voter (recommended)"),
            ("fixed", "The ballot's own order, the same for every voter"),
        ],
        coerce=lambda value: value == "fixed",
        widget=forms.RadioSelect,
    )
