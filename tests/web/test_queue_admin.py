"""The admin shows stored forecasts, scrutineers and a draft's test credentials read-only,
without a forecast's result in the list and without any credential's token hash."""

from __future__ import annotations

import pytest
from django.test import Client

from grassroots.web.ballots import services as ballot_services
from grassroots.web.ballots.models import Scrutineer, TrialCredential
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections.models import ForecastRun, ForecastStatus
from grassroots.web.people.models import User
from tests.web.ballot_factories import ballot_create, option_ids
from tests.web.election_factories import election_create, section_get
from tests.web.factories import supporter_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(User.objects.create_superuser(email="root@example.org", name="Root"))
    return client


def _refused_to_change(client: Client, base: str, pk: object, data: dict[str, str]) -> None:
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{pk}/change/", data).status_code == 403
    assert client.post(f"{base}{pk}/delete/", {"post": "yes"}).status_code == 403
    listing = client.get(base).content.decode()
    assert 'value="delete_selected"' not in listing


def test_forecast_runs_are_listed_read_only_without_their_result(admin_client: Client) -> None:
    run = ForecastRun.objects.create(
        section=section_get(election_create()),
        inputs={"form": {}},
        input_hash="a" * 64,
        runs_total=200,
        runs_done=200,
        status=ForecastStatus.FAILED,
        result={"marker": "result-json-marker"},
        error="The worker stopped",
    )
    base = "/admin/elections/forecastrun/"

    listing = admin_client.get(base).content.decode()
    page = admin_client.get(f"{base}{run.pk}/change/").content.decode()

    assert "200 / 200" in listing
    assert "The worker stopped" in listing
    assert "Failed" in listing
    assert "result-json-marker" not in listing
    assert "result-json-marker" not in page
    _refused_to_change(admin_client, base, run.pk, {"status": "done"})
    assert ForecastRun.objects.get(pk=run.pk).status == ForecastStatus.FAILED


def test_scrutineers_are_listed_read_only(admin_client: Client, clp: Constituency) -> None:
    watcher = supporter_create(clp=clp, name="Wendy Watcher")
    ballot = ballot_create(question="Who should chair?")
    ballot_services.ballot_scrutineer_add(actor=None, ballot=ballot, person=watcher.user)
    scrutineer = Scrutineer.objects.get()
    base = "/admin/ballots/scrutineer/"

    listing = admin_client.get(base).content.decode()

    assert str(watcher.user) in listing
    assert str(ballot) in listing
    _refused_to_change(admin_client, base, scrutineer.pk, {})
    assert Scrutineer.objects.count() == 1


def test_test_credentials_show_ballot_and_use_but_never_the_token_hash(
    admin_client: Client,
) -> None:
    ballot = ballot_create(question="Which strategy?")
    used_hash = ballot_services.ballot_trial_credential_issue(actor=None, ballot=ballot)
    ballot_services.ballot_trial_cast(credential_hash=used_hash, ranking=option_ids(ballot, "Ann"))
    unused_hash = ballot_services.ballot_trial_credential_issue(actor=None, ballot=ballot)
    used = TrialCredential.objects.get(token_hash=used_hash)
    base = "/admin/ballots/trialcredential/"

    listing = admin_client.get(base).content.decode()
    page = admin_client.get(f"{base}{used.pk}/change/").content.decode()

    assert str(ballot) in listing
    assert listing.count('alt="True"') == 1
    assert listing.count('alt="False"') == 1
    for shown in (listing, page):
        assert used_hash not in shown
        assert unused_hash not in shown
        assert "token hash" not in shown.lower()
    _refused_to_change(admin_client, base, used.pk, {"used": "off"})
    assert TrialCredential.objects.filter(used=True).count() == 1
