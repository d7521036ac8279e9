"""The exact wording of each consent. A consent row stores the wording shown when it was given,
so change the text here freely: old consents keep theirs."""

from __future__ import annotations

from grassroots.web.people.models import ConsentKind

WORDING: dict[str, str] = {
    ConsentKind.CONTACT: (
        "The alliance may email me about its appeal, meetings and elections. "
        "I can withdraw this at any time."
    ),
    ConsentKind.VISIBLE_IN_CLP: (
        "Other supporters in my CLP who have also agreed may see my name and send me messages "
        "through this site. My email address is never shown to them."
    ),
}
