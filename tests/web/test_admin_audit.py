"""Changes made in /admin/ are audited like the site's own: adding, changing and deleting an
election, a section, a candidate, a slate, a slate's member, a nomination or an alliance
record, one at a time, many at once, or as a row inside another's page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.web.alliance.models import AllianceRules, Organisation, Representative
from grassroots.web.audit.models import AuditEntry
from grassroots.web.elections import services
from grassroots.web.elections.models import Candidate, PartyElection, Slate, SlateMembership
from grassroots.web.people.models import User
from tests.web.election_factories import candidates_create, election_create, section_get
from tests.web.factories import organisation_create, representative_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(db: None) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser(email="root@example.org"))
    return client


def _form_data(response: Any) -> dict[str, Any]:
    """What the browser would post back from an admin change page, unchanged."""
    data: dict[str, Any] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {
                f"{formset.prefix}-{key}": value
                for key, value in formset.management_form.initial.items()
            }
        )
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, datetime.datetime):  # the admin's date and time boxes
                local = timezone.localtime(value)
                data[form.add_prefix(name) + "_0"] = local.date().isoformat()
                data[form.add_prefix(name) + "_1"] = local.time().isoformat()
            elif isinstance(value, list | tuple | set):
                data[form.add_prefix(name)] = [str(v) for v in value]
            else:
                data[form.add_prefix(name)] = value
    return data


def _actions(since: int) -> list[str]:
    return list(
        AuditEntry.objects.filter(pk__gt=since).order_by("pk").values_list("action", flat=True)
    )


def _last() -> int:
    last = AuditEntry.objects.order_by("-pk").first()
    return last.pk if last else 0


def test_deleting_an_election_in_the_admin_is_audited(admin_client: Client) -> None:
    election = election_create("typo")
    since = _last()

    response = admin_client.post(
        f"/admin/elections/partyelection/{election.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert not PartyElection.objects.filter(pk=election.pk).exists()
    assert _actions(since) == ["party_election.admin_delete"]
    entry = AuditEntry.objects.get(action="party_election.admin_delete")
    assert entry.object_id == str(election.pk)
    assert entry.actor_id == User.objects.get(email="root@example.org").pk


def test_deleting_candidates_from_the_list_in_the_admin_audits_each(admin_client: Client) -> None:
    section = section_get(election_create())
    people = candidates_create(section, [("Ann Admin", "F"), ("Bob Admin", "M")])
    since = _last()

    response = admin_client.post(
        "/admin/elections/candidate/",
        {
            "action": "delete_selected",
            "_selected_action": [str(c.pk) for c in people.values()],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not Candidate.objects.filter(section=section).exists()
    assert _actions(since) == ["candidate.admin_delete", "candidate.admin_delete"]
    assert "Ann" not in "".join(AuditEntry.objects.values_list("summary", flat=True))


def test_removing_a_slate_member_inside_the_slate_admin_page_is_audited(
    admin_client: Client,
) -> None:
    election = election_create()
    candidate = candidates_create(section_get(election), [("Cleo", "F")])["Cleo"]
    slate = services.slate_create(actor=None, election=election, name="Left", colour="#aa0000")
    membership = services.slate_membership_add(
        actor=None, slate=slate, candidate=candidate, source="test"
    )
    page = admin_client.get(f"/admin/elections/slate/{slate.pk}/change/")
    data = _form_data(page)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data[f"{prefix}-0-DELETE"] = "on"
    since = _last()

    response = admin_client.post(f"/admin/elections/slate/{slate.pk}/change/", data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert not SlateMembership.objects.filter(pk=membership.pk).exists()
    assert "slate_membership.admin_delete" in _actions(since)
    assert Slate.objects.filter(pk=slate.pk).exists()


def test_changing_a_section_inside_the_election_admin_page_is_audited(
    admin_client: Client,
) -> None:
    election = election_create()
    page = admin_client.get(f"/admin/elections/partyelection/{election.pk}/change/")
    data = _form_data(page)
    formset = page.context["inline_admin_formsets"][0].formset
    index = next(i for i, form in enumerate(formset.forms) if form.instance.slug == "clp")
    data[f"{formset.prefix}-{index}-seats"] = "8"
    since = _last()

    response = admin_client.post(f"/admin/elections/partyelection/{election.pk}/change/", data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert section_get(election).seats == 8
    entries = AuditEntry.objects.filter(pk__gt=since, action="section.admin_change")
    changed = {e.object_id: e.summary for e in entries}
    assert "seats" in changed[str(section_get(election).pk)]


def test_deleting_a_nomination_in_the_admin_is_audited(admin_client: Client) -> None:
    from grassroots.web.constituencies.models import Constituency

    election = election_create()
    section = section_get(election)
    candidate = candidates_create(section, [("Cleo", "F")])["Cleo"]
    nomination = services.nomination_record(
        actor=None,
        section=section,
        candidate=candidate,
        clp=Constituency.objects.with_clp().first(),
        nominated_on=election.nominations_open,
    )
    since = _last()

    response = admin_client.post(
        f"/admin/elections/nomination/{nomination.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert _actions(since) == ["nomination.admin_delete"]


def test_changing_an_organisation_in_the_admin_is_audited(admin_client: Client) -> None:
    organisation = organisation_create(name="Unity Union")
    page = admin_client.get(f"/admin/alliance/organisation/{organisation.pk}/change/")
    data = _form_data(page)
    data["name"] = "Unity Union (renamed)"
    since = _last()

    response = admin_client.post(f"/admin/alliance/organisation/{organisation.pk}/change/", data)

    assert response.status_code == 302, response.context and (
        response.context["adminform"].form.errors,
        [f.errors for i in response.context["inline_admin_formsets"] for f in i.formset.forms],
    )
    assert Organisation.objects.get(pk=organisation.pk).name == "Unity Union (renamed)"
    assert _actions(since) == ["organisation.admin_change"]
    assert "Unity" not in "".join(AuditEntry.objects.values_list("summary", flat=True))


def test_representatives_are_recorded_and_ended_on_the_site_not_in_the_admin(
    admin_client: Client,
) -> None:
    """The site's pages check the seats and the affiliation and grant or take back the
    representative's role; the admin would do none of it, so it only shows them."""
    organisation = organisation_create(name="Unity Union")
    representative = representative_create(organisation=organisation, name="Rita Rep")

    added = admin_client.post(
        "/admin/alliance/representative/add/",
        {"organisation": organisation.pk, "name": "Sly Rep", "started_on": "2026-01-01"},
    )
    deleted = admin_client.post(
        f"/admin/alliance/representative/{representative.pk}/delete/", {"post": "yes"}
    )
    page = admin_client.get(f"/admin/alliance/organisation/{organisation.pk}/change/")

    assert added.status_code == 403
    assert deleted.status_code == 403
    assert list(Representative.objects.values_list("name", flat=True)) == ["Rita Rep"]
    inline = page.context["inline_admin_formsets"][0]
    assert (inline.has_add_permission, inline.has_change_permission) == (False, False)
    assert inline.has_delete_permission is False


def test_changing_the_alliance_rules_in_the_admin_is_audited(admin_client: Client) -> None:
    from grassroots.web.alliance.selectors import alliance_rules_get

    rules = alliance_rules_get()
    page = admin_client.get(f"/admin/alliance/alliancerules/{rules.pk}/change/")
    data = _form_data(page)
    data["national_seats"] = "4"
    since = _last()

    response = admin_client.post(f"/admin/alliance/alliancerules/{rules.pk}/change/", data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert AllianceRules.objects.get(pk=rules.pk).national_seats == 4
    assert _actions(since) == ["rules.admin_change"]


def test_a_role_cannot_be_granted_in_the_admin(admin_client: Client) -> None:
    """Roles are given on the audited roles page only: a groups field smuggled into the
    admin's user form changes nothing."""
    from django.contrib.auth.models import Group

    from grassroots.web.people.roles import Role

    user = User.objects.create_user(email="new.organiser@example.org", name="New Organiser")
    page = admin_client.get(f"/admin/people/user/{user.pk}/change/")
    data = _form_data(page)
    data["groups"] = [str(Group.objects.get(name=Role.ORGANISER.value).pk)]

    admin_client.post(f"/admin/people/user/{user.pk}/change/", data)

    assert not user.groups.exists()


def test_changing_a_supporter_record_in_the_admin_is_audited_and_forgotten_on_erasure(
    admin_client: Client, clp: Any
) -> None:
    from grassroots.web.people.models import Membership
    from grassroots.web.people.services import person_erase
    from tests.web.factories import supporter_create

    supporter = supporter_create(clp=clp)
    since = _last()
    page = admin_client.get(f"/admin/people/supporter/{supporter.pk}/change/")
    data = _form_data(page)
    data["membership"] = Membership.NOT_MEMBER
    response = admin_client.post(f"/admin/people/supporter/{supporter.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    entry = AuditEntry.objects.get(pk__gt=since, action="supporter.admin_change")
    assert entry.summary == "changed: membership"  # the field, never its value
    assert entry.object_id == str(supporter.user_id)

    person_erase(person=supporter.user, actor=None)
    entry.refresh_from_db()
    assert entry.object_id == ""


def test_changing_an_account_in_the_admin_is_audited(admin_client: Client) -> None:
    person = User.objects.create_user(email="someone@example.org", name="Some One")
    since = _last()
    data = _form_data(admin_client.get(f"/admin/people/user/{person.pk}/change/"))
    data["name"] = "Someone Else"
    response = admin_client.post(f"/admin/people/user/{person.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    assert _actions(since) == ["user.admin_change"]
    assert AuditEntry.objects.get(pk__gt=since).summary == "changed: name"
