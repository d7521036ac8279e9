"""Writing sealed ballots, step by step (docs/sealed-ballots.md, "In the site").

1. Draft: the returning officer names the trustees and the threshold k
   (``trustee_add``, ``trustee_remove``, ``threshold_set``); each trustee sends their public
   key (``trustee_keys_upload``), then their deal (``trustee_deal_upload``), then their
   confirmation (``trustee_confirmation_upload``). Each upload is checked publicly; a bad one
   is refused with what is wrong and changes nothing. ``ballot_open`` then fixes the key.
2. Open: ``ballot_cast`` encrypts each ranking as it arrives (``sealing.ballot_seal``).
3. Close: ``ballot_close`` freezes the board; the server mixes in a task
   (``server_mix_run``); each trustee may mix after it (``trustee_mix_upload``, checked at
   once or, for a large list, in a task: ``mix_check_run``).
4. The officer stops the mixing (``mixing_stop``); trustees send decryption shares
   (``trustee_share_upload``), each proof checked.
5. With k shares the officer counts (``count_request``): a task combines the shares, decodes
   the ballots, counts and publishes them with the bundle (``count_run``).

Every step is audited, never with anything that names or dates a cast.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from grassroots.seal.context import ContextError
from grassroots.seal.decryption import (
    DecryptionError,
    DecryptionShare,
    decryption_share_check,
    plaintexts_combine,
)
from grassroots.seal.encoding import EncodingError, ballot_decode
from grassroots.seal.group import GroupError
from grassroots.seal.trustee import (
    Confirmation,
    Deal,
    TrusteeError,
    TrusteePublic,
    confirmation_check,
    deal_check_public,
)
from grassroots.web.audit.services import audit_record
from grassroots.web.ballots import sealing, services
from grassroots.web.ballots.models import (
    Ballot,
    DecryptedBallot,
    Mix,
    SealedElection,
    SealedJob,
    SealedStage,
    Status,
    Trustee,
)
from grassroots.web.errors import DomainError
from grassroots.web.people.mail import send_later
from grassroots.web.people.models import User

SERVER = "server"
# A trustee's mix of more ciphertexts than this is checked in a task, not in the request.
MIX_CHECK_AT_ONCE = 3000
NOT_CEREMONY = "The key ceremony is over: the ballot has opened."


def _audit(*, actor: User | None, ballot: Ballot, action: str, summary: str) -> None:
    audit_record(
        actor_id=actor.pk if actor else None,
        action=f"ballot.{action}",
        object_type="ballot",
        object_id=ballot.pk,
        summary=summary,
    )


def _sealed_locked(ballot: Ballot) -> tuple[Ballot, SealedElection]:
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if not ballot.sealed:
        raise DomainError("This ballot is not sealed.")
    election = SealedElection.objects.select_for_update().get(ballot=ballot)
    return ballot, election


def _draft_locked(ballot: Ballot) -> tuple[Ballot, SealedElection]:
    ballot, election = _sealed_locked(ballot)
    if ballot.status != Status.DRAFT:
        raise DomainError(NOT_CEREMONY)
    return ballot, election


def _ceremony_restart(ballot: Ballot) -> int:
    """Clear every deal and confirmation: they were made for a setup that has changed (a
    trustee named or removed, a key sent again, a new threshold). Returns how many trustees
    must deal again."""
    cleared = Trustee.objects.filter(ballot=ballot, deal__isnull=False).count()
    Trustee.objects.filter(ballot=ballot).update(
        deal=None, confirmation=None, dealt_at=None, confirmed_at=None
    )
    return cleared


def _restart_note(cleared: int) -> str:
    return f"; {cleared} deals cleared, to be made again" if cleared else ""


# -- 1. the officer names the trustees ----------------------------------------------------


@transaction.atomic(durable=True)
def trustee_add(
    *,
    actor: User | None,
    ballot: Ballot,
    person: User | None = None,
    email: str = "",
    site_url: str = "",
) -> Trustee | None:
    """Name a trustee of a sealed draft: ``person`` (from the representatives) or the active
    account with exactly ``email``; nothing for an unknown address (the caller answers the
    same either way, as for scrutineers). The new trustee is numbered n + 1 and, given the
    site's address, emailed where their page is and what they will be asked to do."""
    ballot, _ = _draft_locked(ballot)
    if person is None and email.strip():
        person = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if person is None or not person.is_active:
        return None
    if Trustee.objects.filter(ballot=ballot, person=person).exists():
        return None
    index = (Trustee.objects.filter(ballot=ballot).aggregate(top=Max("index"))["top"] or 0) + 1
    cleared = _ceremony_restart(ballot)
    trustee = Trustee.objects.create(ballot=ballot, person=person, index=index)
    _audit(
        actor=actor,
        ballot=ballot,
        action="trustee_add",
        summary=f"trustee {index} named (user {person.pk}){_restart_note(cleared)}",
    )
    if site_url:
        _trustee_tell(trustee=trustee, person=person, ballot=ballot, site_url=site_url)
    return trustee


def _trustee_tell(*, trustee: Trustee, person: User, ballot: Ballot, site_url: str) -> None:
    """Queue the email that tells a new trustee of their role (once per trustee)."""
    page = site_url.rstrip("/") + reverse("ballots:trustee", args=(ballot.slug,))
    send_later(
        key=f"trustee:{trustee.pk}",
        to=person.email,
        subject=f"You are trustee {trustee.index} of a sealed ballot: {ballot.question}",
        body=(
            f"Hello {person.name},\n\n"
            f"The returning officer named you trustee {trustee.index} of the sealed ballot "
            f'"{ballot.question}". Trustees hold the key that decrypts its ballots between '
            "them: no one of them, nor the server, can read a vote alone.\n\n"
            "Your page lists each step (make your keys, deal, confirm; later mix and decrypt) "
            "with the command to run on your own computer, and where to upload its file:\n\n"
            f"{page}\n\n"
            "Your secret file never leaves your computer. Keep it until the result is "
            "published.\n"
        ),
    )


@transaction.atomic(durable=True)
def trustee_remove(*, actor: User | None, ballot: Ballot, index: int) -> None:
    """Remove a trustee from a sealed draft. The trustees after them move up one number, and
    since a key file names its trustee's number, those trustees make their keys again."""
    ballot, _ = _draft_locked(ballot)
    removed, _ = Trustee.objects.filter(ballot=ballot, index=index).delete()
    if not removed:
        return
    cleared = _ceremony_restart(ballot)
    later = list(Trustee.objects.filter(ballot=ballot, index__gt=index).order_by("index"))
    for trustee in later:
        trustee.index -= 1
        trustee.public = None
        trustee.keys_at = None
        trustee.save(update_fields=["index", "public", "keys_at"])
    summary = f"trustee {index} removed{_restart_note(cleared)}"
    if later:
        summary += f"; trustees {index + 1}..{index + len(later)} renumbered, keys to make again"
    _audit(actor=actor, ballot=ballot, action="trustee_remove", summary=summary)


@transaction.atomic(durable=True)
def threshold_set(*, actor: User | None, ballot: Ballot, threshold: int) -> None:
    """Set k, how many trustees it takes to decrypt: from 2 to the number of trustees (all
    of them is allowed, but then one missing trustee stops the count)."""
    ballot, election = _draft_locked(ballot)
    trustees = Trustee.objects.filter(ballot=ballot).count()
    if not sealing.MIN_TRUSTEES <= threshold <= max(trustees, sealing.MIN_TRUSTEES):
        raise DomainError(
            f"The threshold is from {sealing.MIN_TRUSTEES} to the number of trustees ({trustees}).",
            field="threshold",
        )
    if threshold == election.threshold:
        return
    cleared = _ceremony_restart(ballot)
    old, election.threshold = election.threshold, threshold
    election.save(update_fields=["threshold"])
    _audit(
        actor=actor,
        ballot=ballot,
        action="threshold",
        summary=f"threshold {old} -> {threshold}{_restart_note(cleared)}",
    )


# -- 1. the trustees' key ceremony ---------------------------------------------------------


def json_read(text: str | bytes, *, what: str) -> Any:
    """An uploaded file as JSON, or a ``DomainError`` saying it is not."""
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError) as err:
        raise DomainError(f"{what}: this file is not JSON ({err}).", field="file") from err


def _trustee_locked(trustee: Trustee) -> tuple[Ballot, SealedElection, Trustee]:
    ballot, election = _sealed_locked(trustee.ballot)
    trustee = Trustee.objects.select_for_update().get(pk=trustee.pk)
    return ballot, election, trustee


@transaction.atomic(durable=True)
def trustee_keys_upload(*, actor: User | None, trustee: Trustee, text: str | bytes) -> None:
    """Store a trustee's public key file (``grassroots trustee keygen``'s public output):
    it must name this trustee's number. Sending it again restarts the deals."""
    ballot, _, trustee = _trustee_locked(trustee)
    if ballot.status != Status.DRAFT:
        raise DomainError(NOT_CEREMONY)
    try:
        public = TrusteePublic.from_json(json_read(text, what="The key file"))
    except TrusteeError as err:
        raise DomainError(f"The key file: {err}.", field="file") from err
    if public.index != trustee.index:
        raise DomainError(
            f"The key file is for trustee {public.index}; you are trustee {trustee.index}. "
            "Make your keys again with your own number.",
            field="file",
        )
    others = Trustee.objects.filter(ballot=ballot, public__isnull=False).exclude(pk=trustee.pk)
    key = public.to_json()["box_public_key"]
    if any((other.public or {}).get("box_public_key") == key for other in others):
        raise DomainError("The key file holds another trustee's key.", field="file")
    cleared = _ceremony_restart(ballot) if trustee.public is not None else 0
    trustee.public = public.to_json()
    trustee.keys_at = timezone.now()
    trustee.save(update_fields=["public", "keys_at"])
    _audit(
        actor=actor,
        ballot=ballot,
        action="trustee_keys",
        summary=f"trustee {trustee.index} sent their public key{_restart_note(cleared)}",
    )


def setup_for(ballot: Ballot) -> dict[str, Any]:
    """``setup.json``: what each trustee deals for (a ``DomainError`` while keys are missing)."""
    election = sealing.election_get(ballot)
    setup = sealing.setup_make(election=election, trustees=sealing.trustee_list(ballot))
    return setup.to_json()


@transaction.atomic(durable=True)
def trustee_deal_upload(*, actor: User | None, trustee: Trustee, text: str | bytes) -> None:
    """Store a trustee's deal (``grassroots trustee deal``), once every trustee's key is in;
    checked as anyone can (commitments, one sealed share per trustee, the proof)."""
    ballot, election, trustee = _trustee_locked(trustee)
    if ballot.status != Status.DRAFT:
        raise DomainError(NOT_CEREMONY)
    trustees = sealing.trustee_list(ballot)
    setup = sealing.setup_make(election=election, trustees=trustees)
    try:
        deal = Deal.from_json(json_read(text, what="The deal file"))
        if deal.dealer != trustee.index:
            raise DomainError(
                f"The deal file is trustee {deal.dealer}'s; you are trustee {trustee.index}.",
                field="file",
            )
        deal_check_public(setup, deal)
    except (TrusteeError, GroupError) as err:
        raise DomainError(f"The deal file: {err}.", field="file") from err
    # A new deal changes what everyone confirmed.
    confirmed = Trustee.objects.filter(ballot=ballot, confirmation__isnull=False).count()
    Trustee.objects.filter(ballot=ballot).update(confirmation=None, confirmed_at=None)
    trustee.refresh_from_db()
    trustee.deal = deal.to_json()
    trustee.dealt_at = timezone.now()
    trustee.save(update_fields=["deal", "dealt_at"])
    note = f"; {confirmed} confirmations cleared, to be made again" if confirmed else ""
    _audit(
        actor=actor,
        ballot=ballot,
        action="trustee_deal",
        summary=f"trustee {trustee.index} sent their deal{note}",
    )


def deals_for(ballot: Ballot) -> dict[str, Any]:
    """``deals.json``: the setup and every trustee's deal, once all are in."""
    trustees = sealing.trustee_list(ballot)
    setup = setup_for(ballot)
    waiting = [str(trustee.index) for trustee in trustees if trustee.deal is None]
    if waiting:
        raise DomainError(f"Trustee(s) {', '.join(waiting)} have not sent their deal yet.")
    return {"setup": setup, "deals": [trustee.deal for trustee in trustees]}


@transaction.atomic(durable=True)
def trustee_confirmation_upload(*, actor: User | None, trustee: Trustee, text: str | bytes) -> None:
    """Store a trustee's confirmation (``grassroots trustee confirm``): their verification
    key is the one the deals give them, with a proof that they hold its share."""
    ballot, election, trustee = _trustee_locked(trustee)
    if ballot.status != Status.DRAFT:
        raise DomainError(NOT_CEREMONY)
    trustees = sealing.trustee_list(ballot)
    setup = sealing.setup_make(election=election, trustees=trustees)
    if any(other.deal is None for other in trustees):
        raise DomainError("Not every trustee has sent their deal yet.", field="file")
    try:
        confirmation = Confirmation.from_json(json_read(text, what="The confirmation file"))
        if confirmation.index != trustee.index:
            raise DomainError(
                f"The confirmation file is trustee {confirmation.index}'s; you are trustee "
                f"{trustee.index}.",
                field="file",
            )
        confirmation_check(setup, sealing.deals_of(trustees), confirmation)
    except (TrusteeError, GroupError) as err:
        raise DomainError(f"The confirmation file: {err}.", field="file") from err
    trustee.confirmation = confirmation.to_json()
    trustee.confirmed_at = timezone.now()
    trustee.save(update_fields=["confirmation", "confirmed_at"])
    _audit(
        actor=actor,
        ballot=ballot,
        action="trustee_confirm",
        summary=f"trustee {trustee.index} checked the deals and confirmed",
    )


# -- 3. mixing -------------------------------------------------------------------------------


def list_for(ballot: Ballot) -> dict[str, Any]:
    """The list a trustee mixes or decrypts: the election's context and the current list
    (the last mix's output), with how many mixes made it."""
    election = sealing.election_get(ballot)
    if election.stage not in {SealedStage.MIXING, SealedStage.DECRYPTING}:
        raise DomainError("There is no list to mix or decrypt: the ballot has not closed.")
    mixes = sealing.mixes_accepted(election)
    return {
        "context": election.context,
        "mixes": len(mixes),
        "ballots": _list_json(election, mixes),
    }


def _list_json(election: SealedElection, mixes: list[Mix]) -> list[Any]:
    if mixes:
        return list(mixes[-1].output)
    return [entry["ciphertexts"] for entry in election.board or []]


def _progress_saver(election_id: int) -> Callable[[int, int], None]:
    """Write a job's progress (whole percent) as it goes, outside any transaction."""
    last = [-1]

    def saver(done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        if percent >= last[0] + 5 or done == total:
            last[0] = percent
            SealedElection.objects.filter(pk=election_id).update(job_progress=percent)

    return saver


def _job_start(ballot_id: int, job: SealedJob) -> SealedElection | None:
    with transaction.atomic():
        election = SealedElection.objects.select_for_update().filter(ballot_id=ballot_id).first()
        if election is None:
            return None
        election.job = job
        election.job_progress = 0
        election.job_error = ""
        election.save(update_fields=["job", "job_progress", "job_error"])
        return election


def _job_fail(election_id: int, message: str) -> None:
    SealedElection.objects.filter(pk=election_id).update(job=SealedJob.NONE, job_error=message)


def server_mix_run(*, ballot_id: int) -> str:
    """The server's mix of the frozen board (the ``sealed_server_mix`` task): shuffle and
    re-encrypt with a proof, then append it as mix 0. Does nothing if already done, so a
    worker restarted mid-mix simply runs it again."""
    from grassroots.seal.shuffle import shuffle_prove

    election = SealedElection.objects.filter(ballot_id=ballot_id).first()
    if election is None or election.stage != SealedStage.MIXING:
        return "not mixing"
    if election.mixes.filter(mixer=SERVER).exists():
        return "mixed already"
    election = _job_start(ballot_id, SealedJob.SERVER_MIX)
    assert election is not None
    try:
        context = sealing.context_of(election)
        inputs = sealing.board_ballots(election)
        outputs, proof = shuffle_prove(
            context, inputs, SERVER, progress=_progress_saver(election.pk)
        )
    except Exception as err:  # the page says so, and the officer can ask again
        _job_fail(election.pk, f"The server's mix failed: {err}")
        raise
    with transaction.atomic(durable=True):
        ballot, election = _sealed_locked(Ballot(pk=ballot_id))
        if election.mixes.filter(mixer=SERVER).exists():
            return "mixed already"
        Mix.objects.create(
            election=election,
            order=0,
            mixer=SERVER,
            output=[_ballot_json(item) for item in outputs],
            proof=proof.to_json(),
        )
        election.job = SealedJob.NONE
        election.job_progress = 100
        election.save(update_fields=["job", "job_progress"])
        _audit(
            actor=None,
            ballot=ballot,
            action="mix",
            summary=f"the server mixed the {len(outputs)} ballots (mix 1)",
        )
    return "mixed"


def _ballot_json(ballot: Any) -> list[dict[str, str]]:
    from grassroots.seal.elgamal import ballot_to_json

    return ballot_to_json(ballot)


@transaction.atomic(durable=True)
def server_mix_retry(*, actor: User | None, ballot: Ballot) -> None:
    """Queue the server's mix again after it failed (a worker lost, say)."""
    ballot, election = _sealed_locked(ballot)
    if election.stage != SealedStage.MIXING or election.mixes.filter(mixer=SERVER).exists():
        raise DomainError("The server's mix is done, or the ballot is not mixing.")
    election.job_error = ""
    election.save(update_fields=["job_error"])
    _audit(actor=actor, ballot=ballot, action="mix_retry", summary="the server's mix queued again")
    sealing.server_mix_enqueue(ballot_id=ballot.pk)


def mix_file_read(data: Any, *, width: int) -> tuple[str, list[Any], dict[str, Any]]:
    """A trustee's mix file (``grassroots trustee mix``'s output): who mixed (``mixer``),
    the shuffled list (``ballots``) and its ``proof``."""
    if not isinstance(data, dict) or not {"mixer", "ballots", "proof"} <= set(data):
        raise DomainError(
            'The mix file: expected {"mixer": ..., "ballots": [...], "proof": {...}}, as '
            "grassroots trustee mix writes it.",
            field="file",
        )
    sealing.ballots_from_json(data["ballots"], width, what="The mix file: ballots")
    if not isinstance(data["proof"], dict):
        raise DomainError("The mix file: proof is not an object.", field="file")
    mixer = data.get("mixer")
    if not isinstance(mixer, str) or not mixer.strip() or mixer == SERVER or len(mixer) > 100:
        raise DomainError("The mix file: mixer must name the trustee who mixed.", field="file")
    return mixer, list(data["ballots"]), dict(data["proof"])


def _mix_check(election: SealedElection, inputs_json: list[Any], mix: Mix) -> None:
    """Raise ``DomainError`` unless ``mix`` is a proven shuffle of ``inputs_json``."""
    from grassroots.seal.verify_shuffle import shuffle_check

    width = election.width or 0
    inputs = sealing.ballots_from_json(inputs_json, width, what="The current list")
    outputs = sealing.ballots_from_json(mix.output, width, what="The mix file: ballots")
    if len(outputs) != len(inputs):
        raise DomainError(
            f"The mix file has {len(outputs)} ballots; the list has {len(inputs)}.", field="file"
        )
    try:
        shuffle_check(sealing.context_of(election), inputs, outputs, mix.proof, mix.mixer)
    except Exception as err:  # VerificationError or a malformed proof: both refuse it
        raise DomainError(
            f"The mix file: its proof does not check against the current list (mix "
            f"{_mix_count(election)}): {err}. If someone mixed after you downloaded the list, "
            "download it again and mix again.",
            field="file",
        ) from err


def _mix_count(election: SealedElection) -> int:
    return election.mixes.filter(order__isnull=False).count()


def _mix_accept(ballot: Ballot, election: SealedElection, mix: Mix, trustee: Trustee) -> None:
    mix.order = _mix_count(election)
    mix.save(update_fields=["order"])
    trustee.mixed_at = timezone.now()
    trustee.refusal = ""
    trustee.save(update_fields=["mixed_at", "refusal"])
    _audit(
        actor=trustee.person,
        ballot=ballot,
        action="mix",
        summary=f"trustee {trustee.index} mixed the list (mix {mix.order + 1})",
    )


@transaction.atomic(durable=True)
def trustee_mix_upload(*, actor: User | None, trustee: Trustee, text: str | bytes) -> bool:
    """Append a trustee's mix of the current list (``grassroots trustee mix``), after the
    server's and before the officer stops mixing; one per trustee. A small list is checked
    here and a bad proof refused; a large one is checked in a task (``mix_check_run``) and
    the trustee's page shows the outcome. Returns whether it was accepted already."""
    ballot, election, trustee = _trustee_locked(trustee)
    if election.stage != SealedStage.MIXING:
        raise DomainError("Mixing is over (or has not started): no mix can be added.")
    if not election.mixes.filter(mixer=SERVER, order__isnull=False).exists():
        raise DomainError("The server mixes first: wait until its mix is done.")
    if trustee.mixed_at is not None or election.mixes.filter(trustee=trustee).exists():
        raise DomainError("You have mixed this list already: each trustee mixes once.")
    if election.mixes.filter(order__isnull=True).exists():
        raise DomainError("Another trustee's mix is being checked: try again in a minute.")
    mixer, outputs, proof = mix_file_read(
        json_read(text, what="The mix file"), width=election.width or 0
    )
    if election.mixes.filter(mixer=mixer).exists():
        raise DomainError(f"The mix file: {mixer!r} has mixed already.", field="file")
    inputs = _list_json(election, sealing.mixes_accepted(election))
    mix = Mix(
        election=election,
        mixer=mixer,
        trustee=trustee,
        output=outputs,
        proof=proof,
    )
    if len(inputs) * (election.width or 1) <= MIX_CHECK_AT_ONCE:
        _mix_check(election, inputs, mix)
        mix.save()
        _mix_accept(ballot, election, mix, trustee)
        return True
    mix.save()  # pending: no order until checked
    election.job = SealedJob.MIX_CHECK
    election.job_progress = 0
    election.save(update_fields=["job", "job_progress"])
    from grassroots.web.ballots.tasks import sealed_mix_check

    sealing.task_enqueue(sealed_mix_check, ballot.pk, mix.pk)
    return False


def mix_check_run(*, ballot_id: int, mix_id: int) -> str:
    """Check a trustee's large mix in the background (``sealed_mix_check``): append it, or
    delete it and tell the trustee why."""
    mix = Mix.objects.select_related("election", "trustee").filter(pk=mix_id).first()
    if mix is None or mix.order is not None or mix.trustee_id is None:
        return "nothing to check"
    election = mix.election
    inputs = _list_json(election, sealing.mixes_accepted(election))
    refusal = ""
    try:
        _mix_check(election, inputs, mix)
    except DomainError as err:
        refusal = err.message
    with transaction.atomic(durable=True):
        ballot, election = _sealed_locked(Ballot(pk=ballot_id))
        trustee = Trustee.objects.select_for_update().get(pk=mix.trustee_id)
        election.job = SealedJob.NONE
        election.save(update_fields=["job"])
        if refusal:
            Mix.objects.filter(pk=mix.pk).delete()
            trustee.refusal = refusal
            trustee.save(update_fields=["refusal"])
            _audit(
                actor=None,
                ballot=ballot,
                action="mix_refused",
                summary=f"trustee {trustee.index}'s mix refused: its proof does not check",
            )
            return "refused"
        _mix_accept(ballot, election, mix, trustee)
    return "accepted"


@transaction.atomic(durable=True)
def mixing_stop(*, actor: User | None, ballot: Ballot) -> int:
    """End the mixing: the last mix's output is the list the trustees decrypt. At least the
    server must have mixed. Returns how many mixes there were."""
    ballot, election = _sealed_locked(ballot)
    if election.stage != SealedStage.MIXING:
        raise DomainError("The ballot is not mixing.")
    mixes = _mix_count(election)
    if not election.mixes.filter(mixer=SERVER, order__isnull=False).exists():
        raise DomainError("The server has not mixed yet: wait for its mix.")
    if election.mixes.filter(order__isnull=True).exists():
        raise DomainError("A trustee's mix is being checked: wait for it.")
    election.stage = SealedStage.DECRYPTING
    election.save(update_fields=["stage"])
    _audit(
        actor=actor,
        ballot=ballot,
        action="mixing_stop",
        summary=f"mixing stopped after {mixes} mixes; the trustees decrypt the last",
    )
    return mixes


# -- 4. decryption ---------------------------------------------------------------------------


@transaction.atomic(durable=True)
def trustee_share_upload(*, actor: User | None, trustee: Trustee, text: str | bytes) -> None:
    """Store a trustee's decryption share of the final list (``grassroots trustee
    decrypt``), every Chaum–Pedersen proof checked against their verification key."""
    ballot, election, trustee = _trustee_locked(trustee)
    if election.stage != SealedStage.DECRYPTING:
        raise DomainError("The list is not ready to decrypt: the mixing has not ended.")
    if trustee.share is not None:
        raise DomainError("Your decryption share is in already.")
    try:
        share = DecryptionShare.from_json(json_read(text, what="The decryption file"))
        if share.trustee != trustee.index:
            raise DomainError(
                f"The decryption file is trustee {share.trustee}'s; you are trustee "
                f"{trustee.index}.",
                field="file",
            )
        decryption_share_check(sealing.context_of(election), sealing.list_current(election), share)
    except (DecryptionError, GroupError, ContextError) as err:
        raise DomainError(f"The decryption file: {err}.", field="file") from err
    trustee.share = share.to_json()
    trustee.decrypted_at = timezone.now()
    trustee.save(update_fields=["share", "decrypted_at"])
    _audit(
        actor=actor,
        ballot=ballot,
        action="trustee_decrypt",
        summary=f"trustee {trustee.index} sent their decryption share",
    )


def shares_in(ballot: Ballot) -> int:
    return Trustee.objects.filter(ballot=ballot, share__isnull=False).count()


@transaction.atomic(durable=True)
def count_request(*, actor: User | None, ballot: Ballot, site_url: str = "") -> None:
    """Queue the count once k trustees have decrypted (``count_run``); audited."""
    ballot, election = _sealed_locked(ballot)
    if ballot.status != Status.CLOSED or election.stage != SealedStage.DECRYPTING:
        raise DomainError("The ballot is not ready to count: stop the mixing first.")
    have = shares_in(ballot)
    if have < election.threshold:
        raise DomainError(
            f"{have} of the {election.threshold} decryption shares needed are in: wait for "
            "more trustees."
        )
    if election.job == SealedJob.COUNT:
        raise DomainError("The count is under way.")
    election.job = SealedJob.COUNT
    election.job_progress = 0
    election.job_error = ""
    election.save(update_fields=["job", "job_progress", "job_error"])
    _audit(
        actor=actor,
        ballot=ballot,
        action="count_request",
        summary=f"count asked for with {have} decryption shares",
    )
    from grassroots.web.ballots.tasks import sealed_count

    sealing.task_enqueue(sealed_count, ballot.pk, actor.pk if actor else None, site_url)


def rows_decrypt(ballot: Ballot) -> list[tuple[list[int], int]]:
    """The final list decrypted from k shares and decoded: ``(ranking as option ids,
    weight)`` in the list's order."""
    election = sealing.election_get(ballot)
    context = sealing.context_of(election)
    ballots = sealing.list_current(election)
    trustees = Trustee.objects.filter(ballot=ballot, share__isnull=False).order_by("index")
    shares = [DecryptionShare.from_json(trustee.share) for trustee in trustees]
    points = plaintexts_combine(context, ballots, shares)
    option_ids = {
        number: option_id for option_id, number in sealing.option_positions(ballot).items()
    }
    rows = []
    for number, row in enumerate(points):
        try:
            ranking, weight = ballot_decode(row, len(option_ids))
        except EncodingError as err:
            raise DomainError(f"Decrypted ballot {number} is not a ballot: {err}") from err
        rows.append(([option_ids[position] for position in ranking], weight))
    return rows


def count_run(*, ballot_id: int, actor_id: int | None, site_url: str) -> str:
    """Decrypt, count and publish (the ``sealed_count`` task): combine k shares, decode,
    store the decrypted ballots in the final list's order (no receipt, no link to a cast),
    count them as any ballot and publish the result with the bundle."""
    from grassroots.web.ballots.bundles import bundle_for

    ballot = Ballot.objects.filter(pk=ballot_id).first()
    if ballot is None or ballot.status != Status.CLOSED:
        return "nothing to count"
    election = sealing.election_get(ballot)
    try:
        rows = rows_decrypt(ballot)
    except (DomainError, DecryptionError) as err:
        message = err.message if isinstance(err, DomainError) else str(err)
        _job_fail(election.pk, f"The decryption failed: {message}")
        return "failed"
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        with transaction.atomic(durable=True):
            ballot, election = _sealed_locked(ballot)
            if ballot.status != Status.CLOSED:
                return "counted already"
            DecryptedBallot.objects.bulk_create(
                DecryptedBallot(ballot=ballot, ranking=ranking, weight=weight)
                for ranking, weight in rows
            )
            services.result_publish(
                actor=actor,
                ballot=ballot,
                rows=rows,
                site_url=site_url,
                summary=f"; {len(rows)} ballots decrypted by {shares_in(ballot)} trustees",
            )
            election.bundle = bundle_for(ballot=ballot, election=election)
            election.stage = SealedStage.COUNTED
            election.job = SealedJob.NONE
            election.job_progress = 100
            election.save(update_fields=["bundle", "stage", "job", "job_progress"])
    except DomainError as err:
        _job_fail(election.pk, f"The count failed: {err.message}")
        return "failed"
    return "published"
