"""Demo discussions: a thread in the supporters' space and one in the space of an
organisation with confirmed members, written by demo supporters. Idempotent."""

from __future__ import annotations

from django.utils import timezone

from grassroots.web.alliance.models import MembershipStatus, Organisation
from grassroots.web.discussions import markup
from grassroots.web.discussions.conduct import CODE_OF_CONDUCT
from grassroots.web.discussions.models import ConductAcceptance, Post, Thread
from grassroots.web.people.models import User

SUPPORTERS_THREAD = "Which strategy for the NEC elections?"
GROUP_THREAD = "Stalls for the summer"


def discussions_demo_create() -> str:
    """Create the demo threads that do not exist yet."""
    if Thread.objects.filter(title=SUPPORTERS_THREAD).exists():
        return "discussions: already there"
    writers = list(
        User.objects.filter(email__endswith="@demo.example.org", supporter__isnull=False)
        .exclude(supporter__email_verified_at__isnull=True)
        .order_by("email")[:3]
    )
    organisation = (
        Organisation.objects.filter(memberships__status=MembershipStatus.CONFIRMED)
        .order_by("pk")
        .first()
    )
    if len(writers) < 2:
        return "discussions: no demo supporters to write"
    ConductAcceptance.objects.bulk_create(
        [ConductAcceptance(person=person, wording=CODE_OF_CONDUCT) for person in writers],
        ignore_conflicts=True,
    )
    now = timezone.now()
    made = 0
    plans: list[tuple[Organisation | None, str, list[tuple[User, str]]]] = [
        (
            None,
            SUPPORTERS_THREAD,
            [
                (writers[0], "Should we stand a **full slate** of nine, or back fewer and win?"),
                (writers[1], "Fewer, stronger candidates: transfers decide the last seats."),
            ],
        )
    ]
    if organisation is not None:
        member = User.objects.filter(
            supporter__organisation_memberships__organisation=organisation,
            supporter__organisation_memberships__status=MembershipStatus.CONFIRMED,
        ).first()
        if member is not None:
            ConductAcceptance.objects.get_or_create(
                person=member, defaults={"wording": CODE_OF_CONDUCT}
            )
            plans.append(
                (organisation, GROUP_THREAD, [(member, "Who can take a Saturday in June?")])
            )
    for organisation_or_none, title, posts in plans:
        thread = Thread.objects.create(
            organisation=organisation_or_none, title=title, author=posts[0][0], last_posted_at=now
        )
        Post.objects.bulk_create(
            Post(thread=thread, author=author, body=body, body_html=markup.render(body))
            for author, body in posts
        )
        made += 1
    return f"discussions: {made} threads"
