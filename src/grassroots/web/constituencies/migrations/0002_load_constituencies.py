"""Load the 650 constituencies from the fixture, so every database has its CLPs from the start."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from grassroots.web.constituencies.data import constituency_rows


def load(apps: Any, schema_editor: Any) -> None:
    constituency = apps.get_model("constituencies", "Constituency")
    existing = set(constituency.objects.values_list("gss_code", flat=True))
    constituency.objects.bulk_create(
        constituency(**row) for row in constituency_rows() if row["gss_code"] not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("constituencies", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
