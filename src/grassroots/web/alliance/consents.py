"""The exact wording of the consent a supporter gives when they say they are a member of an
organisation. Each membership stores the wording shown when it was claimed, so change the text
here freely: old memberships keep theirs."""

from __future__ import annotations

MEMBERSHIP_WORDING = (
    "I am a member of the organisation I chose above. The alliance may record this; that "
    "organisation's representatives on the organising committee and the alliance's organisers "
    "may see my name and this membership, to confirm it; and when the organisation takes part "
    "in a joint ballot of several organisations, I am on its roll. I can withdraw this at any "
    "time, which deletes the record."
)
