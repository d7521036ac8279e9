"""votelib's ``TransferableVoteSelector``: STV with its default Gregory transfer and Droop quota.

votelib takes the ballots as ``{ranking: count}``, and reads BLT itself, so
its own reader is used.
"""

import sys

import votelib.evaluate.sequential
import votelib.io.blt


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as file:
        ballots, seats, _candidates, _title = votelib.io.blt.load(file)
    selector = votelib.evaluate.sequential.TransferableVoteSelector()
    print(sorted(getattr(c, "name", str(c)) for c in selector.evaluate(ballots, seats)))


if __name__ == "__main__":
    main()
