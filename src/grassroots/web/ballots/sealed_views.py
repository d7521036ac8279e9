"""Sealed ballots' pages: the trustee's page with each step's command, download and upload;
the returning officer's trustees panel (on the management page); the published board and
bundle. Each checks access and calls one service of ``ballots.sealed``."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from grassroots.web.ballots import access, sealed, sealing, selectors
from grassroots.web.ballots.forms import ThresholdForm, TrusteeForm, TrusteeUploadForm
from grassroots.web.ballots.models import Ballot, SealedElection, SealedStage, Status, Trustee
from grassroots.web.errors import DomainError
from grassroots.web.people.models import User

OFFICER_ACTIONS = frozenset({"trustee", "untrustee", "threshold", "stop_mixing", "mix_retry"})
TRUSTEE_ADDED = (
    "If that address belongs to an account on this site, its holder is now a trustee of this "
    "ballot; the list shows every trustee."
)
FILES = ("setup.json", "deals.json", "election.json", "list.json")


def _json_download(data: Any, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, separators=(",", ":")) + "\n", content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- the returning officer -------------------------------------------------------------------


def trustee_candidates(*, ballot: Ballot) -> list[User]:
    """Representatives the officer may name as trustees without typing an address (as for
    scrutineers), not yet trustees."""
    named = set(ballot.trustees.values_list("person_id", flat=True))
    return [user for user in selectors.scrutineer_candidates(ballot=ballot) if user.pk not in named]


def officer_context(
    ballot: Ballot,
    *,
    may_run: bool,
    trustee_form: TrusteeForm | None = None,
    threshold_form: ThresholdForm | None = None,
) -> dict[str, Any]:
    """What the management page shows of a sealed ballot: each trustee's steps, the stage,
    any background job and its progress, the mixes, and how many shares are in."""
    election = sealing.election_get(ballot)
    trustees = sealing.trustee_list(ballot)
    shares = sum(1 for trustee in trustees if trustee.share is not None)
    return {
        "election": election,
        "trustees": trustees,
        "mixes": sealing.mixes_accepted(election),
        "server_mixed": election.mixes.filter(mixer=sealed.SERVER, order__isnull=False).exists(),
        "shares": shares,
        "can_count": shares >= election.threshold,
        "ceremony_done": bool(trustees)
        and all(trustee.confirmation is not None for trustee in trustees),
        "trustee_form": trustee_form
        or TrusteeForm(candidates=trustee_candidates(ballot=ballot) if may_run else []),
        "threshold_form": threshold_form
        or ThresholdForm(initial={"threshold": election.threshold}),
        "Stage": SealedStage,
    }


def officer_act(
    request: HttpRequest, ballot: Ballot, action: str, actor: User | None
) -> dict[str, Any] | None:
    """One of the officer's sealed-ballot actions; a form with its errors to show (as
    keyword arguments of the management page), or None when done."""
    if action == "trustee":
        form = TrusteeForm(request.POST, candidates=trustee_candidates(ballot=ballot))
        if not form.is_valid():
            return {"trustee_form": form}
        sealed.trustee_add(
            actor=actor,
            ballot=ballot,
            person=form.cleaned_data["person"],
            email=form.cleaned_data["email"],
            site_url=request.build_absolute_uri("/"),
        )
        messages.success(request, TRUSTEE_ADDED)
    elif action == "untrustee":
        try:
            index = int(request.POST.get("index", ""))
        except ValueError:
            raise Http404(access.NOT_FOUND) from None
        sealed.trustee_remove(actor=actor, ballot=ballot, index=index)
        messages.success(request, "The trustee is removed.")
    elif action == "threshold":
        threshold_form = ThresholdForm(request.POST)
        if not threshold_form.is_valid():
            return {"threshold_form": threshold_form}
        sealed.threshold_set(
            actor=actor, ballot=ballot, threshold=threshold_form.cleaned_data["threshold"]
        )
        messages.success(request, "The threshold is set.")
    elif action == "stop_mixing":
        mixes = sealed.mixing_stop(actor=actor, ballot=ballot)
        messages.success(
            request, f"Mixing is over after {mixes} mixes: the trustees can decrypt now."
        )
    elif action == "mix_retry":
        sealed.server_mix_retry(actor=actor, ballot=ballot)
        messages.success(request, "The server's mix is queued again.")
    return None


# -- the trustee -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step on the trustee's page: what to do, the files to download, the command, and
    whether it is open now, done, or waiting."""

    name: str
    title: str
    what: str
    downloads: tuple[str, ...]
    command: str
    state: str  # "done", "open", "waiting", "skipped"
    note: str = ""


def _command(*parts: str) -> str:
    return " ".join(shlex.quote(part) for part in parts)


def trustee_steps(ballot: Ballot, election: SealedElection, trustee: Trustee) -> list[Step]:
    """The trustee's five steps, with the exact command for each."""
    slug, i = ballot.slug, str(trustee.index)
    secret = f"{slug}-secret-{i}.json"
    trustees = sealing.trustee_list(ballot)
    keys_in = bool(trustees) and all(t.public is not None for t in trustees)
    deals_in = keys_in and all(t.deal is not None for t in trustees)
    draft = ballot.status == Status.DRAFT
    mixing = election.stage == SealedStage.MIXING
    server_mixed = election.mixes.filter(mixer=sealed.SERVER, order__isnull=False).exists()
    enough = len(trustees) >= sealing.MIN_TRUSTEES

    def state(done: bool, ready: bool) -> str:
        return "done" if done else ("open" if ready else "waiting")

    mix_state = state(trustee.mixed_at is not None, mixing and server_mixed)
    if mix_state == "waiting" and election.stage in {SealedStage.DECRYPTING, SealedStage.COUNTED}:
        mix_state = "skipped"
    return [
        Step(
            "keys",
            "1. Make your keys",
            "Make your key pair on your own computer. The secret file stays there (keep it "
            "safe until the count is published: without it you cannot decrypt); send the "
            "public file here.",
            (),
            _command(
                "grassroots",
                "trustee",
                "keygen",
                "--election",
                str(election.election_id),
                "--index",
                i,
                "--secret",
                secret,
                "--public",
                f"{slug}-trustee-{i}.json",
            ),
            state(trustee.public is not None, draft),
        ),
        Step(
            "deal",
            "2. Deal",
            "Once every trustee has sent their key, download the setup and make your deal: "
            "it gives each trustee a share, sealed so only they can open it.",
            ("setup.json",),
            _command(
                "grassroots",
                "trustee",
                "deal",
                "--secret",
                secret,
                "--setup",
                f"{slug}-setup.json",
                "--out",
                f"{slug}-deal-{i}.json",
            ),
            state(trustee.deal is not None, draft and keys_in and enough),
        ),
        Step(
            "confirm",
            "3. Check the deals and confirm",
            "Once every trustee has dealt, download the deals: the command checks your share "
            "of each, saves your share of the election's key in your secret file, and writes "
            "your confirmation.",
            ("setup.json", "deals.json"),
            _command(
                "grassroots",
                "trustee",
                "confirm",
                "--secret",
                secret,
                "--setup",
                f"{slug}-setup.json",
                "--deals",
                f"{slug}-deals.json",
                "--out",
                f"{slug}-confirmation-{i}.json",
            ),
            state(trustee.confirmation is not None, draft and deals_in),
        ),
        Step(
            "mix",
            "4. Mix (optional)",
            "After the close and the server's mix, you may shuffle the list once more, with a "
            "proof. A voter stays unlinked from their ballot unless every mixer colludes, so "
            "each mix adds protection.",
            ("election.json", "list.json"),
            _command(
                "grassroots",
                "trustee",
                "mix",
                "--election",
                f"{slug}-election.json",
                "--ballots",
                f"{slug}-list.json",
                "--mixer",
                f"trustee {i}",
                "--out",
                f"{slug}-mix-{i}.json",
            ),
            mix_state,
            trustee.refusal,
        ),
        Step(
            "decrypt",
            "5. Decrypt",
            "When the returning officer has stopped the mixing, download the final list and "
            "make your decryption share, with a proof for every ciphertext. It decrypts "
            "nothing alone: it takes the shares of the threshold of trustees.",
            ("election.json", "list.json"),
            _command(
                "grassroots",
                "trustee",
                "decrypt",
                "--secret",
                secret,
                "--election",
                f"{slug}-election.json",
                "--ballots",
                f"{slug}-list.json",
                "--out",
                f"{slug}-decryption-{i}.json",
            ),
            state(trustee.share is not None, election.stage == SealedStage.DECRYPTING),
        ),
    ]


def _trustee_render(
    request: HttpRequest,
    ballot: Ballot,
    trustee: Trustee,
    *,
    failed: str = "",
    form: TrusteeUploadForm | None = None,
) -> HttpResponse:
    election = sealing.election_get(ballot)
    steps = trustee_steps(ballot, election, trustee)
    return render(
        request,
        "ballots/trustee.html",
        {
            "ballot": ballot,
            "trustee": trustee,
            "election": election,
            "steps": steps,
            "failed": failed,
            "form": form or TrusteeUploadForm(),
            "trustees": sealing.trustee_list(ballot),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def trustee_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A trustee's page: their steps in order, each with its command and its files."""
    ballot, trustee = access.ballot_for_trustee(request.user, slug)
    return _trustee_render(request, ballot, trustee)


UPLOADS = {
    "keys": sealed.trustee_keys_upload,
    "deal": sealed.trustee_deal_upload,
    "confirm": sealed.trustee_confirmation_upload,
    "decrypt": sealed.trustee_share_upload,
}


@login_required
@require_POST
def trustee_upload(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    """Send the file a step's command wrote; checked before it is stored."""
    ballot, trustee = access.ballot_for_trustee(request.user, slug)
    if step not in UPLOADS and step != "mix":
        raise Http404(access.NOT_FOUND)
    form = TrusteeUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _trustee_render(request, ballot, trustee, failed=step, form=form)
    actor = request.user if isinstance(request.user, User) else None
    try:
        if step == "mix":
            if sealed.trustee_mix_upload(
                actor=actor, trustee=trustee, text=form.cleaned_data["file"]
            ):
                messages.success(request, "Your mix checks and is added to the list.")
            else:
                messages.success(request, "Your mix is being checked: this page will say.")
        else:
            UPLOADS[step](actor=actor, trustee=trustee, text=form.cleaned_data["file"])
            messages.success(request, "Your file checks and is stored.")
    except DomainError as err:
        err.show_on(form)
        trustee.refresh_from_db()
        return _trustee_render(request, ballot, trustee, failed=step, form=form)
    return redirect("ballots:trustee", slug=ballot.slug)


@login_required
def trustee_file(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    """A step's input file: the setup, the deals, the election's context, or the current
    list (the last mix's output)."""
    ballot, _ = access.ballot_for_trustee(request.user, slug)
    if name not in FILES:
        raise Http404(access.NOT_FOUND)
    try:
        if name == "setup.json":
            data = sealed.setup_for(ballot)
        elif name == "deals.json":
            data = sealed.deals_for(ballot)
        elif name == "election.json":
            data = sealing.context_of(sealing.election_get(ballot)).to_json()
        else:
            data = sealed.list_for(ballot)
    except DomainError as err:
        return HttpResponse(err.message + "\n", status=409, content_type="text/plain")
    return _json_download(data, f"{ballot.slug}-{name}")


# -- published -------------------------------------------------------------------------------


def board_json(request: HttpRequest, slug: str) -> HttpResponse:
    """The board frozen at the close: every cast ballot's ciphertexts with its fingerprint
    (whose start is the voter's receipt code), in the close's random order, and the digest."""
    ballot = access.ballot_for_public(request.user, slug)
    election = SealedElection.objects.filter(ballot=ballot).first()
    if not ballot.sealed or election is None or election.board is None:
        raise Http404(access.NOT_FOUND)
    return _json_download(
        {
            "election_id": str(election.election_id),
            "question": ballot.question,
            "digest": election.board_digest,
            "ballots": [
                {
                    "receipt": sealing.receipt_from_fingerprint(entry["fingerprint"]),
                    **entry,
                }
                for entry in election.board
            ],
        },
        f"{ballot.slug}-board.json",
    )


def bundle_json(request: HttpRequest, slug: str) -> HttpResponse:
    """The bundle of a counted sealed ballot, for ``grassroots ballots verify``."""
    ballot = access.ballot_published(request.user, slug)
    election = SealedElection.objects.filter(ballot=ballot).first()
    if election is None or election.bundle is None:
        raise Http404(access.NOT_FOUND)
    return _json_download(election.bundle, f"{ballot.slug}-bundle.json")
