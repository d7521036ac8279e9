"""Emailing a published vote plan to supporters, in batches, from the worker.

Each supporter is emailed their own group's order (a plan by region), or the published table
they pick their row from (a plan by birth month), and nothing else. Every email goes through
``people.subscriptions.email_to_supporter`` with the key ``plan:<plan>:<user>``, so only
supporters who agreed to hear from the alliance get one, and a task run twice sends once.
"""

from __future__ import annotations

from grassroots.web.campaign.models import PlanGroup, PlanRule, VotePlan
from grassroots.web.emailtext import subject_line
from grassroots.web.people.models import Supporter, Topic
from grassroots.web.people.subscriptions import email_to_supporter

BATCH = 200  # supporters per task


def order_lines(order: list[str]) -> str:
    return "\n".join(f"  {i}. {name}" for i, name in enumerate(order, start=1))


def plan_email_body(*, plan: VotePlan, group: PlanGroup | None, table: list[PlanGroup]) -> str:
    """The email's text: the supporter's group's order (``group``), or else the table."""
    where = f"{plan.section.election.name}, {plan.section.name}"
    if group is not None:
        return (
            f"How to vote for {plan.slate.name} in {where}.\n\n"
            f"Supporters in {group.name} are asked to rank the slate in this order:\n\n"
            f"{order_lines(group.order)}\n\n"
            "Each region is asked for its own order, so that the slate's first preferences "
            "spread evenly and none of its candidates is excluded early."
        )
    rows = "\n\n".join(f"{g.name}:\n{order_lines(g.order)}" for g in table)
    return (
        f"How to vote for {plan.slate.name} in {where}.\n\n"
        "Find your row by the month you were born in and rank the slate in that order:\n\n"
        f"{rows}\n\n"
        "Different orders for different months spread the slate's first preferences evenly, "
        "so none of its candidates is excluded early."
    )


def plan_emails_batch(*, plan_id: int, site_url: str, after_user_id: int) -> tuple[int, int | None]:
    """Email the next ``BATCH`` verified supporters (by user id, after ``after_user_id``);
    how many were queued, and the last user id looked at (None when none were left)."""
    plan = VotePlan.objects.select_related("slate", "section__election").get(pk=plan_id)
    groups = list(plan.groups.all())
    by_region = {g.region: g for g in groups if g.region}
    supporters = list(
        Supporter.objects.filter(email_verified_at__isnull=False, user_id__gt=after_user_id)
        .select_related("user", "constituency")
        .order_by("user_id")[:BATCH]
    )
    queued = 0
    for supporter in supporters:
        group = by_region.get(supporter.constituency.region)
        if plan.rule == PlanRule.REGION and group is None:
            continue  # their region is in no group: nothing to tell them
        if plan.rule == PlanRule.REGION:
            body = plan_email_body(plan=plan, group=group, table=[])
        else:
            body = plan_email_body(plan=plan, group=None, table=groups)
        queued += email_to_supporter(
            topic=Topic.MAILINGS,
            user=supporter.user,
            subject=subject_line(f"How to vote for {plan.slate.name}"),
            body=body,
            key=f"plan:{plan.pk}:{supporter.user_id}",
            site_url=site_url,
        )
    last = supporters[-1].user_id if len(supporters) == BATCH else None
    return queued, last
