"""votekit's ``STV`` with ``fractional_transfer`` (its default).

Droop quota; every paper of an elected candidate moves at (surplus / votes),
in floating point (votekit's ``exact=False`` default).
"""

import sys

from _blt import read
from votekit import RankBallot, RankProfile
from votekit.elections import STV
from votekit.elections.transfers import fractional_transfer


def main() -> None:
    seats, names, ballots = read(sys.argv[1])
    papers = [
        RankBallot(ranking=[{name} for name in ranking], weight=count)
        for ranking, count in ballots.items()
    ]
    profile = RankProfile(ballots=papers, candidates=names)
    election = STV(profile, n_seats=seats, transfer=fractional_transfer)
    print(sorted(c for group in election.get_elected() for c in group))


if __name__ == "__main__":
    main()
