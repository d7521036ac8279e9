"""Reading party elections: sections, candidates with their slates and nominations, the
nominations tracker's figures and the rules a CLP's nominations break."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from grassroots.web.elections import analysis
from grassroots.web.elections.models import (
    Candidate,
    Gender,
    Nomination,
    PartyElection,
    Section,
    SectionResult,
    Slate,
    SlateMembership,
)

NO_SLATE = "No slate"
GREY = "#888888"  # a slate group without its own colour (no slate, or two slates)


def party_election_list() -> QuerySet[PartyElection]:
    return PartyElection.objects.prefetch_related("sections")


def section_get(*, election_slug: str, section_slug: str) -> Section:
    """The section, with its election; ``Http404`` when there is none."""
    try:
        return Section.objects.select_related("election").get(
            election__slug=election_slug, slug=section_slug
        )
    except Section.DoesNotExist:
        raise Http404("No such section.") from None


def slate_list(*, election: PartyElection) -> list[Slate]:
    return list(Slate.objects.filter(election=election))


def party_election_get(*, election_slug: str) -> PartyElection:
    """The election; ``Http404`` when there is none."""
    try:
        return PartyElection.objects.get(slug=election_slug)
    except PartyElection.DoesNotExist:
        raise Http404("No such election.") from None


def section_list_for_organiser(*, election: PartyElection) -> list[Section]:
    """The election's sections with their candidate and nomination counts and whether a result
    is stored (one query)."""
    return list(
        Section.objects.filter(election=election).annotate(
            candidate_count=Count("candidates", distinct=True),
            nomination_count=Count("nominations", distinct=True),
            has_result=Exists(SectionResult.objects.filter(section=OuterRef("pk"))),
        )
    )


def slate_list_for_organiser(*, election: PartyElection) -> list[Slate]:
    """The election's slates with how many candidates each holds (one query)."""
    return list(Slate.objects.filter(election=election).annotate(member_count=Count("memberships")))


def slate_get(*, election_slug: str, slate_id: int) -> Slate:
    """The slate of that election, with the election; ``Http404`` when there is none."""
    try:
        return Slate.objects.select_related("election").get(
            election__slug=election_slug, pk=slate_id
        )
    except Slate.DoesNotExist:
        raise Http404("No such slate.") from None


def slate_membership_list(*, slate: Slate) -> list[SlateMembership]:
    """The slate's candidates with their sections, by section and name (one query)."""
    return list(
        SlateMembership.objects.filter(slate=slate)
        .select_related("candidate__section")
        .order_by("candidate__section__position", "candidate__name")
    )


def candidate_get(*, section: Section, candidate_id: int) -> Candidate:
    """The candidate of that section; ``Http404`` when there is none."""
    try:
        return Candidate.objects.select_related("clp").get(section=section, pk=candidate_id)
    except Candidate.DoesNotExist:
        raise Http404("No such candidate.") from None


def candidate_list(*, section: Section) -> list[Candidate]:
    """The section's candidates by name, with their slates and nomination counts (two queries)."""
    return list(
        Candidate.objects.filter(section=section)
        .annotate(nomination_count=Count("nominations"))
        .prefetch_related(
            Prefetch(
                "slate_memberships",
                queryset=SlateMembership.objects.select_related("slate").order_by(
                    "slate__position", "slate__name"
                ),
            )
        )
        .order_by("name")
    )


def candidate_slate_names(candidate: Candidate) -> list[str]:
    """The names of the slates a candidate is on, in the slates' order (prefetched)."""
    return [m.slate.name for m in candidate.slate_memberships.all()]


def slate_label(slates: Sequence[str]) -> str:
    """The group a candidate counts in for analysis by slate: its slates joined with " + "
    (a candidate on two slates is its own group, so shares add up to 100%), or "No slate"."""
    return " + ".join(slates) if slates else NO_SLATE


def candidate_slate_labels(*, section: Section) -> dict[str, str]:
    """Candidate name → slate label, for the analysis functions."""
    return {c.name: slate_label(candidate_slate_names(c)) for c in candidate_list(section=section)}


def nomination_list(*, section: Section) -> QuerySet[Nomination]:
    return Nomination.objects.filter(section=section).select_related("candidate", "clp")


@dataclass
class CandidateRow:
    name: str
    gender: str
    slates: list[str]
    nominations: int
    threshold: int
    on_ballot: bool
    bar: int = 0  # length of the bar against the threshold, in percent (at most 100)


@dataclass
class ShareRow:
    label: str
    count: int
    percent: float
    colour: str = GREY


@dataclass
class RegionBar:
    label: str
    value: int
    length: int
    y: int


@dataclass
class ClpFlag:
    clp: str
    candidates: list[str]
    reasons: list[str]


@dataclass
class Tracker:
    section: Section
    candidates: list[CandidateRow]
    clps_nominating: int
    nominations: int
    on_ballot: int
    slate_shares: list[ShareRow]
    regions: list[RegionBar]
    flags: list[ClpFlag] = field(default_factory=list)


BAR_HEIGHT = 28
BAR_MAX = 340


def nomination_flags(*, section: Section, by_clp: dict[str, list[Candidate]]) -> list[ClpFlag]:
    """CLPs whose nominations break the section's rules (docs/elections.md):

    * more candidates nominated than the section has seats;
    * where the section has a minimum of women, a CLP that nominates two or more candidates
      must include at least one woman.
    """
    flags = []
    for clp, candidates in sorted(by_clp.items()):
        reasons = []
        if len(candidates) > section.seats:
            reasons.append(f"nominates {len(candidates)} candidates for {section.seats} seat(s)")
        if (
            section.minimum_women
            and len(candidates) >= 2
            and not any(c.gender == Gender.WOMAN for c in candidates)
        ):
            reasons.append(f"nominates {len(candidates)} candidates and no woman")
        if reasons:
            flags.append(ClpFlag(clp, sorted(c.name for c in candidates), reasons))
    return flags


def tracker_get(*, section: Section) -> Tracker:
    """Everything the nominations tracker shows, in four queries."""
    candidates = candidate_list(section=section)
    by_id = {c.pk: c for c in candidates}
    colours = {s.name: s.colour for s in slate_list(election=section.election)}
    by_clp: dict[str, list[Candidate]] = defaultdict(list)
    by_region: dict[str, set[str]] = defaultdict(set)
    rows = Nomination.objects.filter(section=section).values_list(
        "candidate_id", "clp__name", "clp__region"
    )
    for candidate_id, clp_name, region in rows:
        by_clp[clp_name].append(by_id[candidate_id])
        by_region[region].add(clp_name)
    threshold = section.nomination_threshold
    table = [
        CandidateRow(
            name=c.name,
            gender=c.gender,
            slates=candidate_slate_names(c),
            nominations=c.nomination_count,  # type: ignore[attr-defined]  # annotated
            threshold=threshold,
            on_ballot=c.nomination_count >= threshold,  # type: ignore[attr-defined]
            bar=min(100, round(100 * c.nomination_count / threshold)) if threshold else 100,  # type: ignore[attr-defined]
        )
        for c in candidates
    ]
    table.sort(key=lambda r: (-r.nominations, r.name))
    total = sum(r.nominations for r in table)
    by_label: dict[str, int] = defaultdict(int)
    for r in table:
        by_label[slate_label(r.slates)] += r.nominations
    shares = [
        ShareRow(
            label,
            count,
            round(100 * count / total, 1) if total else 0.0,
            colours.get(label, GREY),
        )
        for label, count in sorted(by_label.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    largest = max((len(v) for v in by_region.values()), default=0) or 1
    regions = [
        RegionBar(region, len(clps), round(BAR_MAX * len(clps) / largest), i * BAR_HEIGHT)
        for i, (region, clps) in enumerate(sorted(by_region.items()))
    ]
    return Tracker(
        section=section,
        candidates=table,
        clps_nominating=len(by_clp),
        nominations=total,
        on_ballot=sum(r.on_ballot for r in table),
        slate_shares=shares,
        regions=regions,
        flags=nomination_flags(section=section, by_clp=by_clp),
    )


def nomination_summary(*, section: Section) -> list[dict[str, object]]:
    """Per candidate: nominations, threshold, on_ballot, slates (the CLI's JSON)."""
    return [
        {
            "candidate": row.name,
            "nominations": row.nominations,
            "threshold": row.threshold,
            "on_ballot": row.on_ballot,
            "slates": row.slates,
        }
        for row in tracker_get(section=section).candidates
    ]


@dataclass
class Segment:
    label: str
    votes: str
    x: int
    width: int
    colour: str


@dataclass
class TransferBar:
    source: str
    y: int
    segments: list[Segment]


@dataclass
class ResultAnalysis:
    kind: str
    filename: str
    elected: list[tuple[str, str]]  # name, slate label
    shares: list[analysis.SlateShare]
    matrix: analysis.TransferMatrix
    matrix_rows: list[tuple[str, list[Decimal], Decimal]]
    transfer_bars: list[TransferBar]
    colours: dict[str, str]
    exhausted: Decimal
    total: Decimal
    notes: list[str] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # transfer target, colour


def result_analysis_get(*, section: Section) -> ResultAnalysis | None:
    """The section's stored result, analysed by slate; None when no result is stored."""
    try:
        stored = SectionResult.objects.get(section=section)
    except SectionResult.DoesNotExist:
        return None
    data = stored.data
    slate_of = candidate_slate_labels(section=section)
    colours = {s.name: s.colour for s in slate_list(election=section.election)}
    colours[analysis.EXHAUSTED] = "#cccccc"  # lighter than GREY
    matrix = analysis.transfer_matrix(data, slate_of)
    bars = []
    for i, source in enumerate(matrix.sources):
        total = matrix.row_total(source) or Decimal(1)
        x = 0
        segments = []
        for target, votes in zip(matrix.targets, matrix.row(source), strict=True):
            width = round(BAR_MAX * votes / total)
            if width:
                segments.append(Segment(target, str(votes), x, width, colours.get(target, GREY)))
            x += width
        bars.append(TransferBar(source, i * BAR_HEIGHT, segments))
    return ResultAnalysis(
        kind=stored.get_kind_display(),
        filename=stored.filename,
        elected=[(name, slate_of.get(name, NO_SLATE)) for name in data["elected"]],
        shares=analysis.first_preference_shares(data, slate_of),
        matrix=matrix,
        matrix_rows=[(s, matrix.row(s), matrix.row_total(s)) for s in matrix.sources],
        transfer_bars=bars,
        colours=colours,
        exhausted=analysis.exhausted_votes(data),
        total=analysis.total_votes(data),
        notes=list(data.get("notes", [])),
        legend=[(t, colours.get(t, GREY)) for t in matrix.targets],
    )
