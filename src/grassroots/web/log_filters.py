"""Logging filters: no live voting credential is ever written to a log.

A voter's emailed link carries their token in its path (``/ballots/<slug>/vote/<token>/``).
Django names the path in its warnings ("Not Found: …", "Forbidden (CSRF …): …") and the
development server in its request lines; this filter replaces the token with ``[token]``
before any handler sees the record. ``settings.LOGGING`` puts it on those loggers and on the
console handler. The reverse proxy's access log is the operator's to configure
(docs/operations.md).
"""

from __future__ import annotations

import logging
import re
from typing import Any

VOTE_LINK_PATH = re.compile(r"(/ballots/[^/\s\"'?#]+/vote/)[^/\s\"'?#]+")
REDACTED = r"\1[token]"


def redact_vote_tokens(text: str) -> str:
    """``text`` with the token of every voting link path replaced by ``[token]``."""
    return VOTE_LINK_PATH.sub(REDACTED, text)


def _redacted(value: Any) -> Any:
    return redact_vote_tokens(value) if isinstance(value, str) else value


class VoteTokenFilter(logging.Filter):
    """Redacts voting tokens from a record's message and arguments; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redacted(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(_redacted(value) for value in record.args)
        return True
