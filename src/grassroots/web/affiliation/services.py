"""Writing applications to affiliate (the lifecycle is in ``affiliation.models``). Each
service runs in one transaction with its audit row; summaries hold the kind, counts and the
outcome, never the contact's name or address."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from grassroots.web.affiliation.models import Application, ApplicationStatus
from grassroots.web.alliance.models import (
    AffiliationStatus,
    ElectionMethod,
    Organisation,
    OrganisationKind,
    Representative,
)
from grassroots.web.alliance.selectors import (
    alliance_rules_get,
    organisation_name_taken,
    representative_current_count,
)
from grassroots.web.alliance.services import organisation_record, representative_record
from grassroots.web.audit.services import audit_record
from grassroots.web.ballots.models import Electorate, Method, Status
from grassroots.web.ballots.services import ballot_create
from grassroots.web.constituencies.models import Constituency
from grassroots.web.errors import DomainError
from grassroots.web.people.mail import send_later
from grassroots.web.people.models import User, normalise_email

NAMING_SALT = "grassroots.affiliation.naming"
NAMING_MAX_AGE = 60 * 60 * 24 * 60  # the contact's link to name representatives: 60 days
YES, NO = "Yes", "No"
BALLOT_DAYS = 7


def _audit(*, actor: User | None, action: str, application: Application, summary: str) -> None:
    audit_record(
        actor_id=actor.pk if actor is not None else None,
        action=action,
        object_type="application",
        object_id=application.pk,
        summary=summary,
    )


@transaction.atomic(durable=True)
def application_submit(
    *,
    name: str,
    kind: OrganisationKind,
    constituencies: Sequence[Constituency],
    contact_name: str,
    contact_email: str,
    statement: str,
    decision: str,
    website: str = "",
) -> Application:
    """Receive an application; audit; tell the contact it arrived."""
    if not name.strip() or not slugify(name):
        raise DomainError("Give the group's or organisation's name.", field="name")
    if organisation_name_taken(name=name):
        raise DomainError("An organisation with this name is already recorded.", field="name")
    if kind == OrganisationKind.LOCAL and not constituencies:
        raise DomainError("Name at least one CLP the local group covers.", field="clps")
    if kind == OrganisationKind.NATIONAL and constituencies:
        raise DomainError(
            "A national organisation covers no one CLP: leave this empty.", field="clps"
        )
    if not statement.strip():
        raise DomainError("Give your statement or constitution.", field="statement")
    if not decision.strip():
        raise DomainError("Say how you decided to apply.", field="decision")
    application = Application.objects.create(
        name=name.strip(),
        kind=kind,
        contact_name=contact_name.strip(),
        contact_email=normalise_email(contact_email),
        website=website.strip(),
        statement=statement.strip(),
        decision=decision.strip(),
    )
    application.constituencies.set(constituencies)
    _audit(
        actor=None,
        action="application.submit",
        application=application,
        summary=f"{kind}, {len(constituencies)} CLPs",
    )
    alliance = settings.GRASSROOTS_ALLIANCE_NAME
    send_later(
        key=f"application-received:{application.pk}",
        to=application.contact_email,
        subject=f"Your application to affiliate to {alliance}",
        body=f"Hello {application.contact_name},\n\nWe received the application of "
        f"{application.name} to affiliate to {alliance}. The organising committee decides by a "
        "ballot of its representatives; we will email you the outcome.\n",
    )
    return application


@transaction.atomic(durable=True)
def application_ballot_create(*, actor: User, application: Application) -> Application:
    """Put a received application to the committee: a draft yes/no ballot of the committee's
    representatives, with ``actor`` as its returning officer; audit."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.RECEIVED:
        raise DomainError("This application is already before the committee or decided.")
    now = timezone.now()
    ballot = ballot_create(
        actor=actor,
        slug=f"affiliation-{application.pk}",
        question=f"Should {application.name} affiliate to the alliance?"[:300],
        description=f"An application from a {application.get_kind_display().lower()}. "
        f"How it decided to apply: {application.decision}"[:2000],
        options=[(YES, ""), (NO, "")],
        method=Method.YES_NO,
        electorate=Electorate.COMMITTEE,
        opens_at=now,
        closes_at=now + datetime.timedelta(days=BALLOT_DAYS),
        returning_officer=actor,
    )
    application.ballot = ballot
    application.status = ApplicationStatus.BALLOT
    application.save(update_fields=["ballot", "status"])
    _audit(
        actor=actor,
        action="application.ballot",
        application=application,
        summary=f"ballot {ballot.pk}",
    )
    return application


def ballot_outcome(*, application: Application) -> bool | None:
    """True (accept) or False (decline) from the published ballot, None if not yet known.
    Accepted only with more yes than no; a tie declines."""
    ballot = application.ballot
    if ballot is None or ballot.status != Status.PUBLISHED or not ballot.result:
        return None
    totals = ballot.result.get("totals", {})
    return int(totals.get(YES, 0)) > int(totals.get(NO, 0))


@transaction.atomic(durable=True)
def application_decide(*, actor: User, application: Application, site_url: str) -> Application:
    """Record the committee's decision, which its published ballot gives.

    Accepted: the organisation is created, affiliated today, with its CLPs and contact; the
    committee gains the seats its kind is due; the contact is emailed a link to name its
    representatives. Declined: the contact is told. Audited either way.
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.BALLOT:
        raise DomainError("Only an application before the committee can be decided.")
    outcome = ballot_outcome(application=application)
    if outcome is None:
        raise DomainError("The committee's ballot is not published yet.")
    application.decided_at = timezone.now()
    application.decided_by = actor
    alliance = settings.GRASSROOTS_ALLIANCE_NAME
    if outcome:
        organisation = organisation_record(
            actor=actor,
            name=application.name,
            kind=OrganisationKind(application.kind),
            status=AffiliationStatus.AFFILIATED,
            affiliated_on=timezone.localdate(),
            constituencies=list(application.constituencies.all()),
            contact_name=application.contact_name,
            contact_email=application.contact_email,
            website=application.website,
        )
        application.organisation = organisation
        application.status = ApplicationStatus.ACCEPTED
        seats = alliance_rules_get().seats_for(application.kind)
        link = naming_url(application=application, site_url=site_url)
        body = (
            f"Hello {application.contact_name},\n\nThe organising committee of {alliance} "
            f"accepted {application.name} as an affiliate. It has {seats} seat"
            f"{'s' if seats != 1 else ''} on the committee.\n\nName its representatives "
            f"here (each is emailed to agree to be named publicly):\n\n{link}\n"
        )
        subject = f"{application.name} is affiliated to {alliance}"
    else:
        application.status = ApplicationStatus.DECLINED
        body = (
            f"Hello {application.contact_name},\n\nThe organising committee of {alliance} "
            f"voted on the application of {application.name} and did not accept it.\n"
        )
        subject = f"Your application to affiliate to {alliance}"
    application.save(update_fields=["decided_at", "decided_by", "organisation", "status"])
    _audit(
        actor=actor,
        action="application.decide",
        application=application,
        summary=f"{application.status} by ballot {application.ballot_id}",
    )
    send_later(
        key=f"application-decided:{application.pk}",
        to=application.contact_email,
        subject=subject,
        body=body,
    )
    return application


def naming_token(*, application: Application) -> str:
    return signing.dumps(application.pk, salt=NAMING_SALT)


def naming_url(*, application: Application, site_url: str) -> str:
    path = reverse("affiliation:representatives", args=[naming_token(application=application)])
    return site_url.rstrip("/") + path


def naming_token_read(token: str) -> Application | None:
    """The accepted application a contact's link names, or None (forged, expired)."""
    try:
        application_id = signing.loads(token, salt=NAMING_SALT, max_age=NAMING_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(application_id, int):
        return None
    return (
        Application.objects.select_related("organisation")
        .filter(pk=application_id, status=ApplicationStatus.ACCEPTED)
        .first()
    )


def representative_name_from_link(
    *,
    organisation: Organisation,
    name: str,
    email: str,
    method: ElectionMethod,
    method_note: str = "",
    site_url: str,
) -> Representative:
    """The accepted organisation's contact names a representative (holding the emailed link
    proves who they are): recorded from today, and the person asked to agree to be named
    (``alliance.services.representative_record``, which refuses past the seats)."""
    if not email.strip():
        raise DomainError("Give their email address, so we can ask them.", field="email")
    return representative_record(
        actor=None,
        organisation=organisation,
        name=name,
        started_on=timezone.localdate(),
        method=method,
        method_note=method_note,
        email=email,
        site_url=site_url,
    )


def seats_left(*, organisation: Organisation) -> int:
    seats = alliance_rules_get().seats_for(organisation.kind)
    return max(seats - representative_current_count(organisation=organisation), 0)


def contact_forget(person: User) -> None:
    """Erasure: an application naming the person as contact keeps no trace of them."""
    Application.objects.filter(contact_email=person.email).update(contact_name="", contact_email="")
