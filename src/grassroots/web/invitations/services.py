"""Invitation links and the anonymous count of sign-ups through them.

The token names the inviter so that a link stops working once its supporter has gone (erased,
or deactivated); it is read when the link is opened and forgotten at once.
"""

from __future__ import annotations

from django.core import signing
from django.db.models import F
from django.urls import reverse

from grassroots.web.invitations.models import InvitedJoinCount
from grassroots.web.people.models import Supporter, User

SALT = "grassroots.invitations"


def invitation_token(*, user: User) -> str:
    return signing.dumps({"i": user.pk}, salt=SALT, compress=True)


def invitation_url(*, user: User, site_url: str) -> str:
    path = reverse("invitations:join", args=[invitation_token(user=user)])
    return site_url.rstrip("/") + path


def invitation_valid(*, token: str) -> bool:
    """Whether the link is genuine and its supporter still active and confirmed."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return False
    inviter = data.get("i") if isinstance(data, dict) else None
    return (
        isinstance(inviter, int)
        and Supporter.objects.filter(
            pk=inviter, user__is_active=True, email_verified_at__isnull=False
        ).exists()
    )


def invited_join_count(supporter: Supporter) -> None:
    """Count one more sign-up through an invitation in the new supporter's CLP (inside the
    sign-up's transaction); keeps nothing about the person."""
    counted = InvitedJoinCount.objects.filter(constituency_id=supporter.constituency_id).update(
        joined=F("joined") + 1
    )
    if not counted:
        InvitedJoinCount.objects.create(constituency_id=supporter.constituency_id, joined=1)
