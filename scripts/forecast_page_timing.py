"""Time the forecast page's answer on the demo data, with Django's test client.

Loads the demo data into a temporary folder (unless ``--data-dir`` names one already loaded),
logs in an organiser, and asks for a 500-run forecast of the demo's CLP section three times,
each with new inputs so that none is a stored run. It prints the time each request took to
answer (the whole response: the page sends nothing before it is rendered). Whether the
forecast runs in the request or on the queue depends on the code checked out.

Example:
    GRASSROOTS_DEV=1 .venv/bin/python scripts/forecast_page_timing.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="a GRASSROOTS_DATA_DIR with the demo data loaded")
    parser.add_argument("--runs", default="500")
    args = parser.parse_args()
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="grassroots-timing-")
    os.environ["GRASSROOTS_DATA_DIR"] = data_dir
    os.environ.setdefault("GRASSROOTS_DEV", "1")
    if not args.data_dir:
        subprocess.run(
            [sys.executable, "-m", "grassroots", "demo"], check=True, capture_output=True
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.web.settings")
    import django  # noqa: TID251 (a site script, not the engine)

    django.setup()
    from django.contrib.auth.models import Group  # noqa: TID251
    from django.test import Client  # noqa: TID251
    from django.test.utils import setup_test_environment  # noqa: TID251

    from grassroots.web.elections.forecast_page import SlateFiguresForm
    from grassroots.web.elections.forecasting import section_scenario
    from grassroots.web.elections.models import Section
    from grassroots.web.people.models import User
    from grassroots.web.people.roles import Role

    setup_test_environment()
    section = Section.objects.get(election__slug="nec-demo", slug="clp")
    user, _ = User.objects.get_or_create(email="timer@example.org", defaults={"name": "Timer"})
    user.groups.add(Group.objects.get(name=Role.ORGANISER.value))
    client = Client()
    client.force_login(user)
    figures = SlateFiguresForm(slates=section_scenario(section=section).scenario.slates)
    url = f"/organise/elections/nec-demo/{section.slug}/forecast/"
    queued = "forecast_run" in {p.name for p in _patterns()}
    times = []
    for attempt in range(3):
        query = {name: str(field.initial) for name, field in figures.fields.items()}
        query |= {"run": "1", "uncertainty": f"{5 + attempt / 10:.1f}", "runs": args.runs}
        start = time.perf_counter()
        response = client.post(url, query) if queued else client.get(url, query)
        times.append(time.perf_counter() - start)
        print(f"{'POST' if queued else 'GET'} {response.status_code} {times[-1]:.3f} s")
    print(f"median {statistics.median(times):.3f} s")


def _patterns() -> list[object]:
    from grassroots.web.elections.urls import urlpatterns

    return list(urlpatterns)


if __name__ == "__main__":
    main()
