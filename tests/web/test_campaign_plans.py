"""Vote plans: groups by region or by birth month, orders, publication to supporters (each
sees only their own group's order) and the emails, which need the contact consent."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from grassroots.web.campaign import mailing, services
from grassroots.web.campaign.models import PlanGroup, PlanRule, VotePlan
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections import services as election_services
from grassroots.web.errors import DomainError
from grassroots.web.mail.models import Email
from grassroots.web.people.models import Supporter
from tests.web.campaign_factories import Campaign, campaign_create
from tests.web.factories import CONTACT, VISIBLE, supporter_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign() -> Campaign:
    found = campaign_create()
    dee = election_services.candidate_create(
        actor=None, section=found.section, name="Dee Dale", gender="F"
    )
    election_services.slate_membership_add(actor=None, slate=found.slate, candidate=dee)
    return found


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _supporters() -> dict[str, Supporter]:
    leeds = Constituency.objects.get(name="Leeds East")
    cardiff = Constituency.objects.get(name="Cardiff East")
    return {
        "leeds": supporter_create(clp=leeds),
        "leeds2": supporter_create(clp=leeds),
        "leeds3": supporter_create(clp=leeds),
        "cardiff": supporter_create(clp=cardiff),
        "silent": supporter_create(clp=cardiff, consents=(VISIBLE,)),  # no contact consent
        "unverified": supporter_create(clp=cardiff, verified=False, consents=(CONTACT,)),
    }


def _how_to_vote(page: str) -> str:
    """The page's how-to-vote section, its whitespace between tags removed."""
    section = page.split('<section class="how-to-vote"')[1].split("</section>", maxsplit=1)[0]
    return re.sub(r">\s+<", "><", section)


def _orders(plan: VotePlan) -> dict[str, list[str]]:
    return {g.name: list(g.order) for g in plan.groups.all()}


def test_a_plan_by_region_has_a_group_per_region_with_supporters_shares(
    campaign: Campaign,
) -> None:
    _supporters()

    plan = services.plan_create(
        actor=campaign.organiser, slate=campaign.slate, section=campaign.section, rule="region"
    )

    groups = [(g.name, g.region, round(g.share, 4)) for g in plan.groups.all()]
    assert groups == [
        ("Wales", "Wales", 0.4),
        ("Yorkshire and The Humber", "Yorkshire and The Humber", 0.6),
    ]
    assert _orders(plan) == {
        "Wales": ["Ann Ash", "Bea Birch", "Dee Dale"],
        "Yorkshire and The Humber": ["Bea Birch", "Dee Dale", "Ann Ash"],
    }


def test_a_plan_by_birth_month_has_groups_of_months(campaign: Campaign) -> None:
    plan = services.plan_create(
        actor=campaign.organiser,
        slate=campaign.slate,
        section=campaign.section,
        rule=PlanRule.BIRTH_MONTH,
        group_count=4,
    )

    groups = [(g.name, g.share) for g in plan.groups.all()]
    assert groups == [
        ("Born in January to March", 0.25),
        ("Born in April to June", 0.25),
        ("Born in July to September", 0.25),
        ("Born in October to December", 0.25),
    ]


def test_a_plan_by_region_needs_supporters(campaign: Campaign) -> None:
    with pytest.raises(DomainError, match="no confirmed supporters"):
        services.plan_create(
            actor=campaign.organiser, slate=campaign.slate, section=campaign.section, rule="region"
        )


def test_an_order_must_hold_each_candidate_once(campaign: Campaign) -> None:
    _supporters()
    plan = services.plan_create(
        actor=campaign.organiser, slate=campaign.slate, section=campaign.section, rule="region"
    )
    group = plan.groups.first()
    assert group is not None

    with pytest.raises(DomainError, match="exactly once"):
        services.plan_orders_set(
            actor=campaign.organiser,
            plan=plan,
            orders={group.pk: ["Ann Ash", "Ann Ash", "Dee Dale"]},
        )


def _published(campaign: Campaign, django_capture_on_commit_callbacks: Any) -> VotePlan:
    plan = services.plan_create(
        actor=campaign.organiser, slate=campaign.slate, section=campaign.section, rule="region"
    )
    wales, yorkshire = plan.groups.all()
    services.plan_orders_set(
        actor=campaign.organiser,
        plan=plan,
        orders={
            wales.pk: ["Dee Dale", "Ann Ash", "Bea Birch"],
            yorkshire.pk: ["Bea Birch", "Ann Ash", "Dee Dale"],
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(campaign.organiser).post(f"/organise/campaign/plans/{plan.pk}/publish/")
    assert response.status_code == 302
    plan.refresh_from_db()
    return plan


def test_a_supporter_sees_their_regions_order_and_never_anothers(
    campaign: Campaign, django_capture_on_commit_callbacks: Any
) -> None:
    people = _supporters()
    _published(campaign, django_capture_on_commit_callbacks)

    leeds = _how_to_vote(_client(people["leeds"].user).get("/").content.decode())
    cardiff = _how_to_vote(_client(people["cardiff"].user).get("/").content.decode())

    assert "Supporters in Yorkshire and The Humber are asked" in leeds
    assert "<li>Bea Birch</li><li>Ann Ash</li><li>Dee Dale</li>" in leeds
    assert "Wales" not in leeds
    assert "Supporters in Wales are asked" in cardiff
    assert "<li>Dee Dale</li><li>Ann Ash</li><li>Bea Birch</li>" in cardiff
    assert "Yorkshire" not in cardiff
    assert "How to vote" not in Client().get("/").content.decode()


def test_publishing_emails_each_consenting_supporter_their_groups_order_only(
    campaign: Campaign, django_capture_on_commit_callbacks: Any
) -> None:
    people = _supporters()
    plan = _published(campaign, django_capture_on_commit_callbacks)

    sent = {m.to[0]: m for m in mail.outbox}

    wanted = {people[k].user.email for k in ("leeds", "leeds2", "leeds3", "cardiff")}
    assert set(sent) == wanted
    keys = set(Email.objects.filter(to=people["leeds"].user.email).values_list("key", flat=True))
    assert keys == {f"plan:{plan.pk}:{people['leeds'].user.pk}"}
    leeds = sent[people["leeds"].user.email]
    assert "1. Bea Birch\n  2. Ann Ash\n  3. Dee Dale" in leeds.body
    assert "Wales" not in leeds.body
    cardiff = sent[people["cardiff"].user.email]
    assert "1. Dee Dale\n  2. Ann Ash\n  3. Bea Birch" in cardiff.body
    assert "Yorkshire" not in cardiff.body
    assert "List-Unsubscribe" in leeds.extra_headers


def test_the_emails_go_in_batches_and_each_once(
    campaign: Campaign, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    _supporters()
    monkeypatch.setattr(mailing, "BATCH", 2)
    plan = _published(campaign, django_capture_on_commit_callbacks)

    again, _ = mailing.plan_emails_batch(plan_id=plan.pk, site_url="http://x/", after_user_id=0)

    assert Email.objects.filter(key__startswith=f"plan:{plan.pk}:").count() == 4
    assert again == 2  # asked for again, but the outbox keeps one email per key
    assert Email.objects.filter(key__startswith=f"plan:{plan.pk}:").count() == 4


def test_a_published_plan_no_longer_changes(
    campaign: Campaign, django_capture_on_commit_callbacks: Any
) -> None:
    _supporters()
    plan = _published(campaign, django_capture_on_commit_callbacks)
    group = plan.groups.first()
    assert group is not None

    with pytest.raises(DomainError, match="published"):
        services.plan_orders_set(
            actor=campaign.organiser,
            plan=plan,
            orders={group.pk: ["Ann Ash", "Bea Birch", "Dee Dale"]},
        )


def test_a_birth_month_plan_shows_every_supporter_the_table(
    campaign: Campaign, django_capture_on_commit_callbacks: Any
) -> None:
    people = _supporters()
    plan = services.plan_create(
        actor=campaign.organiser,
        slate=campaign.slate,
        section=campaign.section,
        rule=PlanRule.BIRTH_MONTH,
        group_count=2,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_publish(actor=campaign.organiser, plan=plan, site_url="http://x/")

    body = _client(people["cardiff"].user).get("/").content.decode()

    assert "Born in January to June" in body
    assert "Born in July to December" in body
    (email,) = [m for m in mail.outbox if m.to == [people["leeds"].user.email]]
    assert "Born in July to December:\n  1. Bea Birch" in email.body
    assert PlanGroup.objects.filter(plan=plan).count() == 2
