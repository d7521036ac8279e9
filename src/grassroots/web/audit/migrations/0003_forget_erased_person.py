"""Let erasure forget a person in the audit log, and nothing else.

A person who erases their account must not stay named in the log (their id beside their
sign-up, their CLP, their role), while the log's facts stay. The triggers of 0002 refused
every UPDATE; they now allow one narrow UPDATE: the actor id may become empty, the object
id may become empty, and ``person_erased`` becomes true, while the row's id, time, action,
object type and summary stay exactly as they were. Any other UPDATE is refused as before,
and DELETE too (PostgreSQL). ``audit.services.audit_person_forget`` is the one caller.

On SQLite, adding the column rebuilds the table, which drops its triggers, so the UPDATE
trigger is made again after it.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

POSTGRES_FORGET = """
CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.id = OLD.id
        AND NEW.created_at = OLD.created_at
        AND NEW.action = OLD.action
        AND NEW.object_type = OLD.object_type
        AND NEW.summary = OLD.summary
        AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
        AND (NEW.object_id = '' OR NEW.object_id = OLD.object_id)
        AND NEW.person_erased
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
POSTGRES_STRICT = """
CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
SQLITE_FORGET = """
CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
WHEN NOT (
    NEW.id = OLD.id
    AND NEW.created_at = OLD.created_at
    AND NEW.action = OLD.action
    AND NEW.object_type = OLD.object_type
    AND NEW.summary = OLD.summary
    AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
    AND (NEW.object_id = '' OR NEW.object_id = OLD.object_id)
    AND NEW.person_erased
)
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused');
END;
"""
SQLITE_STRICT = """
CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_auditentry_no_update;"


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORGET, None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP, None)
        schema_editor.execute(SQLITE_FORGET, None)


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_STRICT, None)
    elif vendor == "sqlite":  # before the column goes: the trigger must not name it
        schema_editor.execute(SQLITE_DROP, None)
        schema_editor.execute(SQLITE_STRICT, None)


def strict_again_on_sqlite(apps: Any, schema_editor: Any) -> None:
    """Going back: in case removing the column rebuilt the table without its trigger."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP, None)
        schema_editor.execute(SQLITE_STRICT, None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]
    operations = [
        migrations.RunPython(migrations.RunPython.noop, strict_again_on_sqlite),
        migrations.AddField(
            model_name="auditentry",
            name="person_erased",
            field=models.BooleanField(
                default=False,
                help_text="A person this row named erased their account: their id was removed.",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
