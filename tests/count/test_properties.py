"""Properties every count must have, on profiles that hypothesis invents."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.count import DecisionKind, Profile, Quotas, count
from grassroots.count.formats.blt import format_blt, parse_blt
from grassroots.count.result import Result

RULES = ["scottish", "ers97", "meek", "irv"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def profiles(draw: st.DrawFn, *, single_seat: bool = False) -> Profile:
    n = draw(st.integers(min_value=2, max_value=7))
    seats = 1 if single_seat else draw(st.integers(min_value=1, max_value=n - 1))
    names = [f"C{i}" for i in range(n)]
    ranking = st.permutations(list(range(n))).flatmap(
        lambda order: st.integers(min_value=1, max_value=n).map(lambda k: order[:k])
    )
    ballots = draw(
        st.lists(
            st.tuples(ranking, st.integers(min_value=1, max_value=30)), min_size=1, max_size=25
        )
    )
    categories = draw(st.lists(st.sampled_from("FM"), min_size=n, max_size=n))
    withdrawn = draw(
        st.sets(st.integers(min_value=0, max_value=n - 1), max_size=max(0, n - seats - 1))
    )
    return Profile.from_rankings(
        names,
        seats,
        [list(r) for r, _ in ballots],
        [w for _, w in ballots],
        withdrawn=withdrawn,
        categories=categories,
    )


def _rules_for(profile: Profile) -> list[str]:
    return RULES if profile.seats == 1 else RULES[:-1]


def _drew_lots(result: Result) -> bool:
    return any(d.kind is DecisionKind.TIE and "lot" in d.reason for d in result.decisions)


@SETTINGS
@given(profiles())
def test_votes_are_conserved_at_every_stage(profile: Profile) -> None:
    for rule in _rules_for(profile):
        result = count(profile, rule=rule)
        for stage in result.stages:
            total = sum(stage.votes.values(), Decimal(0)) + stage.exhausted + stage.loss
            assert total == result.valid_ballots, (rule, stage.number)
            assert stage.exhausted >= 0
            assert stage.loss >= 0


@SETTINGS
@given(profiles())
def test_number_elected_equals_seats(profile: Profile) -> None:
    standing = len(profile.candidates) - len(profile.withdrawn)
    for rule in _rules_for(profile):
        result = count(profile, rule=rule)
        assert len(result.elected) == min(profile.seats, standing), rule
        assert len(set(result.elected)) == len(result.elected)
        assert not set(result.elected) & {profile.candidates[c] for c in profile.withdrawn}


@SETTINGS
@given(profiles(), st.data())
def test_feasible_quota_is_always_met(profile: Profile, data: st.DataObject) -> None:
    assert profile.categories is not None
    women = sum(
        1 for i, cat in enumerate(profile.categories) if cat == "F" and i not in profile.withdrawn
    )
    minimum = data.draw(st.integers(min_value=0, max_value=min(women, profile.seats)))
    quotas = Quotas.build({"F": minimum})
    for rule in _rules_for(profile):
        result = count(profile, rule=rule, quotas=quotas)
        elected_women = sum(result.categories[name] == "F" for name in result.elected)
        assert elected_women >= minimum, rule


@SETTINGS
@given(profiles(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_candidate_order(profile: Profile, rnd: object) -> None:
    order = list(range(len(profile.candidates)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    position = {old: new for new, old in enumerate(order)}
    shuffled = Profile.from_rankings(
        [profile.candidates[old] for old in order],
        profile.seats,
        [[position[c] for c in ranking] for ranking, _ in profile.ballots()],
        [w for _, w in profile.ballots()],
        withdrawn={position[c] for c in profile.withdrawn},
        categories=[profile.categories[old] for old in order] if profile.categories else None,
    )
    for rule in _rules_for(profile):
        first = count(profile, rule=rule)
        second = count(shuffled, rule=rule)
        if _drew_lots(first) or _drew_lots(second):
            continue  # ties by lot are drawn in candidate order; nothing else may be
        assert set(first.elected) == set(second.elected), rule
        assert [dict(s.votes) for s in first.stages] == [dict(s.votes) for s in second.stages]


@SETTINGS
@given(profiles())
def test_blt_write_then_read_is_identity(profile: Profile) -> None:
    again = parse_blt(format_blt(profile))
    assert again.candidates == profile.candidates
    assert again.seats == profile.seats
    assert again.withdrawn == profile.withdrawn
    assert sorted(again.ballots()) == sorted(profile.ballots())


@SETTINGS
@given(profiles(), st.integers(min_value=0, max_value=2**32))
def test_same_seed_gives_same_result(profile: Profile, seed: int) -> None:
    for rule in _rules_for(profile):
        assert count(profile, rule=rule, seed=seed) == count(profile, rule=rule, seed=seed)
