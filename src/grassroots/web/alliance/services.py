"""Writing the alliance: organisations, the rules, representatives and local group requests.

Each service takes keyword-only arguments and the actor, and runs in one transaction that also
writes the audit row. Audit summaries hold no personal data (organisation names are not
personal; representatives' and contacts' names are left out).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from grassroots.web.alliance.consents import MEMBERSHIP_WORDING
from grassroots.web.alliance.models import (
    AffiliationStatus,
    AllianceRules,
    ElectionMethod,
    GroupRequest,
    GroupRequestStatus,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    Representative,
)
from grassroots.web.alliance.selectors import (
    LIVE_MEMBERSHIP,
    alliance_rules_get,
    group_request_contactable_list,
    group_request_open_exists,
    local_group_for_clp,
    membership_live_exists,
    organisation_name_taken,
    organisation_slug_taken,
    representative_agree_url,
    representative_current_count,
)
from grassroots.web.audit.services import audit_record
from grassroots.web.constituencies.models import Constituency
from grassroots.web.errors import DomainError
from grassroots.web.people.mail import send_later
from grassroots.web.people.models import Supporter, User, normalise_email
from grassroots.web.people.roles import Role
from grassroots.web.people.services import role_grant, role_revoke

MEMBERSHIP_TAKEN = "You have already said you are a member of this organisation."
NAME_TAKEN = "An organisation with this name is already recorded."
SLUG_TAKEN = "This name gives the same web address as another organisation's: change it a little."
MAX_SEATS = 20


def _organisation_check(
    *,
    name: str,
    kind: OrganisationKind,
    status: AffiliationStatus,
    affiliated_on: datetime.date | None,
    disaffiliated_on: datetime.date | None,
    constituencies: Sequence[Constituency],
    exclude_id: int | None = None,
) -> None:
    """The rules an organisation's record keeps, each reported on its field."""
    if not name.strip():
        raise DomainError("Enter the organisation's name.", field="name")
    if organisation_name_taken(name=name, exclude_id=exclude_id):
        raise DomainError(NAME_TAKEN, field="name")
    # The page's address is the name's slug: it needs a letter or digit, and must be its own.
    if not slugify(name):
        raise DomainError("The name needs a letter or a digit.", field="name")
    if organisation_slug_taken(slug=slugify(name), exclude_id=exclude_id):
        raise DomainError(SLUG_TAKEN, field="name")
    if kind == OrganisationKind.LOCAL and not constituencies:
        raise DomainError("A local group covers at least one CLP.", field="clps")
    if kind == OrganisationKind.NATIONAL and constituencies:
        raise DomainError("Only local groups cover CLPs; leave this empty.", field="clps")
    if any(not clp.has_clp for clp in constituencies):
        raise DomainError("There are no CLPs in Northern Ireland.", field="clps")
    if status == AffiliationStatus.AFFILIATED and affiliated_on is None:
        raise DomainError("Give the date it affiliated.", field="affiliated_on")
    if status == AffiliationStatus.DISAFFILIATED and disaffiliated_on is None:
        raise DomainError("Give the date it disaffiliated.", field="disaffiliated_on")
    if status != AffiliationStatus.DISAFFILIATED and disaffiliated_on is not None:
        raise DomainError(
            "Only a disaffiliated organisation has this date.", field="disaffiliated_on"
        )
    if affiliated_on and disaffiliated_on and disaffiliated_on < affiliated_on:
        raise DomainError("It cannot disaffiliate before it affiliated.", field="disaffiliated_on")


def _organisation_save(organisation: Organisation) -> None:
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as err:  # another save with the same name won the race
        raise DomainError(NAME_TAKEN, field="name") from err


@transaction.atomic(durable=True)
def organisation_create(
    *,
    actor: User,
    name: str,
    kind: OrganisationKind,
    status: AffiliationStatus,
    affiliated_on: datetime.date | None = None,
    disaffiliated_on: datetime.date | None = None,
    constituencies: Sequence[Constituency] = (),
    contact_name: str = "",
    contact_email: str = "",
    website: str = "",
) -> Organisation:
    """Record a national organisation or local group; audit."""
    return organisation_record(
        actor=actor,
        name=name,
        kind=kind,
        status=status,
        affiliated_on=affiliated_on,
        disaffiliated_on=disaffiliated_on,
        constituencies=constituencies,
        contact_name=contact_name,
        contact_email=contact_email,
        website=website,
    )


@transaction.atomic
def organisation_record(
    *,
    actor: User,
    name: str,
    kind: OrganisationKind,
    status: AffiliationStatus,
    affiliated_on: datetime.date | None = None,
    disaffiliated_on: datetime.date | None = None,
    constituencies: Sequence[Constituency] = (),
    contact_name: str = "",
    contact_email: str = "",
    website: str = "",
) -> Organisation:
    """``organisation_create`` inside a caller's transaction (an accepted application to
    affiliate, ``affiliation.services``)."""
    _organisation_check(
        name=name,
        kind=kind,
        status=status,
        affiliated_on=affiliated_on,
        disaffiliated_on=disaffiliated_on,
        constituencies=constituencies,
    )
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        status=status,
        affiliated_on=affiliated_on,
        disaffiliated_on=disaffiliated_on,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        website=website.strip(),
    )
    _organisation_save(organisation)
    organisation.constituencies.set(constituencies)
    audit_record(
        actor_id=actor.pk,
        action="organisation.create",
        object_type="organisation",
        object_id=organisation.pk,
        summary=f"{kind}, {status}, {len(constituencies)} CLPs",
    )
    return organisation


@transaction.atomic(durable=True)
def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    kind: OrganisationKind,
    status: AffiliationStatus,
    affiliated_on: datetime.date | None = None,
    disaffiliated_on: datetime.date | None = None,
    constituencies: Sequence[Constituency] = (),
    contact_name: str = "",
    contact_email: str = "",
    website: str = "",
) -> Organisation:
    """Change an organisation's record (including its affiliation status); audit what changed
    by field name."""
    _organisation_check(
        name=name,
        kind=kind,
        status=status,
        affiliated_on=affiliated_on,
        disaffiliated_on=disaffiliated_on,
        constituencies=constituencies,
        exclude_id=organisation.pk,
    )
    new = {
        "name": name.strip(),
        "kind": kind,
        "status": status,
        "affiliated_on": affiliated_on,
        "disaffiliated_on": disaffiliated_on,
        "contact_name": contact_name.strip(),
        "contact_email": contact_email.strip(),
        "website": website.strip(),
    }
    changed = [field for field, value in new.items() if getattr(organisation, field) != value]
    for field, value in new.items():
        setattr(organisation, field, value)
    _organisation_save(organisation)
    before = set(organisation.constituencies.values_list("pk", flat=True))
    if before != {clp.pk for clp in constituencies}:
        organisation.constituencies.set(constituencies)
        changed.append("clps")
    audit_record(
        actor_id=actor.pk,
        action="organisation.update",
        object_type="organisation",
        object_id=organisation.pk,
        summary=f"changed: {', '.join(changed) or 'nothing'}; now {status}",
    )
    return organisation


@transaction.atomic(durable=True)
def alliance_rules_update(*, actor: User, national_seats: int, local_seats: int) -> AllianceRules:
    """Change how many representatives each kind of organisation sends to the committee."""
    for field, seats in (("national_seats", national_seats), ("local_seats", local_seats)):
        if not 1 <= seats <= MAX_SEATS:
            raise DomainError(f"Give a number from 1 to {MAX_SEATS}.", field=field)
    rules, _ = AllianceRules.objects.update_or_create(
        pk=1, defaults={"national_seats": national_seats, "local_seats": local_seats}
    )
    audit_record(
        actor_id=actor.pk,
        action="rules.update",
        object_type="alliance_rules",
        object_id=rules.pk,
        summary=f"national {national_seats}, local {local_seats}",
    )
    return rules


@transaction.atomic(durable=True)
def representative_record(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    started_on: datetime.date,
    method: ElectionMethod,
    method_note: str = "",
    email: str = "",
    site_url: str = "",
) -> Representative:
    """Record that someone represents an organisation from ``started_on``; ``actor`` is None
    when the organisation's contact names them from the emailed link of an accepted
    application (``affiliation``).

    Steps: refuse a disaffiliated organisation and one whose seats (by the rules) are all
    filled; store the representative; audit; when an ``email`` is given, email the address
    to ask its owner to agree to be named publicly (``_representative_ask``). Whether the
    address belongs to a supporter is never said: their account is linked, and the affiliate
    representative role granted, only when they agree (``representative_name_agree``).
    """
    name = name.strip()
    email = normalise_email(email)
    if not name:
        raise DomainError("Enter the representative's name.", field="name")
    if organisation.status == AffiliationStatus.DISAFFILIATED:
        raise DomainError("A disaffiliated organisation has no representatives.")
    if started_on > timezone.localdate():
        raise DomainError("Record a representative once they have started.", field="started_on")
    seats = alliance_rules_get().seats_for(organisation.kind)
    if representative_current_count(organisation=organisation) >= seats:
        raise DomainError(
            f"All {seats} of this organisation's seats are filled: end a representative first."
        )
    if (
        email
        and Representative.objects.current()
        .filter(organisation=organisation)
        .filter(Q(email=email) | Q(supporter__user__email=email))
        .exists()
    ):
        raise DomainError("This person already represents the organisation.", field="email")
    representative = Representative.objects.create(
        organisation=organisation,
        name=name,
        email=email,
        started_on=started_on,
        method=method,
        method_note=method_note.strip(),
    )
    audit_record(
        actor_id=actor.pk if actor is not None else None,
        action="representative.record",
        object_type="representative",
        object_id=representative.pk,
        summary=f"organisation {organisation.pk}, {method}",
    )
    if email:
        _representative_ask(representative=representative, site_url=site_url)
    return representative


def _representative_ask(*, representative: Representative, site_url: str) -> None:
    """Email the address given for a representative, whoever owns it, asking them to agree
    to be named on the public committee page."""
    alliance = settings.GRASSROOTS_ALLIANCE_NAME
    organisation = representative.organisation.name
    link = representative_agree_url(
        representative=representative, email=representative.email, site_url=site_url
    )
    body = (
        f"Hello,\n\n{organisation} recorded you as one of its representatives on the "
        f"organising committee of {alliance}. With your agreement, your name is shown on the "
        "public committee page (your email address never is), and if you have an account as a "
        f"supporter with this address you can act for {organisation} on the site.\n\n"
        f"If you agree, follow this link:\n\n{link}\n\n"
        f'If you do not, ignore this email: the page shows only "a representative of '
        f'{organisation}".\n'
    )
    send_later(
        subject=f"May we name you as a representative of {organisation}?",
        body=body,
        to=representative.email,
    )


@transaction.atomic(durable=True)
def representative_name_agree(*, representative: Representative, email: str) -> Representative:
    """The owner of ``email`` (proved by the emailed link, or by being logged in with it)
    agrees to be named as this representative: public pages show the name from now on; if
    a supporter has the address, their account is linked and, while the term lasts, given
    the affiliate representative role; the address asked is forgotten; audit. Refused when
    the address is not the one asked."""
    representative = (
        Representative.objects.select_for_update(of=("self",))
        .select_related("supporter__user")
        .get(pk=representative.pk)
    )
    email = normalise_email(email)
    linked = representative.supporter
    asked = representative.email == email and email != ""
    if representative.named_at is not None or not (
        asked or (linked is not None and linked.user.email == email)
    ):
        raise DomainError("This request has been withdrawn or already answered.")
    supporter = linked or Supporter.objects.select_related("user").filter(user__email=email).first()
    representative.named_at = timezone.now()
    representative.email = ""
    representative.supporter = supporter
    representative.save(update_fields=["named_at", "email", "supporter"])
    current = Representative.objects.current().filter(pk=representative.pk).exists()
    if supporter is not None and current:
        role_grant(actor=supporter.user, user=supporter.user, role=Role.AFFILIATE_REPRESENTATIVE)
    audit_record(
        actor_id=supporter.pk if supporter is not None else None,
        action="representative.name_agree",
        object_type="representative",
        object_id=representative.pk,
        summary=f"organisation {representative.organisation_id}",
    )
    return representative


@transaction.atomic(durable=True)
def representative_end(
    *, actor: User, representative: Representative, ended_on: datetime.date
) -> Representative:
    """End a representative's term: ``ended_on`` is the first day they no longer serve.

    When this leaves the person (a supporter) with no current representation of any
    organisation, the affiliate representative role is revoked in this same transaction. An
    end date in the future leaves the role until someone ends the term again; access checks
    that someone currently represents the organisation, so an ended term gives no rights
    either way.
    """
    if representative.ended_on is not None and representative.ended_on <= timezone.localdate():
        raise DomainError("This representative's term has already ended.")
    if ended_on <= representative.started_on:
        raise DomainError("The end must come after the start.", field="ended_on")
    representative.ended_on = ended_on
    representative.save(update_fields=["ended_on"])
    supporter = representative.supporter
    if (
        supporter is not None
        and not Representative.objects.current().filter(supporter=supporter).exists()
    ):
        role_revoke(actor=actor, user=supporter.user, role=Role.AFFILIATE_REPRESENTATIVE)
    audit_record(
        actor_id=actor.pk,
        action="representative.end",
        object_type="representative",
        object_id=representative.pk,
        summary=f"organisation {representative.organisation_id}",
    )
    return representative


@transaction.atomic(durable=True)
def group_request_create(*, supporter: Supporter, note: str = "") -> GroupRequest:
    """A supporter asks to set up a local group in their CLP; refused when the CLP has an
    affiliated or pending group, or they already asked."""
    clp = supporter.constituency
    group = local_group_for_clp(constituency=clp)
    if group is not None:
        raise DomainError(f"{clp.name} already has a local group: {group.name}.")
    if group_request_open_exists(supporter=supporter):
        raise DomainError("You have already asked; an organiser will be in touch.")
    try:
        with transaction.atomic():
            request = GroupRequest.objects.create(
                supporter=supporter, constituency=clp, note=note.strip()
            )
    except IntegrityError as err:  # a double submission won the race
        raise DomainError("You have already asked; an organiser will be in touch.") from err
    audit_record(
        actor_id=supporter.pk,
        action="group_request.create",
        object_type="group_request",
        object_id=request.pk,
        summary=f"clp {clp.pk}",
    )
    return request


@transaction.atomic(durable=True)
def group_request_put_in_touch(
    *, actor: User, group_request: GroupRequest, supporters: Iterable[Supporter]
) -> list[GroupRequest]:
    """Record that an organiser put supporters who asked for a group in the same CLP in touch.

    Only supporters with an open request there who consent to be contacted by the alliance may
    be chosen. This request and the chosen supporters' open requests in the CLP are marked put
    in touch, each recording who was put in touch; returns them.
    """
    if group_request.status != GroupRequestStatus.OPEN:
        raise DomainError("This request has already been handled.")
    chosen = list(supporters)
    allowed = set(
        group_request_contactable_list(constituency=group_request.constituency).values_list(
            "pk", flat=True
        )
    )
    if not chosen:
        raise DomainError("Choose the supporters you put in touch.", field="supporters")
    if any(supporter.pk not in allowed for supporter in chosen):
        raise DomainError(
            "Only supporters who asked here and agreed to be contacted can be chosen.",
            field="supporters",
        )
    requests = list(
        GroupRequest.objects.select_for_update().filter(
            constituency=group_request.constituency,
            status=GroupRequestStatus.OPEN,
            supporter__in=chosen,
        )
    )
    if group_request.pk not in {r.pk for r in requests}:
        requests.append(group_request)
    now = timezone.now()
    for request in requests:
        request.status = GroupRequestStatus.PUT_IN_TOUCH
        request.handled_at = now
        request.handled_by = actor
        request.save(update_fields=["status", "handled_at", "handled_by"])
        request.put_in_touch.set(chosen)
        audit_record(
            actor_id=actor.pk,
            action="group_request.put_in_touch",
            object_type="group_request",
            object_id=request.pk,
            summary=f"clp {group_request.constituency_id}, {len(chosen)} supporters",
        )
    return requests


# Memberships. Audit rows name the membership by id and never the organisation, so that once a
# membership is withdrawn or its supporter erased, the log does not say who belonged where.


@transaction.atomic(durable=True)
def membership_claim(
    *, supporter: Supporter, organisation: Organisation, consent: bool
) -> OrganisationMembership:
    """A supporter says they are a member of an affiliated organisation: pending until its
    representatives or an organiser confirm it. Needs the consent ticked; stores its wording
    and time with the membership; audit."""
    if not consent:
        raise DomainError("Tick the box to agree; without it nothing is recorded.", field="consent")
    if organisation.status != AffiliationStatus.AFFILIATED:
        raise DomainError("Choose an affiliated organisation.", field="organisation")
    if membership_live_exists(supporter=supporter, organisation=organisation):
        raise DomainError(MEMBERSHIP_TAKEN, field="organisation")
    try:
        with transaction.atomic():
            membership = OrganisationMembership.objects.create(
                organisation=organisation, supporter=supporter, consent_wording=MEMBERSHIP_WORDING
            )
    except IntegrityError as err:  # the same claim, sent twice at once
        raise DomainError(MEMBERSHIP_TAKEN, field="organisation") from err
    audit_record(
        actor_id=supporter.pk,
        action="membership.claim",
        object_type="membership",
        object_id=membership.pk,
    )
    return membership


@transaction.atomic(durable=True)
def membership_withdraw(*, supporter: Supporter, membership: OrganisationMembership) -> None:
    """The supporter withdraws their consent: the membership is deleted, whatever its status
    (nothing is kept of a political opinion they took back); audit. The caller checks it is
    theirs (``access.membership_for_self``)."""
    if membership.supporter_id != supporter.pk:
        raise DomainError("This is not your membership.")
    membership_id = membership.pk
    membership.delete()
    _choice_tidy(supporter.pk)
    audit_record(
        actor_id=supporter.pk,
        action="membership.withdraw",
        object_type="membership",
        object_id=membership_id,
    )


def _choice_tidy(supporter_id: int) -> None:
    """Clear a supporter's "I vote with this one" once fewer than two live memberships are
    left: there is nothing to choose between, and the mark would otherwise linger unseen
    (the choice is only shown with two or more)."""
    live = OrganisationMembership.objects.filter(
        supporter_id=supporter_id, status__in=LIVE_MEMBERSHIP
    )
    if live.count() < 2:
        live.filter(votes_with=True).update(votes_with=False)


def _membership_locked(membership: OrganisationMembership) -> OrganisationMembership:
    locked = OrganisationMembership.objects.select_for_update().filter(pk=membership.pk).first()
    if locked is None:
        raise DomainError("This membership was withdrawn.")
    return locked


@transaction.atomic(durable=True)
def membership_confirm(
    *, actor: User, membership: OrganisationMembership
) -> OrganisationMembership:
    """Confirm a pending membership: the organisation's representative (or an organiser)
    vouches that the supporter is a member; audit. Nobody confirms their own."""
    membership = _membership_locked(membership)
    if membership.status != MembershipStatus.PENDING:
        raise DomainError("Only a membership waiting for confirmation can be confirmed.")
    if membership.supporter_id == actor.pk:
        raise DomainError(
            "Someone else confirms your own membership: another representative or an organiser."
        )
    membership.status = MembershipStatus.CONFIRMED
    membership.confirmed_at = timezone.now()
    membership.confirmed_by = actor
    membership.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    audit_record(
        actor_id=actor.pk,
        action="membership.confirm",
        object_type="membership",
        object_id=membership.pk,
    )
    return membership


@transaction.atomic(durable=True)
def membership_end(*, actor: User, membership: OrganisationMembership) -> OrganisationMembership:
    """End a pending membership (not a member after all) or a confirmed one (no longer a
    member): it stays, ended, until the supporter withdraws it; audit."""
    membership = _membership_locked(membership)
    if membership.status == MembershipStatus.ENDED:
        raise DomainError("This membership has already ended.")
    was = membership.status
    membership.status = MembershipStatus.ENDED
    membership.ended_at = timezone.now()
    membership.ended_by = actor
    membership.votes_with = False  # an ended membership is nobody's choice in a joint ballot
    membership.save(update_fields=["status", "ended_at", "ended_by", "votes_with"])
    _choice_tidy(membership.supporter_id)
    audit_record(
        actor_id=actor.pk,
        action="membership.end",
        object_type="membership",
        object_id=membership.pk,
        summary=f"was {was}",
    )
    return membership


VOTES_WITH_FEW = (
    "You choose only while you are a member of more than one organisation: with one, you vote "
    "with it."
)


@transaction.atomic(durable=True)
def membership_vote_with(
    *, supporter: Supporter, membership: OrganisationMembership | None
) -> OrganisationMembership | None:
    """A supporter with several pending or confirmed memberships marks the one they vote with
    in joint ballots of several of their organisations, or clears the mark (``None``).

    Steps: lock the supporter's memberships; refuse one that is not theirs, an ended one, and a
    supporter with fewer than two live memberships; unmark the others, then mark this one (so
    the at-most-one constraint holds at every step); audit by membership id, never the
    organisation. Nothing changes, and nothing is audited, when the choice is already so.
    Returns the membership now marked, if any. The caller checks it is theirs
    (``access.membership_for_self``).
    """
    mine = {
        row.pk: row
        for row in OrganisationMembership.objects.select_for_update()
        .filter(supporter=supporter)
        .order_by("pk")
    }
    chosen = None
    if membership is not None:
        chosen = mine.get(membership.pk)
        if chosen is None:
            raise DomainError("This is not your membership.", field="membership")
        if chosen.status not in LIVE_MEMBERSHIP:
            raise DomainError(
                "This membership has ended: choose one that is waiting or confirmed.",
                field="membership",
            )
        if sum(row.status in LIVE_MEMBERSHIP for row in mine.values()) < 2:
            raise DomainError(VOTES_WITH_FEW, field="membership")
    before = next((row for row in mine.values() if row.votes_with), None)
    if before == chosen:
        return chosen
    if before is not None:
        before.votes_with = False
        before.save(update_fields=["votes_with"])
    if chosen is None:
        if before is not None:
            _vote_with_audit(supporter=supporter, membership=before, summary="cleared")
        return None
    chosen.votes_with = True
    chosen.save(update_fields=["votes_with"])
    summary = "chosen" if before is None else f"instead of membership {before.pk}"
    _vote_with_audit(supporter=supporter, membership=chosen, summary=summary)
    return chosen


def _vote_with_audit(
    *, supporter: Supporter, membership: OrganisationMembership, summary: str
) -> None:
    audit_record(
        actor_id=supporter.pk,
        action="membership.vote_with",
        object_type="membership",
        object_id=membership.pk,
        summary=summary,
    )
