"""pref_voting's ``stv_scottish``: Scottish STV (SSI 2007/42), the same rule as ``--rule scottish``.

Its docstring notes one difference: a surplus moves at the paper's current
value rather than the value when received (the same in ordinary counts).
"""

import sys

from _blt import read
from pref_voting.profiles_with_ties import ProfileWithTies
from pref_voting.proportional_methods import stv_scottish


def main() -> None:
    seats, names, ballots = read(sys.argv[1])
    index = {name: i for i, name in enumerate(names)}
    rankings = [{index[name]: place for place, name in enumerate(r, 1)} for r in ballots]
    profile = ProfileWithTies(
        rankings, rcounts=list(ballots.values()), candidates=range(len(names))
    )
    winners = stv_scottish(profile, num_seats=seats)
    print(sorted(names[c] for c in winners))


if __name__ == "__main__":
    main()
