"""pyrankvote's ``single_transferable_vote``: its own STV (Droop quota, fractional surplus).

pyrankvote takes one ``Ballot`` object per paper (it has no weights), so a
million ballots are a million objects, as they would be for any user.
"""

import sys

import pyrankvote
from _blt import read
from pyrankvote import Ballot, Candidate


def main() -> None:
    seats, names, ballots = read(sys.argv[1])
    candidates = {name: Candidate(name) for name in names}
    papers = []
    for ranking, count in ballots.items():
        ballot = [candidates[name] for name in ranking]
        papers.extend(Ballot(ranked_candidates=ballot) for _ in range(count))
    result = pyrankvote.single_transferable_vote(list(candidates.values()), papers, seats)
    print(sorted(c.name for c in result.get_winners()))


if __name__ == "__main__":
    main()
