"""Create one Django group per role held by group (people.roles.GROUP_ROLES)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

ROLE_GROUPS = (
    "local group organiser",
    "affiliate representative",
    "committee member",
    "administrator",
)


def create(apps: Any, schema_editor: Any) -> None:
    group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
