"""Ballot forms: a new ballot, the ranking a voter types, and the returning officer's new
closing time."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from html import escape
from typing import Any

from django import forms
from django.utils.safestring import SafeString, mark_safe

from grassroots.count import RULES as RULE_TITLES
from grassroots.web.alliance.models import AffiliationStatus, Organisation
from grassroots.web.ballots.models import Ballot, BallotOption, Electorate, Method
from grassroots.web.ballots.services import MAX_SHARE, RULES
from grassroots.web.people.models import User


class RankInput(forms.NumberInput):
    """A preference box, written out here exactly as Django's ``input.html`` and ``attrs.html``
    templates write it: the voting page has one per option for every voter, and rendering
    them through the template engine was a tenth of the voting path's time
    (docs/reliability.md). ``tests/web/test_ballots_voting_pages.py`` compares the two."""

    def _render(
        self, template_name: str, context: dict[str, Any], renderer: Any = None
    ) -> SafeString:
        widget = context["widget"]
        html = f'<input type="{_escaped(widget["type"])}" name="{_escaped(widget["name"])}"'
        if widget["value"] is not None:
            html += f' value="{_escaped(widget["value"])}"'
        for name, value in widget["attrs"].items():
            if value is True:
                html += f" {_escaped(name)}"
            elif value is not False:
                html += f' {_escaped(name)}="{_escaped(value)}"'
        return mark_safe(html + ">")  # noqa: S308 (every part escaped)


def _escaped(value: Any) -> str:
    """``value`` as the template engine's autoescape writes it (``conditional_escape``)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return escape(str(value))


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
                field: forms.Field = forms.BooleanField(
                    label=option.name, required=False, help_text=option.statement
                )
            else:
                field = forms.IntegerField(
                    label=option.name,
                    required=False,
                    min_value=1,
                    max_value=len(self.options),
                    widget=RankInput(attrs={"inputmode": "numeric", "class": "rank", "size": 3}),
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


_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# A bounded number of digits: a quota past 9 or a weight past 12 is a typing error (and Python
# refuses to read a number of more than 4,300 digits at all); a weight of 10 to 12 digits still
# reaches the range check, which names the limit.
_QUOTA_LINE = re.compile(r"^(min|max)\s+([^=\s]+)\s*=\s*([0-9]{1,9})$", re.IGNORECASE)
_SHARE_LINE = re.compile(r"^(.+?)\s*=\s*([0-9]{1,12})$")
RESERVED_SLUGS = frozenset({"new", "mine"})


def _did_you_mean(name: str) -> str:
    """ " Did you mean Unite?" for the affiliated organisations named most like ``name``."""
    names = list(
        Organisation.objects.filter(status=AffiliationStatus.AFFILIATED).values_list(
            "name", flat=True
        )
    )
    by_lower = {n.lower(): n for n in names}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=3, cutoff=0.6)
    return f" Did you mean {' or '.join(by_lower[c] for c in close)}?" if close else ""


class OrganisationSharesField(forms.CharField):
    """The organisations of a ballot of weighted organisations, one a line with its weight
    (``Unite = 2``), cleaned to the ``(organisation, weight)`` pairs ``ballot_create`` takes.
    Each line names an affiliated organisation (in any case) once, with a whole number from 1;
    the first wrong line is named in the message."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", "For a ballot of organisations, one a line with its weight: Unite = 2"
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[tuple[Organisation, int]]:
        text: str = super().clean(value)
        shares: list[tuple[Organisation, int]] = []
        for line in (line.strip() for line in text.splitlines()):
            if not line:
                continue
            match = _SHARE_LINE.match(line)
            if match is None:
                raise forms.ValidationError(
                    f"{line!r}: write the organisation's name, = and a weight, a whole "
                    "number: Unite = 2."
                )
            name, weight = match.group(1).strip(), int(match.group(2))
            organisation = Organisation.objects.filter(name__iexact=name).first()
            if organisation is None:
                raise forms.ValidationError(
                    f"No affiliated organisation is called {name!r}.{_did_you_mean(name)}"
                )
            if organisation.status != AffiliationStatus.AFFILIATED:
                raise forms.ValidationError(
                    f"{organisation} is no longer affiliated, so it cannot take part."
                )
            if weight < 1:
                raise forms.ValidationError(
                    f"{organisation}'s weight must be a whole number from 1."
                )
            if weight > MAX_SHARE:
                raise forms.ValidationError(
                    f"{organisation}'s weight may be at most {MAX_SHARE:,}: give the "
                    "organisations smaller numbers in the same proportion."
                )
            if any(organisation == named for named, _ in shares):
                raise forms.ValidationError(f"{organisation} is named twice: name it once.")
            shares.append((organisation, weight))
        return shares


def organisation_shares_match_electorate(form: forms.Form) -> None:
    """A ballot of organisations names at least two; any other electorate names none. The
    message goes beside the form's ``organisations`` field."""
    data = form.cleaned_data
    if "electorate" not in data or "organisations" not in data:
        return  # a field of its own is already wrong
    shares = data["organisations"]
    if data["electorate"] == Electorate.ORGANISATIONS and len(shares) < 2:
        form.add_error(
            "organisations", "Name at least two organisations, one a line with its weight."
        )
    elif data["electorate"] != Electorate.ORGANISATIONS and shares:
        form.add_error(
            "organisations",
            "Only a ballot of several organisations lists them: choose that electorate, "
            "or leave this empty.",
        )


SEALED_HELP = (
    "Nobody running the site can then learn a vote: trustees you name make the key on their "
    "own machines, the ballots are shuffled with public proofs, and k of the trustees "
    "decrypt them (docs/sealed-ballots.md). Ranked ballots only."
)


class BallotCreateForm(forms.Form):
    """A new ballot as ``ballot_create`` takes it. The text fields are one entry a line;
    ``clean_*`` turns each into the service's arguments and says which line is wrong."""

    question = forms.CharField(max_length=300)
    slug = forms.SlugField(
        label="Web address (short name)",
        max_length=80,
        help_text="The end of its address, e.g. slate-2027 for /ballots/slate-2027/: letters, "
        "digits and hyphens.",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    method = forms.ChoiceField(choices=Method.choices, initial=Method.STV)
    rule = forms.ChoiceField(
        choices=[(rule, RULE_TITLES[rule]) for rule in RULES],
        initial="scottish",
        help_text="The rule for counting a single transferable vote.",
    )
    seats = forms.IntegerField(min_value=1, initial=1)
    options = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One a line, with its category after a comma if quotas use it: Ann Smith, F",
    )
    statements = forms.CharField(
        label="Candidates' statements",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Optional, one a line: the option's name, a colon, then the statement voters "
        "read under the name: Ann Smith: I have organised in Leeds for ten years.",
    )
    quotas = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="One a line: min F=4 or max M=5.",
    )
    opens_at = forms.DateTimeField(label="Voting opens", widget=_DATETIME, help_text="UK time.")
    closes_at = forms.DateTimeField(label="Voting closes", widget=_DATETIME, help_text="UK time.")
    electorate = forms.ChoiceField(choices=Electorate.choices, initial=Electorate.SUPPORTERS)
    organisations = OrganisationSharesField()
    publish_receipts_with_rankings = forms.BooleanField(
        required=False,
        label="Publish each receipt beside its ranking (lets a voter prove their vote)",
    )
    email_receipts = forms.BooleanField(
        required=False,
        label="Email each voter their receipt code after they vote",
        help_text="The mail server then holds each voter's address beside their receipt.",
    )
    sealed = forms.BooleanField(
        required=False,
        label="Sealed: encrypt each ballot to trustees' keys",
        help_text=SEALED_HELP,
    )

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError("That address is taken by the site: choose another.")
        return slug

    def clean_options(self) -> list[tuple[str, str]]:
        options = []
        for line in self.cleaned_data["options"].splitlines():
            if not line.strip():
                continue
            name, _, category = line.partition(",")
            options.append((name.strip(), category.strip()))
        return options

    def clean_statements(self) -> dict[str, str]:
        statements: dict[str, str] = {}
        for line in self.cleaned_data["statements"].splitlines():
            if not line.strip():
                continue
            name, colon, statement = line.partition(":")
            if not colon or not name.strip() or not statement.strip():
                raise forms.ValidationError(
                    f"{line.strip()[:60]!r}: write the option's name, a colon and the "
                    "statement: Ann Smith: I have organised in Leeds."
                )
            if name.strip() in statements:
                raise forms.ValidationError(f"{name.strip()} has two statements: keep one.")
            statements[name.strip()] = statement.strip()
        return statements

    def clean_quotas(self) -> dict[str, dict[str, int]]:
        quotas: dict[str, dict[str, int]] = {}
        for line in self.cleaned_data["quotas"].splitlines():
            if not line.strip():
                continue
            match = _QUOTA_LINE.match(line.strip())
            if match is None:
                raise forms.ValidationError(f"{line.strip()!r}: write min F=4 or max M=5.")
            bound, category, number = match.groups()
            quotas.setdefault(category, {})[bound.lower()] = int(number)
        return quotas

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation_shares_match_electorate(self)
        return data


class BallotEditForm(BallotCreateForm):
    """A draft ballot's edit page: the new-ballot form without its address (which voters'
    links and the audit trail name), filled from the ballot."""

    def __init__(self, *args: Any, ballot: Ballot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["slug"]
        self.ballot = ballot
        if not self.is_bound:
            self.initial = ballot_initial(ballot)

    def _unchanged_time(self, name: str) -> Any:
        """The form shows times to the minute: a time left as shown keeps its seconds, so
        saving other changes does not move (or audit) it."""
        value = self.cleaned_data[name]
        stored = getattr(self.ballot, name)
        return stored if value == stored.replace(second=0, microsecond=0) else value

    def clean_opens_at(self) -> Any:
        return self._unchanged_time("opens_at")

    def clean_closes_at(self) -> Any:
        return self._unchanged_time("closes_at")


def ballot_initial(ballot: Ballot) -> dict[str, Any]:
    """A ballot written back into the form's one-entry-a-line fields."""
    options = list(ballot.options.order_by("position", "id"))
    return {
        "question": ballot.question,
        "description": ballot.description,
        "method": ballot.method,
        "rule": ballot.rule,
        "seats": ballot.seats,
        "options": "\n".join(f"{o.name}, {o.category}" if o.category else o.name for o in options),
        "statements": "\n".join(
            f"{o.name}: {' '.join(o.statement.split())}" for o in options if o.statement
        ),
        "quotas": "\n".join(
            f"{bound} {category}={number}"
            for category, limit in sorted(ballot.quotas.items())
            for bound, number in sorted(limit.items(), reverse=True)
        ),
        "opens_at": ballot.opens_at,
        "closes_at": ballot.closes_at,
        "electorate": ballot.electorate,
        "organisations": "\n".join(
            f"{share.organisation.name} = {share.weight}"
            for share in ballot.organisations.select_related("organisation")
        ),
        "publish_receipts_with_rankings": ballot.publish_receipts_with_rankings,
        "sealed": ballot.sealed,
    }


class ScrutineerForm(forms.Form):
    """Name a scrutineer: a representative from the list, or an account's exact email."""

    person = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="A representative",
        empty_label="(choose, or give an email address below)",
    )
    email = forms.EmailField(required=False, label="Or the email address of their account")

    def __init__(self, *args: Any, candidates: Sequence[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[user.pk for user in candidates]).order_by(
            "name"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("person") and not data.get("email"):
            raise forms.ValidationError("Choose a representative or give an email address.")
        return data


class VotingLinkResendForm(forms.Form):
    """A voter who lost their link asks for a new one; the answer is the same for any address."""

    email = forms.EmailField(label="Your email address", max_length=254)


class TrusteeForm(ScrutineerForm):
    """Name a trustee of a sealed ballot, as a scrutineer is named: typically one
    representative per affiliate, so no one organisation can decrypt alone."""

    def __init__(self, *args: Any, candidates: Sequence[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, candidates=candidates, **kwargs)
        self.fields["person"].label = "A representative"
        self.fields["email"].label = "Or the email address of their account"
        self.prefix = "trustee"


class ThresholdForm(forms.Form):
    threshold = forms.IntegerField(
        label="Trustees needed to decrypt (k)",
        min_value=2,
        help_text="From 2 to the number of trustees. Fewer than all lets the count go ahead "
        "with a trustee missing; any k of them together could decrypt.",
    )


class TrusteeUploadForm(forms.Form):
    file = forms.FileField(label="The file the command wrote")

    MAX_BYTES = 200 * 1024 * 1024  # a decryption share of 100,000 ballots is about 100 MB

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than any step's file can be.")
        data: bytes = upload.read()
        return data
