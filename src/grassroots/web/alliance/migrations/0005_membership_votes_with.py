"""A supporter with several memberships marks the one they vote with in joint ballots.

``votes_with`` is added with its default, so every existing membership starts unmarked; the
partial unique index (at most one marked per supporter) is then built on an all-false column
and holds at once, on SQLite and PostgreSQL alike.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("alliance", "0004_organisationmembership"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisationmembership",
            name="votes_with",
            field=models.BooleanField(
                default=False,
                help_text="In joint ballots of several of their organisations, the supporter votes with this one.",
            ),
        ),
        migrations.AddConstraint(
            model_name="organisationmembership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("votes_with", True)),
                fields=("supporter",),
                name="alliance_membership_votes_with_one_per_supporter",
            ),
        ),
        migrations.AddConstraint(
            model_name="organisationmembership",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("votes_with", False), ("status__in", ("pending", "confirmed")), _connector="OR"
                ),
                name="alliance_membership_votes_with_only_live",
            ),
        ),
    ]
