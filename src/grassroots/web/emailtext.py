"""Text the site puts into an email's headers."""

from __future__ import annotations


def subject_line(text: str) -> str:
    """``text`` on one line, its runs of spaces and line breaks made single spaces.

    A subject holds what people typed (a ballot's question, a supporter's name), and a header
    may hold no line break: Django refuses to send such an email, so nobody would get it.
    """
    return " ".join(text.split())
