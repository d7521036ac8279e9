"""Forms of the alliance app. Each checks its input and reports a clear message next to the
field; the service checks again inside its transaction and the view shows its
``DomainError``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from grassroots.web.alliance.consents import MEMBERSHIP_WORDING
from grassroots.web.alliance.models import (
    AffiliationStatus,
    ElectionMethod,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
)
from grassroots.web.alliance.services import MAX_SEATS
from grassroots.web.constituencies.models import Constituency
from grassroots.web.constituencies.selectors import constituency_get_by_name
from grassroots.web.formfields import ModelChoicesField
from grassroots.web.people.models import Supporter

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganisationForm(forms.Form):
    name = forms.CharField(max_length=150)
    kind = forms.ChoiceField(choices=OrganisationKind.choices, widget=forms.RadioSelect)
    status = forms.ChoiceField(
        label="Affiliation", choices=AffiliationStatus.choices, widget=forms.RadioSelect
    )
    affiliated_on = forms.DateField(required=False, widget=DATE, label="Affiliated on")
    disaffiliated_on = forms.DateField(required=False, widget=DATE, label="Disaffiliated on")
    clps = forms.CharField(
        label="CLPs covered",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Local groups only: one CLP name per line.",
    )
    contact_name = forms.CharField(
        max_length=150,
        required=False,
        help_text="Shown only to organisers and the committee.",
    )
    contact_email = forms.EmailField(
        max_length=254, required=False, help_text="Shown only to organisers and the committee."
    )
    website = forms.URLField(max_length=200, required=False, assume_scheme="https")

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter the organisation's name.")
        return name

    def clean_clps(self) -> list[Constituency]:
        clps: list[Constituency] = []
        unknown = []
        for line in self.cleaned_data["clps"].splitlines():
            if not line.strip():
                continue
            clp = constituency_get_by_name(name=line)
            if clp is None:
                unknown.append(line.strip())
            elif clp not in clps:
                clps.append(clp)
        if unknown:
            raise forms.ValidationError(f"Not a CLP: {'; '.join(unknown)}.")
        return clps

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        kind, clps = data.get("kind"), data.get("clps")
        if kind == OrganisationKind.LOCAL and clps == []:
            self.add_error("clps", "A local group covers at least one CLP.")
        if kind == OrganisationKind.NATIONAL and clps:
            self.add_error("clps", "Only local groups cover CLPs; leave this empty.")
        status = data.get("status")
        if status == AffiliationStatus.AFFILIATED and not data.get("affiliated_on"):
            self.add_error("affiliated_on", "Give the date it affiliated.")
        if status == AffiliationStatus.DISAFFILIATED and not data.get("disaffiliated_on"):
            self.add_error("disaffiliated_on", "Give the date it disaffiliated.")
        return data

    @staticmethod
    def initial_for(organisation: Any) -> dict[str, Any]:
        return {
            "name": organisation.name,
            "kind": organisation.kind,
            "status": organisation.status,
            "affiliated_on": organisation.affiliated_on,
            "disaffiliated_on": organisation.disaffiliated_on,
            "clps": "\n".join(clp.name for clp in organisation.constituencies.order_by("name")),
            "contact_name": organisation.contact_name,
            "contact_email": organisation.contact_email,
            "website": organisation.website,
        }


class RulesForm(forms.Form):
    national_seats = forms.IntegerField(
        label="Representatives per national organisation", min_value=1, max_value=MAX_SEATS
    )
    local_seats = forms.IntegerField(
        label="Representatives per local group", min_value=1, max_value=MAX_SEATS
    )


class RepresentativeForm(forms.Form):
    name = forms.CharField(
        max_length=150,
        required=False,
        help_text="Leave empty for a supporter: their name is taken from their record.",
    )
    email = forms.EmailField(
        label="Supporter's email (optional)",
        max_length=254,
        required=False,
        help_text="If they are a supporter, they can then record their organisation's "
        "representatives themselves.",
    )
    started_on = forms.DateField(label="Started on", widget=DATE)
    method = forms.ChoiceField(
        label="How they were chosen", choices=ElectionMethod.choices, widget=forms.RadioSelect
    )
    method_note = forms.CharField(
        label="Details (optional)",
        max_length=300,
        required=False,
        help_text="For example: AGM of 12 March, 40 members voting.",
    )

    def clean_email(self) -> Supporter | None:
        email = self.cleaned_data["email"].strip()
        if not email:
            return None
        supporter = (
            Supporter.objects.select_related("user").filter(user__email__iexact=email).first()
        )
        if supporter is None:
            raise forms.ValidationError("No supporter has this email; leave it empty.")
        return supporter

    def clean_started_on(self) -> Any:
        started_on = self.cleaned_data["started_on"]
        if started_on > timezone.localdate():
            raise forms.ValidationError("Record a representative once they have started.")
        return started_on

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if (
            not data.get("name", "").strip()
            and not data.get("email")
            and "email" not in self.errors
        ):
            self.add_error("name", "Enter the representative's name.")
        return data


class RepresentativeEndForm(forms.Form):
    ended_on = forms.DateField(
        label="Ends on",
        widget=DATE,
        help_text="The first day they no longer represent the organisation.",
    )


class GroupRequestForm(forms.Form):
    note = forms.CharField(
        label="Anything the organisers should know (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SupporterNameChoiceField(ModelChoicesField[Supporter]):
    """Supporters by name only: organisers never see their email addresses."""

    def label_from_instance(self, obj: Supporter) -> str:
        return obj.user.name


class PutInTouchForm(forms.Form):
    supporters = SupporterNameChoiceField(
        queryset=Supporter.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Supporters put in touch with each other",
        error_messages={"required": "Choose the supporters you put in touch."},
    )

    def __init__(self, *args: Any, contactable: QuerySet[Supporter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("SupporterNameChoiceField", self.fields["supporters"])
        field.queryset = contactable


class MembershipClaimForm(forms.Form):
    """A supporter says they are a member of an affiliated organisation, with the consent
    ticked; the wording shown is the wording stored."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation you are a member of."},
    )
    consent = forms.BooleanField(
        label=MEMBERSHIP_WORDING,
        error_messages={"required": "Tick the box to agree; without it nothing is recorded."},
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Organisation]", self.fields["organisation"])
        field.queryset = organisations


NO_CHOICE = "none"


class MembershipVoteWithForm(forms.Form):
    """The supporter chooses which of their memberships they vote with in joint ballots of
    several of their organisations, or no choice yet."""

    membership = forms.ChoiceField(
        label="In joint ballots of several organisations, I vote with",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose one organisation, or no choice.",
            "invalid_choice": "Choose one of your organisations listed here, or no choice.",
        },
    )

    def __init__(
        self, *args: Any, memberships: Sequence[OrganisationMembership], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ChoiceField", self.fields["membership"])
        field.choices = [
            (str(membership.pk), membership.organisation.name) for membership in memberships
        ] + [(NO_CHOICE, "No choice")]
        chosen = next((m for m in memberships if m.votes_with), None)
        self.initial.setdefault("membership", str(chosen.pk) if chosen else NO_CHOICE)

    def chosen_id(self) -> int | None:
        """The membership id chosen, or None for no choice."""
        value: str = self.cleaned_data["membership"]
        return None if value == NO_CHOICE else int(value)
