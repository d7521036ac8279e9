"""The fast path of the BLT reader: bytes to aggregated rankings with numpy.

A million ballot lines are read without a Python step per line: the ballot
block is tokenised as bytes, each line's preferences are packed exactly into
a few 64-bit words (a fixed number of bits per candidate), and identical
rankings are merged by sorting those words, so only distinct rankings are
ever laid out as rows.

It makes every check of the careful parser as an array test and never
raises: on anything it does not recognise as plainly regular (a comment, a
"-" or "=" or quote among the ballots, a zero weight, a repeated candidate,
a lone CR, a byte-order mark, names that are not UTF-8, ...) it returns None,
and :mod:`grassroots.count.formats.blt` reads the file again line by line,
giving the exact error or reading the unusual layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from grassroots.count.formats import MAX_BALLOTS
from grassroots.count.profile import PAD, group_by_keys

_HEADER = re.compile(rb"[ \t]*([0-9]{1,9})[ \t]+([0-9]{1,9})[ \t]*\r?\n")
_WITHDRAWN_LINE = re.compile(rb"[ \t]*(-[0-9]{1,9}(?:[ \t]+-[0-9]{1,9})*)[ \t]*\r?\n")
_MAX_DIGITS = len(str(MAX_BALLOTS))
_SPACE, _TAB, _CR, _LF, _ZERO, _NINE = (ord(c) for c in " \t\r\n09")
_ALLOWED = np.zeros(256, dtype=bool)
_ALLOWED[[_SPACE, _TAB, _CR, _LF, *range(_ZERO, _ZERO + 10)]] = True

Rankings = npt.NDArray[np.int32]
Weights = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Layout:
    """Where the parts of a regular BLT file lie, found without reading the ballots."""

    n_candidates: int
    seats: int
    withdrawn: set[int]
    start: int  # first byte of the ballot block
    end: int  # first byte of the lone "0" line
    names: int  # first byte after it


def layout(raw: bytes) -> Layout | None:
    """The header, withdrawn line(s) and the end-of-ballots line, or None if irregular."""
    header = _HEADER.match(raw)
    if header is None:
        return None
    n_candidates, seats = int(header[1]), int(header[2])
    if n_candidates < 1 or not 1 <= seats <= n_candidates:
        return None
    start = header.end()
    withdrawn: set[int] = set()
    while (line := _WITHDRAWN_LINE.match(raw, start)) is not None:
        for token in line[1].split():
            candidate = int(token[1:])
            if not 1 <= candidate <= n_candidates:
                return None
            withdrawn.add(candidate - 1)
        start = line.end()
    # Only a line that is exactly "0" ends the ballots; one with spaces around
    # it is left to the careful parser.
    at = start - 1  # raw[start - 1] is the header's (or withdrawn line's) "\n"
    while True:
        at = raw.find(b"\n0", at)
        if at < 0:
            return None
        after = at + 2
        if raw.startswith(b"\n", after):
            return Layout(n_candidates, seats, withdrawn, start, end=at + 1, names=after + 1)
        if raw.startswith(b"\r\n", after):
            return Layout(n_candidates, seats, withdrawn, start, end=at + 1, names=after + 2)
        if after == len(raw):
            return Layout(n_candidates, seats, withdrawn, start, end=at + 1, names=after)
        at = after


def ballots(raw: bytes, start: int, end: int, n_candidates: int) -> tuple[Rankings, Weights] | None:
    """The distinct rankings (first-seen order, ``-1`` padded) and their total weights.

    Each line must be ``weight pref ... 0``: a weight from 1 to ``MAX_BALLOTS``,
    candidates 1..n each at most once, and a last token that is exactly ``0``.
    Blank lines are skipped. Returns None for anything else.
    """
    data = np.frombuffer(raw, dtype=np.uint8, count=end - start, offset=start)
    if data.size == 0:
        return np.full((0, 1), PAD, dtype=np.int32), np.zeros(0, dtype=np.int64)
    if int(data.max()) > _NINE:  # letters, "=", "-", "#", quotes, non-ASCII...
        return None

    # Tokens are runs of digits; the block ends with a line end, so runs close.
    # Values are uint8 when no token has more than two digits; positions stay
    # int64, numpy's own index type, which it would otherwise convert to at
    # every gather. Arrays are dropped as soon as they are used: peak memory
    # matters as much as time here.
    first = None
    simple = _tokens_simple(data)
    if simple is not None:
        stop, closes = simple
        n_digits = data.size - stop.size  # every byte that is not a separator
    else:
        general = _tokens(data)
        if general is None:
            return None
        first, stop, n_digits = general
        closes = None
    values = _token_values(raw, start, stop, n_digits)
    if values is None:
        return None
    value, one_digit = values
    del stop
    n_tokens = value.size

    # A token "0" closes a line: weights and preferences are never 0.
    if closes is None:
        closes = np.flatnonzero(value == 0)
    elif np.count_nonzero(value == 0) != closes.size or (value[closes] != 0).any():
        return None  # a line not ending in 0, or a 0 inside a line
    if closes.size == 0 or closes[-1] != n_tokens - 1 or not one_digit[closes].all():
        return None  # no lines, text after the last line's end, or a closing "00"
    del one_digit
    opens = np.empty_like(closes)
    opens[0] = 0
    opens[1:] = closes[:-1] + 1
    n_prefs = closes - opens - 1
    if (n_prefs < 0).any():  # a lone "0": an early end line
        return None
    if first is not None:
        # Every line holds exactly one ballot: the tokens that follow a line end
        # are exactly the weights (the block itself starts on a new line).
        after_line_end = np.searchsorted(first, np.flatnonzero(data == _LF))  # sorted
        after_line_end = np.concatenate(([0], after_line_end[after_line_end < n_tokens]))
        distinct = np.concatenate(([True], after_line_end[1:] != after_line_end[:-1]))
        if not np.array_equal(after_line_end[distinct], opens):
            return None
        del after_line_end, distinct, first
    weights = value[opens].astype(np.int64)
    if int(weights.sum()) > MAX_BALLOTS:
        return None
    is_pref = np.ones(n_tokens, dtype=bool)
    is_pref[opens] = False
    is_pref[closes] = False
    candidate = value[is_pref]
    del is_pref, value
    if candidate.size and int(candidate.max()) > n_candidates:
        return None
    if int(n_prefs.max()) > np.iinfo(np.int16).max:
        return None
    return _merge(candidate=candidate, n_prefs=n_prefs, weights=weights, n_candidates=n_candidates)


def _tokens_simple(
    data: npt.NDArray[np.uint8],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
    """Where each token ends, and which tokens close a line; or None.

    For a block written the usual way: one space between tokens, a bare line
    feed after each line, no blank lines. Then the separators alone give
    every token's end, and the line feeds among them give the tokens that
    close a line, in a few passes instead of the general tokeniser's many.
    The caller has checked that no byte lies above "9".
    """
    is_separator = data < _ZERO  # space and line feed (tab and CR: not usual)
    if is_separator[0] or not is_separator[-1]:
        return None
    if (is_separator[1:] & is_separator[:-1]).any():  # an empty token
        return None
    stop = np.flatnonzero(is_separator)
    del is_separator
    kind = data[stop]
    is_line_end = kind == _LF
    if np.count_nonzero(is_line_end) + np.count_nonzero(kind == _SPACE) != kind.size:
        return None
    return stop, np.flatnonzero(is_line_end)


def _tokens(
    data: npt.NDArray[np.uint8],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], int] | None:
    """Token starts and ends for any spacing (runs of digits), and how many digits in all."""
    if not _ALLOWED[data].all():
        return None
    carriage = np.flatnonzero(data == _CR)
    if carriage.size and (carriage[-1] + 1 >= data.size or (data[carriage + 1] != _LF).any()):
        return None
    is_digit = (data - np.uint8(_ZERO)) < 10  # uint8 wraps below "0"
    if not is_digit.any():
        return None
    first = _positions(is_digit[1:] > is_digit[:-1], leading=bool(is_digit[0]))
    stop = _positions(is_digit[:-1] > is_digit[1:], leading=False)
    return first, stop, int(np.count_nonzero(is_digit))


def _token_values(
    raw: bytes, start: int, stop: npt.NDArray[np.int64], n_digits: int
) -> tuple[npt.NDArray[np.uint8] | npt.NDArray[np.int32], npt.NDArray[np.bool_]] | None:
    """The number each token spells, and whether it is one digit long; None if too long.

    ``stop`` holds the block positions just past each token, ``n_digits`` the
    digits in the whole block. Digits are read back from each token's end
    through views of the file shifted by one and two bytes, so no index
    arrays are made. Before the block lies at least the header's line feed
    (``start >= 2``), and every token ends at 1 or later, so the bytes read
    before a one-digit token are never digits of another token.
    """
    n_tokens = stop.size
    size = len(raw) - start
    ones = np.frombuffer(raw, dtype=np.uint8, count=size + 1, offset=start - 1)[stop]
    ones -= np.uint8(_ZERO)
    tens = np.frombuffer(raw, dtype=np.uint8, count=size + 2, offset=start - 2)[stop]
    tens -= np.uint8(_ZERO)  # a separator before the last digit wraps to above 9
    one_digit = tens > 9
    np.multiply(tens, ~one_digit, out=tens)  # much faster than a masked assignment
    n_two_digits = n_tokens - int(np.count_nonzero(one_digit))
    if n_digits == n_tokens + n_two_digits:  # no token is longer than two digits
        tens *= np.uint8(10)
        tens += ones
        return tens, one_digit
    # Some token has three digits or more (a weight of 100 or more, or
    # candidate 100 or later): follow those back a digit at a time.
    data = np.frombuffer(raw, dtype=np.uint8, count=size, offset=start)
    value = tens.astype(np.int32) * 10 + ones
    longer = np.flatnonzero(~one_digit)
    for k in range(2, _MAX_DIGITS + 1):
        at = stop[longer] - 1 - k
        digit = np.where(at >= 0, data[np.maximum(at, 0)], 0) - np.int32(_ZERO)
        more = (digit >= 0) & (digit <= 9)
        longer = longer[more]
        if longer.size == 0:
            return value, one_digit
        if k == _MAX_DIGITS:
            return None  # a token of more than _MAX_DIGITS digits
        value[longer] += digit[more] * 10**k
    raise AssertionError("unreachable: the loop returns at k == _MAX_DIGITS")


def _positions(edges: npt.NDArray[np.bool_], *, leading: bool) -> npt.NDArray[np.int64]:
    """Byte positions where tokens start (or stop)."""
    found = np.flatnonzero(edges) + 1
    return np.concatenate((np.zeros(1, dtype=np.int64), found)) if leading else found


def _merge(
    *,
    candidate: npt.NDArray[np.uint8] | npt.NDArray[np.int32],
    n_prefs: npt.NDArray[np.int64],
    weights: Weights,
    n_candidates: int,
) -> tuple[Rankings, Weights] | None:
    """Pack each line's preferences into words, merge equal lines, unpack the distinct ones."""
    bits = max(n_candidates.bit_length(), 1)  # candidates 1..n, 0 marks no preference
    per_word = max(63 // bits, 1)
    width = max(int(n_prefs.max()), 1)
    n_words = (width + per_word - 1) // per_word
    line_start = np.cumsum(n_prefs) - n_prefs  # index of each line's first preference
    # Position of each preference within its line (0, 1, 2, ...): ones, with a
    # step back at each line's first preference, summed.
    place = np.ones(candidate.size, dtype=np.int16)
    ranked = n_prefs > 0
    starts_at, counts = line_start[ranked], n_prefs[ranked]
    if counts.size:
        place[starts_at[1:]] = (1 - counts[:-1]).astype(np.int16)
        place[0] = 0
    np.cumsum(place, out=place)
    # Each preference's shift within its word, from a small table: narrow
    # shift counts are many times faster for numpy than 64-bit ones.
    shift_of = np.array([(k % per_word) * bits for k in range(width)], dtype=np.int8)
    running = np.empty(candidate.size + 1, dtype=np.int64)
    running[0] = 0
    np.left_shift(candidate, shift_of[place], out=running[1:], dtype=np.int64)
    del place, candidate
    # Sums over a line's part of one word are differences of a running sum. It
    # may wrap around 2**64, but each difference is exact: no two preferences
    # of a line share a bit.
    np.cumsum(running[1:], out=running[1:])
    keys = np.empty((n_words, n_prefs.size), dtype=np.int64)
    # One word's end is the next word's start, so each boundary is read once.
    below = running[line_start]
    with np.errstate(over="ignore"):
        for word in range(n_words):
            above = running[line_start + np.minimum(n_prefs, (word + 1) * per_word)]
            np.subtract(above, below, out=keys[word])
            below = above
    del running, below, above
    # Merge equal keys, keeping the first-seen order of distinct rankings.
    firsts, totals = group_by_keys(keys, weights)
    distinct = keys[:, firsts]
    del keys
    rows = _unpack(distinct, bits=bits, per_word=per_word, width=width, n_candidates=n_candidates)
    return None if rows is None else (rows, totals)


_UNPACK_ROWS = 4096  # rows unpacked at a time: small enough to stay in cache


def _unpack(
    distinct: npt.NDArray[np.int64], *, bits: int, per_word: int, width: int, n_candidates: int
) -> Rankings | None:
    """Rows of 0-based candidates (``-1`` padded) from packed words; None if one repeats.

    Works through the rows a block at a time, so each block's cells are
    shifted, checked and written while they are in cache. Within a block the
    cells are laid out slot by slot (one short vector per ranking place), so
    the repeat check is a few whole-vector operations rather than one small
    reduction per row.
    """
    n_rows = distinct.shape[1]
    rows = np.empty((n_rows, width), dtype=np.int32)
    shifts = (np.arange(per_word, dtype=np.int64) * bits)[None, :, None]
    mask = np.int64((1 << bits) - 1)
    one = np.int64(1)
    for lo in range(0, n_rows, _UNPACK_ROWS):
        block = distinct[:, lo : lo + _UNPACK_ROWS]  # (words, rows)
        cells = ((block[:, None, :] >> shifts) & mask).reshape(-1, block.shape[1])[:width]
        if n_candidates <= 62:
            # One bit per candidate; bit 0 collects the empty cells and is dropped.
            marks = np.bitwise_or.reduce(one << cells, axis=0) >> one
            if (np.bitwise_count(marks) != np.count_nonzero(cells, axis=0)).any():
                return None
        elif _names_someone_twice(cells.T.astype(np.int32) - 1):
            return None
        np.subtract(cells.T, one, out=rows[lo : lo + _UNPACK_ROWS], casting="unsafe")
    return rows


def _names_someone_twice(rows: Rankings) -> bool:
    """Whether any ranking lists a candidate twice (for more than 62 candidates)."""
    ordered = np.sort(rows, axis=1)
    return bool(((ordered[:, 1:] == ordered[:, :-1]) & (ordered[:, 1:] != PAD)).any())
