"""The nominations drive: target CLPs, the tracker's counts, supporters' meeting dates,
volunteers and outcome reports, the organiser's confirmation and to-do list."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from grassroots.web.audit.models import AuditEntry
from grassroots.web.campaign import selectors, services
from grassroots.web.campaign.models import Meeting, OutcomeReport, ReportStatus, Target, Volunteer
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections import selectors as election_selectors
from grassroots.web.elections import services as election_services
from grassroots.web.elections.models import Nomination
from grassroots.web.errors import DomainError
from grassroots.web.people.models import Supporter
from tests.web.campaign_factories import Campaign, campaign_create, days
from tests.web.factories import supporter_create

pytestmark = pytest.mark.django_db

LEEDS = "Leeds Central and Headingley"


@pytest.fixture
def campaign() -> Campaign:
    return campaign_create()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _row(campaign: Campaign, name: str) -> selectors.ClpStatus:
    rows = selectors.target_status_list(drive=campaign.drive)
    return next(r for r in rows if r.clp.name == name)


def test_targets_by_region_are_every_clp_of_those_regions(campaign: Campaign) -> None:
    client = _client(campaign.organiser)

    response = client.post(
        f"/organise/campaign/drives/{campaign.drive.pk}/targets/",
        {"mode": "regions", "regions": ["Wales"]},
    )

    assert response.status_code == 302
    wales = set(Constituency.objects.filter(region="Wales").values_list("pk", flat=True))
    assert set(Target.objects.filter(drive=campaign.drive).values_list("clp_id", flat=True)) == (
        wales
    )
    entry = AuditEntry.objects.filter(action="campaign.targets_set").first()
    assert entry is not None
    assert entry.actor_id == campaign.organiser.pk


def test_targets_picked_name_the_line_of_an_unknown_clp(campaign: Campaign) -> None:
    client = _client(campaign.organiser)

    response = client.post(
        f"/organise/campaign/drives/{campaign.drive.pk}/targets/",
        {"mode": "picked", "clps": "Leeds East\nAtlantis\nW07000089"},
    )

    assert response.status_code == 400
    assert "line 2: “Atlantis” is not a CLP" in response.content.decode()
    assert Target.objects.filter(drive=campaign.drive).count() == 4  # unchanged


def test_targets_picked_by_name_or_gss_code(campaign: Campaign) -> None:
    client = _client(campaign.organiser)

    client.post(
        f"/organise/campaign/drives/{campaign.drive.pk}/targets/",
        {"mode": "picked", "clps": "leeds east\n\nW07000089\n"},
    )

    names = set(Target.objects.filter(drive=campaign.drive).values_list("clp__name", flat=True))
    assert names == {"Leeds East", "Cardiff East"}


def test_tracker_counts_nominations_meetings_supporters_and_volunteers(
    campaign: Campaign,
) -> None:
    clps = campaign.clps
    section, people = campaign.section, campaign.candidates
    election_services.nomination_record(
        actor=None,
        section=section,
        candidate=people["Ann Ash"],
        clp=clps[LEEDS],
        nominated_on=days(-5),
    )
    election_services.nomination_record(
        actor=None,
        section=section,
        candidate=people["Cal Cedar"],
        clp=clps["Cardiff East"],
        nominated_on=days(-5),
    )
    supporter_create(clp=clps["Leeds East"])
    helper = supporter_create(clp=clps["Leeds East"])
    supporter_create(clp=clps["Leeds East"], verified=False)  # not counted
    services.meeting_record(
        actor=helper.user, supporter=helper, drive=campaign.drive, meets_on=days(4), source="x"
    )
    services.volunteer_add(actor=helper.user, supporter=helper, drive=campaign.drive)

    rows = selectors.target_status_list(drive=campaign.drive)
    summary = selectors.region_summary(rows=rows, today=days(0))

    leeds_east = _row(campaign, "Leeds East")
    assert (leeds_east.supporters, leeds_east.volunteer, leeds_east.meets_on) == (2, True, days(4))
    assert (_row(campaign, LEEDS).for_us, _row(campaign, LEEDS).nominated) == (True, ["Ann Ash"])
    assert _row(campaign, "Cardiff East").for_others is True
    assert [
        (r.region, r.targets, r.for_us, r.for_others, r.meetings_to_come, r.volunteers)
        for r in summary
    ] == [
        ("Wales", 2, 0, 1, 0, 0),
        ("Yorkshire and The Humber", 2, 1, 0, 1, 1),
    ]


def test_the_tracker_page_shows_the_region_table_and_targets(campaign: Campaign) -> None:
    response = _client(campaign.organiser).get(f"/organise/campaign/drives/{campaign.drive.pk}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Cardiff West" in body
    assert "Yorkshire and The Humber" in body


def test_a_supporter_records_the_meeting_date_shown_at_once_source_kept_in_the_audit(
    campaign: Campaign,
) -> None:
    supporter = supporter_create(clp=campaign.clps[LEEDS])
    client = _client(supporter.user)

    response = client.post(
        f"/campaign/{campaign.drive.pk}/meeting/",
        {"meets_on": days(12).isoformat(), "source": "https://example.org/leeds-agenda"},
    )

    assert response.status_code == 302
    assert _row(campaign, LEEDS).meets_on == days(12)
    entry = AuditEntry.objects.get(action="campaign.meeting_record")
    assert entry.actor_id == supporter.user.pk
    assert "https://example.org/leeds-agenda" in entry.summary
    neighbour = supporter_create(clp=campaign.clps[LEEDS])
    page = _client(neighbour.user).get("/").content.decode()
    assert days(12).strftime("%-d %B %Y") in page
    assert "leeds-agenda" not in page


def test_a_meeting_date_outside_the_nomination_window_is_refused(campaign: Campaign) -> None:
    supporter = supporter_create(clp=campaign.clps[LEEDS])

    response = _client(supporter.user).post(
        f"/campaign/{campaign.drive.pk}/meeting/",
        {"meets_on": days(200).isoformat(), "source": "the secretary"},
    )

    assert response.status_code == 400
    assert "cannot be a nomination meeting" in response.content.decode()
    assert not Meeting.objects.exists()


def test_an_outcome_is_pending_until_an_organiser_confirms_it(campaign: Campaign) -> None:
    reporter = supporter_create(clp=campaign.clps[LEEDS])
    ann, cal = campaign.candidates["Ann Ash"], campaign.candidates["Cal Cedar"]

    response = _client(reporter.user).post(
        f"/campaign/{campaign.drive.pk}/outcome/",
        {
            "met_on": days(-1).isoformat(),
            "candidates": [ann.pk, cal.pk],
            f"votes_{ann.pk}": "31",
            "source": "the CLP's minutes",
        },
    )

    assert response.status_code == 302
    report = OutcomeReport.objects.get()
    assert report.status == ReportStatus.PENDING
    assert not Nomination.objects.exists()
    assert _row(campaign, LEEDS).has_nominated is False
    assert _row(campaign, LEEDS).pending_reports == 1
    reported = AuditEntry.objects.get(action="campaign.outcome_report")
    assert reported.actor_id == reporter.user.pk
    assert "the CLP's minutes" in reported.summary

    confirm = _client(campaign.organiser).post(
        f"/organise/campaign/drives/{campaign.drive.pk}/reports/{report.pk}/confirm/"
    )

    assert confirm.status_code == 302
    nominated = Nomination.objects.filter(clp=campaign.clps[LEEDS], section=campaign.section)
    assert sorted(nominated.values_list("candidate__name", flat=True)) == ["Ann Ash", "Cal Cedar"]
    assert set(nominated.values_list("nominated_on", flat=True)) == {days(-1)}
    assert _row(campaign, LEEDS).for_us is True
    report.refresh_from_db()
    assert report.status == ReportStatus.CONFIRMED
    confirmed = AuditEntry.objects.get(action="campaign.outcome_confirm")
    assert confirmed.actor_id == campaign.organiser.pk
    assert f"campaign.outcome_report {report.pk}" in confirmed.summary
    assert "the CLP's minutes" in confirmed.summary
    assert AuditEntry.objects.filter(action="nomination.record").count() == 2
    tracker = election_selectors.tracker_get(section=campaign.section)
    assert (tracker.clps_nominating, tracker.nominations) == (1, 2)


def test_confirming_twice_is_refused_and_records_nothing_more(campaign: Campaign) -> None:
    reporter = supporter_create(clp=campaign.clps[LEEDS])
    report = services.outcome_report(
        actor=reporter.user,
        supporter=reporter,
        drive=campaign.drive,
        met_on=days(-1),
        source="minutes",
        nominees={campaign.candidates["Ann Ash"]: None},
    )
    services.outcome_confirm(actor=campaign.organiser, report=report)

    with pytest.raises(DomainError, match="already been decided"):
        services.outcome_confirm(actor=campaign.organiser, report=report)

    assert Nomination.objects.count() == 1


def test_a_report_set_aside_never_counts(campaign: Campaign) -> None:
    reporter = supporter_create(clp=campaign.clps[LEEDS])
    report = services.outcome_report(
        actor=reporter.user,
        supporter=reporter,
        drive=campaign.drive,
        met_on=days(-1),
        source="hearsay",
        nominees={campaign.candidates["Cal Cedar"]: 12},
    )

    _client(campaign.organiser).post(
        f"/organise/campaign/drives/{campaign.drive.pk}/reports/{report.pk}/reject/"
    )

    report.refresh_from_db()
    assert report.status == ReportStatus.REJECTED
    assert not Nomination.objects.exists()
    assert selectors.report_list_pending(drive=campaign.drive) == []


def test_an_outcome_of_a_meeting_still_to_come_is_refused(campaign: Campaign) -> None:
    reporter = supporter_create(clp=campaign.clps[LEEDS])

    with pytest.raises(DomainError, match="not happened yet"):
        services.outcome_report(
            actor=reporter.user,
            supporter=reporter,
            drive=campaign.drive,
            met_on=days(3),
            source="minutes",
            nominees={campaign.candidates["Ann Ash"]: None},
        )


def _meeting(campaign: Campaign, clp: str, when: int) -> Supporter:
    supporter = supporter_create(clp=campaign.clps[clp])
    services.meeting_record(
        actor=supporter.user,
        supporter=supporter,
        drive=campaign.drive,
        meets_on=days(when),
        source="agenda",
    )
    return supporter


def test_the_to_do_list_orders_by_date_and_changes_with_volunteers_and_time(
    campaign: Campaign,
) -> None:
    _meeting(campaign, LEEDS, 10)
    cardiff = _meeting(campaign, "Cardiff East", 3)
    _meeting(campaign, "Leeds East", -2)  # passed already
    # Cardiff West has a meeting but no supporters: nobody there to ask.
    Meeting.objects.create(
        drive=campaign.drive, clp=campaign.clps["Cardiff West"], meets_on=days(5), source="x"
    )

    def todo(today: int) -> list[str]:
        rows = selectors.target_status_list(drive=campaign.drive)
        return [r.clp.name for r in selectors.todo_list(rows=rows, today=days(today))]

    assert todo(0) == ["Cardiff East", LEEDS]

    services.volunteer_add(actor=cardiff.user, supporter=cardiff, drive=campaign.drive)

    assert todo(0) == [LEEDS]
    assert todo(11) == []  # Leeds's meeting has passed


def test_the_to_do_list_page_changes_when_a_volunteer_signs_up(campaign: Campaign) -> None:
    supporter = _meeting(campaign, "Cardiff East", 3)
    organiser = _client(campaign.organiser)
    url = f"/organise/campaign/drives/{campaign.drive.pk}/"
    assert "Cardiff East</li>" not in organiser.get(url).content.decode()  # sanity of the check
    before = organiser.get(url).content.decode()
    assert "Cardiff East (Wales)" in before

    _client(supporter.user).post(f"/campaign/{campaign.drive.pk}/volunteer/")

    assert Volunteer.objects.filter(user=supporter.user).exists()
    assert "Cardiff East (Wales)" not in organiser.get(url).content.decode()


def test_a_volunteer_may_withdraw(campaign: Campaign) -> None:
    supporter = supporter_create(clp=campaign.clps[LEEDS])
    client = _client(supporter.user)
    client.post(f"/campaign/{campaign.drive.pk}/volunteer/")

    client.post(f"/campaign/{campaign.drive.pk}/volunteer/", {"withdraw": "1"})

    assert not Volunteer.objects.exists()
    assert AuditEntry.objects.filter(action="campaign.volunteer_withdraw").count() == 1


@pytest.mark.parametrize("path", ["meeting/", "outcome/"])
def test_a_supporter_outside_the_targets_or_unverified_is_refused(
    campaign: Campaign, path: str
) -> None:
    outsider = supporter_create(clp=Constituency.objects.get(name="Bristol Central"))
    unverified = supporter_create(clp=campaign.clps[LEEDS], verified=False)

    for supporter in (outsider, unverified):
        client = _client(supporter.user)
        assert client.get(f"/campaign/{campaign.drive.pk}/{path}").status_code == 404
        assert client.post(f"/campaign/{campaign.drive.pk}/volunteer/").status_code == 404
    assert not Volunteer.objects.exists()


def test_the_dashboard_shows_a_supporter_their_own_clp_only(campaign: Campaign) -> None:
    election_services.nomination_record(
        actor=None,
        section=campaign.section,
        candidate=campaign.candidates["Cal Cedar"],
        clp=campaign.clps["Cardiff East"],
        nominated_on=days(-3),
    )
    supporter = supporter_create(clp=campaign.clps[LEEDS])
    supporter_create(clp=campaign.clps[LEEDS])

    body = _client(supporter.user).get("/").content.decode()

    assert "Your CLP, Leeds Central and Headingley: nominations for Our Slate" in body
    assert "Not nominated yet." in body
    assert "2 supporters of the alliance here." in body
    assert "Cardiff East" not in body
    assert "Your CLP" not in Client().get("/").content.decode()


def test_the_tracker_runs_a_fixed_number_of_queries(
    campaign: Campaign, django_assert_max_num_queries: Any
) -> None:
    for name in campaign.clps:
        supporter_create(clp=campaign.clps[name])
    with django_assert_max_num_queries(8):
        rows = selectors.target_status_list(drive=campaign.drive)
    assert len(rows) == 4


def test_the_demo_has_a_drive_with_a_to_do_list_and_a_published_plan() -> None:
    from grassroots.web.campaign.models import Drive, VotePlan
    from grassroots.web.demo import demo_create

    lines = demo_create()

    assert any(line.startswith("campaign: a drive targeting every CLP") for line in lines)
    drive = Drive.objects.get()
    rows = selectors.target_status_list(drive=drive)
    assert len(selectors.todo_list(rows=rows, today=days(0))) == 8  # 12 meetings, 4 volunteers
    assert len(selectors.report_list_pending(drive=drive)) == 1
    assert VotePlan.objects.get().published_at is not None
    assert demo_create()[-1] == "campaign: demo drive already there"


def test_the_data_export_holds_the_offer_and_the_reports_the_supporter_made(
    campaign: Campaign,
) -> None:
    from grassroots.web.people.selectors import person_export

    supporter = supporter_create(clp=campaign.clps[LEEDS])
    other = supporter_create(clp=campaign.clps[LEEDS])
    services.volunteer_add(actor=supporter.user, supporter=supporter, drive=campaign.drive)
    services.outcome_report(
        actor=supporter.user,
        supporter=supporter,
        drive=campaign.drive,
        met_on=days(-1),
        source="the secretary's email",
        nominees={campaign.candidates["Ann Ash"]: 31},
    )

    mine = person_export(person=supporter.user)["campaign"]
    theirs = person_export(person=other.user)["campaign"]

    assert [v["clp"] for v in mine["volunteered"]] == [campaign.clps[LEEDS].name]
    [report] = mine["outcomes_reported"]
    assert report["source"] == "the secretary's email"
    assert report["nominated"] == [{"candidate": "Ann Ash", "votes": 31}]
    assert theirs == {"volunteered": [], "outcomes_reported": []}


def test_erasing_a_supporter_withdraws_their_offer_and_keeps_their_report_unnamed(
    campaign: Campaign,
) -> None:
    from grassroots.web.people.services import person_erase

    supporter = supporter_create(clp=campaign.clps[LEEDS])
    services.volunteer_add(actor=supporter.user, supporter=supporter, drive=campaign.drive)
    report = services.outcome_report(
        actor=supporter.user,
        supporter=supporter,
        drive=campaign.drive,
        met_on=days(-1),
        source="minutes",
        nominees={campaign.candidates["Ann Ash"]: None},
    )

    person_erase(person=supporter.user)

    assert not Volunteer.objects.exists()
    report.refresh_from_db()
    assert report.reported_by is None
    assert report.status == ReportStatus.PENDING
