"""Invitations: a supporter's own link to share, the sign-up page it opens, and organisers'
counts by CLP."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from grassroots.web.invitations.models import InvitedJoinCount
from grassroots.web.invitations.services import (
    invitation_url,
    invitation_valid,
    invited_join_count,
)
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import ORGANISE_ROLES, user_roles
from grassroots.web.people.views import join_page

NOT_FOUND = "No such page."


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    """The supporter's personal invitation link."""
    user = request.user
    if (
        not isinstance(user, User)
        or not Supporter.objects.filter(user=user, email_verified_at__isnull=False).exists()
    ):
        raise Http404(NOT_FOUND)
    link = invitation_url(user=user, site_url=request.build_absolute_uri("/"))
    return render(request, "invitations/invite.html", {"link": link})


def join(request: HttpRequest, token: str) -> HttpResponse:
    """The sign-up form opened from an invitation. A link that is not genuine, or whose
    supporter has gone, is still a sign-up page, counted as an ordinary one."""
    valid = invitation_valid(token=token)
    return join_page(
        request,
        joined=invited_join_count if valid else None,
        form_action=reverse("invitations:join", args=[token]),
        intro=f"A supporter of {settings.GRASSROOTS_ALLIANCE_NAME} invited you to join."
        if valid
        else "",
    )


@login_required
def counts(request: HttpRequest) -> HttpResponse:
    """Sign-ups through invitations by CLP: numbers only, never who invited whom."""
    if not ORGANISE_ROLES & user_roles(request.user):
        raise Http404(NOT_FOUND)
    rows = list(InvitedJoinCount.objects.select_related("constituency").order_by("-joined"))
    total = InvitedJoinCount.objects.aggregate(total=Sum("joined"))["total"] or 0
    return render(request, "invitations/counts.html", {"rows": rows, "total": total})
