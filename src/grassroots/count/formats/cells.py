"""CSV cells safe to open in a spreadsheet, and read back unchanged.

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab
or carriage return) as a formula, so a candidate named ``=HYPERLINK("http://…","Click")`` would
become a live link in the returning officer's spreadsheet. As OWASP's "CSV Injection" page
advises, every CSV we write puts a ``'`` before such a cell; a spreadsheet then shows it as
text. A cell that is a plain number (``-1``, ``+2.5``) is left alone: it cannot be a formula.

Our own readers of these files take the ``'`` off again (:func:`cell_restore`), so a file we
wrote reads back to the same names. So that this round trip holds for every name, a cell
that already starts with ``'`` gets a second one.

>>> cell_neutralise('=HYPERLINK("http://x")')
'\\'=HYPERLINK("http://x")'
>>> cell_restore(cell_neutralise("-Anna"))
'-Anna'
>>> cell_neutralise("-1.5")
'-1.5'
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


def cell_neutralise(value: object) -> str:
    """The text of a CSV cell, with ``'`` put before anything a spreadsheet would run."""
    text = "" if value is None else str(value)
    if text.startswith((*FORMULA_STARTS, "'")) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def cell_restore(text: str) -> str:
    """Undo :func:`cell_neutralise`: take off the ``'`` it put before a formula-like cell."""
    if text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "'")):
        return text[1:]
    return text


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """CSV text of ``rows``, every cell neutralised. Lines end in ``\\r\\n`` (RFC 4180): with
    that line ending Python's writer quotes a cell holding either character, so a name with a
    carriage return in it cannot start a row of its own."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell_neutralise(cell) for cell in row])
    return out.getvalue()
