"""The ``grassroots`` command: count a ballot file, and run the site.

Commands are thin over the library: they read input, call the engine and
render. One handler turns the engine's errors into a message on stderr and
exit status 1; wrong usage exits with 2. Django is imported only by the site's
commands (``serve``, ``demo``, ``manage``), never when counting.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="grassroots",
    help="Count STV elections with category quotas, and run the Grassroots platform.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def cli() -> None:
    """Count STV elections with category quotas, and run the Grassroots platform."""


class OutputFormat(enum.StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    html = "html"


class Rule(enum.StrEnum):
    scottish = "scottish"
    ers97 = "ers97"
    meek = "meek"
    irv = "irv"


def _limits(values: list[str], option: str) -> dict[str, int]:
    """Parse ``CATEGORY=N`` options, e.g. ``--min F=4``."""
    limits: dict[str, int] = {}
    for value in values:
        category, sep, number = value.partition("=")
        if not sep or not category or not number.isdigit():
            raise typer.BadParameter(f'"{value}": expected CATEGORY=N, e.g. F=4', param_hint=option)
        if category in limits:
            raise typer.BadParameter(f"category {category!r} given twice", param_hint=option)
        limits[category] = int(number)
    return limits


@app.command("count")
def count_command(
    file: Annotated[Path, typer.Argument(help="Ballot file: .blt, .soi/.toi (PrefLib) or .csv.")],
    rule: Annotated[Rule, typer.Option(help="Counting rule.")] = Rule.scottish,
    seats: Annotated[
        int | None, typer.Option(min=1, help="Seats to fill (overrides the file).")
    ] = None,
    categories: Annotated[
        Path | None,
        typer.Option(help="Side file of candidate categories: CSV 'candidate,category' or JSON."),
    ] = None,
    minimum: Annotated[
        list[str] | None,
        typer.Option("--min", metavar="CATEGORY=N", help="At least N elected from CATEGORY."),
    ] = None,
    maximum: Annotated[
        list[str] | None,
        typer.Option("--max", metavar="CATEGORY=N", help="At most N elected from CATEGORY."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for ties broken by lot.")] = 0,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="Output: count sheet, JSON, CSV or HTML.")
    ] = OutputFormat.text,
) -> None:
    """Count FILE and print the count sheet.

    The JSON output holds every stage (votes by candidate, non-transferable
    votes, loss by rounding, action, who was elected or excluded and why) with
    decimals as strings. Exit status: 0 counted, 1 bad input (the message names
    the file, line and field), 2 wrong usage.

    Example: grassroots count ward.blt --rule scottish --categories gender.json --min F=4
    """
    min_limits = _limits(minimum or [], "--min")
    max_limits = _limits(maximum or [], "--max")
    if (min_limits or max_limits) and categories is None:
        raise typer.BadParameter("a quota needs --categories FILE", param_hint="--min/--max")

    from grassroots.count import Quotas
    from grassroots.count import count as run_count
    from grassroots.count.formats import read_profile
    from grassroots.count.formats.categories import read_categories

    profile = read_profile(file, seats=seats)
    if categories is not None:
        profile = profile.with_categories(read_categories(categories))
    quotas = Quotas.build(min_limits, max_limits)
    result = run_count(profile, rule=rule.value, quotas=quotas, seed=seed)

    from grassroots.cli import render

    if output is OutputFormat.json:
        sys.stdout.write(render.render_json(result))
    elif output is OutputFormat.csv:
        sys.stdout.write(render.render_csv(result))
    elif output is OutputFormat.html:
        sys.stdout.write(render.render_html(result))
    else:
        from rich.console import Console

        console = Console(width=render.sheet_width(result), soft_wrap=False)
        render.render_text(result, console)


@app.command("serve")
def serve_command(
    port: Annotated[
        int, typer.Option(envvar="PORT", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    threads: Annotated[int, typer.Option(min=1, help="Worker threads.")] = 8,
) -> None:
    """Run the site with the waitress WSGI server, after applying migrations.

    The database is the SQLite file in $GRASSROOTS_DATA_DIR (default ./var), or
    $DATABASE_URL. Static files are served by the site itself. Stop with Ctrl-C.

    Example: grassroots serve --port 8001
    """
    from grassroots.web.run import site_serve

    typer.echo(f"Grassroots is at http://{host}:{port}/ (Ctrl-C stops it)", err=True)
    site_serve(host=host, port=port, threads=threads)


@app.command("demo")
def demo_command() -> None:
    """Load demo data: migrate, load the CLPs, and create a fictional alliance.

    Safe to run again: what exists already is left as it is. The people in it are
    invented; their addresses are under example.org.

    Example: grassroots demo && grassroots serve
    """
    from grassroots.web.run import site_demo

    for line in site_demo():
        typer.echo(line)


@app.command(
    "manage",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def manage_command(ctx: typer.Context) -> None:
    """Run one of Django's management commands on the site (``grassroots manage help`` lists them).

    Example: grassroots manage createsuperuser
    """
    from grassroots.web.run import site_manage

    site_manage(ctx.args)


def main() -> None:
    """Entry point: usage errors exit 2 (click's own handling), engine errors exit 1."""
    from grassroots.count.errors import CountError

    try:
        app()
    except CountError as err:
        typer.echo(f"grassroots: error: {err}", err=True)
        raise SystemExit(1) from None
