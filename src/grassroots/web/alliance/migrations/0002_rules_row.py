"""The one row of alliance rules, with the defaults: national organisations send 3
representatives to the organising committee, local groups 1."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def create(apps: Any, schema_editor: Any) -> None:
    rules = apps.get_model("alliance", "AllianceRules")
    rules.objects.get_or_create(pk=1, defaults={"national_seats": 3, "local_seats": 1})


class Migration(migrations.Migration):
    dependencies = [("alliance", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
