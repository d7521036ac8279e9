"""Running the site from the ``grassroots`` command: the CLI calls these, so Django stays
inside the web package and is imported only when a site command runs."""

from __future__ import annotations

import os
from collections.abc import Sequence


def site_setup() -> None:
    """Point Django at the site's settings and load the apps."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.web.settings")
    import django

    django.setup()


def site_migrate() -> None:
    """Apply any migrations not yet applied."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def site_serve(*, host: str, port: int, threads: int) -> None:
    """Migrate, then serve the site with waitress until interrupted."""
    site_setup()
    site_migrate()
    from django.core.wsgi import get_wsgi_application
    from waitress import serve

    serve(get_wsgi_application(), host=host, port=port, threads=threads, ident="grassroots")


def site_demo() -> list[str]:
    """Migrate, then create the demo data (idempotent); a line per step."""
    site_setup()
    site_migrate()
    from grassroots.web.demo import demo_create

    return demo_create()


def site_manage(args: Sequence[str]) -> None:
    """Run a Django management command."""
    site_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["grassroots manage", *args])
