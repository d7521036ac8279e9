"""Each organisation gets ``slug``, the slug of its name, which names its public page."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.utils.text import slugify


def fill_slugs(apps: Any, schema_editor: Any) -> None:
    """The slug of each name; a name with no letter or digit, or whose slug another
    organisation took first, gets its id added, so the unique constraint can follow."""
    Organisation = apps.get_model("alliance", "Organisation")
    taken: set[str] = set()
    for organisation in Organisation.objects.order_by("pk"):
        slug = slugify(organisation.name) or "organisation"
        if slug in taken:
            slug = f"{slug}-{organisation.pk}"
        taken.add(slug)
        organisation.slug = slug
        organisation.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("alliance", "0002_rules_row")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="slug",
            field=models.SlugField(db_index=False, default="", editable=False, max_length=160),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="slug",
            field=models.SlugField(editable=False, max_length=160, unique=True),
        ),
    ]
