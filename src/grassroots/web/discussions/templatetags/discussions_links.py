"""The ballot page's line "Discussed in <thread>", for a ballot proposed from a thread.

The ballots app does not import discussions (it is the lower app); its template loads this
library, which looks the thread up by ballot and shows it only to those who may read the
thread's space, so a closed space's thread title never reaches the public page."""

from __future__ import annotations

from typing import Any

from django import template

from grassroots.web.discussions.selectors import thread_for_ballot
from grassroots.web.discussions.spaces import space_of_thread, space_readable

register = template.Library()


@register.inclusion_tag("discussions/_ballot_thread.html", takes_context=True)
def ballot_discussed_in(context: dict[str, Any], ballot: Any) -> dict[str, Any]:
    thread = thread_for_ballot(ballot_id=ballot.pk)
    request = context.get("request")
    user = getattr(request, "user", None)
    if thread is None or user is None or not space_readable(user, space_of_thread(thread)):
        return {"thread": None}
    return {"thread": thread}
