"""The ``grassroots`` command: count a ballot file, and run the site.

Commands are thin over the library: they read input, call the engine and
render. One handler turns the engine's errors into a message on stderr and
exit status 1; wrong usage exits with 2. Django is imported only by the site's
commands (``serve``, ``demo``, ``manage``), never when counting.

Built on click rather than typer: a count of a ward is dominated by start-up,
and typer (which now imports pydantic) costs about twice click's import time;
rich is imported only to draw a text count sheet.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from grassroots.cli.seal import trustee_group

RULES = ("scottish", "ers97", "meek", "irv")
FORMATS = ("text", "json", "csv", "html")


@click.group(
    name="grassroots",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
def cli() -> None:
    """Count STV elections with category quotas, and run the Grassroots platform."""


def _limits(values: tuple[str, ...], option: str) -> dict[str, int]:
    """Parse ``CATEGORY=N`` options, e.g. ``--min F=4``."""
    limits: dict[str, int] = {}
    for value in values:
        category, sep, number = value.partition("=")
        if not sep or not category or not number.isdigit():
            raise click.BadParameter(f'"{value}": expected CATEGORY=N, e.g. F=4', param_hint=option)
        if category in limits:
            raise click.BadParameter(f"category {category!r} given twice", param_hint=option)
        limits[category] = int(number)
    return limits


@cli.command("count")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--rule", type=click.Choice(RULES), default="scottish", show_default=True, help="Counting rule."
)
@click.option(
    "--seats", type=click.IntRange(min=1), default=None, help="Seats to fill (overrides the file)."
)
@click.option(
    "--categories",
    type=click.Path(path_type=Path),
    default=None,
    help="Side file of candidate categories: CSV 'candidate,category' or JSON.",
)
@click.option(
    "--min",
    "minimum",
    multiple=True,
    metavar="CATEGORY=N",
    help="At least N elected from CATEGORY (repeatable).",
)
@click.option(
    "--max",
    "maximum",
    multiple=True,
    metavar="CATEGORY=N",
    help="At most N elected from CATEGORY (repeatable).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for ties broken by lot.")
@click.option(
    "--format",
    "output",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output: count sheet, JSON, CSV or HTML.",
)
def count_command(
    file: Path,
    rule: str,
    seats: int | None,
    categories: Path | None,
    minimum: tuple[str, ...],
    maximum: tuple[str, ...],
    seed: int,
    output: str,
) -> None:
    """Count FILE (.blt, .soi/.toi or .csv) and print the count sheet.

    The JSON output holds every stage (votes by candidate, non-transferable
    votes, loss by rounding, action, who was elected or excluded and why) with
    decimals as strings. Exit status: 0 counted, 1 bad input (the message names
    the file, line and field), 2 wrong usage.

    \b
    Example:
      grassroots count ward.blt --rule scottish --categories gender.json --min F=4
    """
    min_limits = _limits(minimum, "--min")
    max_limits = _limits(maximum, "--max")
    if (min_limits or max_limits) and categories is None:
        raise click.BadParameter("a quota needs --categories FILE", param_hint="--min/--max")

    from grassroots.count import Quotas
    from grassroots.count import count as run_count
    from grassroots.count.formats import read_profile
    from grassroots.count.formats.categories import read_categories

    profile = read_profile(file, seats=seats)
    if categories is not None:
        profile = profile.with_categories(read_categories(categories))
    quotas = Quotas.build(min_limits, max_limits)
    result = run_count(profile, rule=rule, quotas=quotas, seed=seed)

    from grassroots.cli import render

    if output == "json":
        sys.stdout.write(render.render_json(result))
    elif output == "csv":
        sys.stdout.write(render.render_csv(result))
    elif output == "html":
        sys.stdout.write(render.render_html(result))
    else:
        from rich.console import Console

        console = Console(width=render.sheet_width(result), soft_wrap=False)
        render.render_text(result, console)


class _ForecastGroup(click.Group):
    """``forecast SCENARIO`` runs a forecast; ``forecast calibrate|plan ...`` the others."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@cli.group("forecast", cls=_ForecastGroup)
def forecast_group() -> None:
    """Forecast a party election: `forecast SCENARIO` (the same as `forecast run SCENARIO`),
    `forecast calibrate FILE` (fit a scenario to a past election), `forecast plan SCENARIO
    SLATE` (vote management). See docs/forecast.md.
    """


class _Progress:
    """A progress bar on stderr over several forecasts: ``base`` runs done by earlier ones."""

    def __init__(self, total: int, enabled: bool | None) -> None:
        self.base = 0
        self.bar: Any = None
        if enabled is None:
            enabled = sys.stderr.isatty()
        if enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            self.bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.task = self.bar.add_task("simulated elections", total=total)

    def __call__(self, done: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=self.base + done)

    def __enter__(self) -> _Progress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _write_plot(path: Path, svg: str) -> None:
    from grassroots.forecast.charts import write_chart

    write_chart(str(path), svg)
    click.echo(f"chart written to {path}", err=True)


PLOT_HELP = "Also draw the chart to FILE: .svg always, .png with the plot extra (cairosvg)."
PROGRESS_HELP = "Show a progress bar on stderr (default: when stderr is a terminal)."


@forecast_group.command("run")
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option(
    "--runs",
    type=click.IntRange(1, 100_000),
    default=200,
    show_default=True,
    help="Simulated elections, each counted in full.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of every draw.")
@click.option(
    "--voters",
    type=click.IntRange(1, 200_000),
    default=None,
    help="Ballots drawn per run (overrides the scenario).",
)
@click.option(
    "--sizes",
    "sizes_of",
    metavar="SLATE",
    default=None,
    help="Also forecast SLATE standing 1, 2, ... of its candidates, to choose its size.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes to share the runs among (the forecast is the same for any number).",
)
@click.option(
    "--orders",
    "orders_of",
    metavar="SLATE",
    default=None,
    help="Also forecast SLATE listing its candidates in other orders (as listed, alternating "
    "by the quota's category, reversed); needs voters who follow its order.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="Output: tables or JSON.",
)
@click.option("--plot", type=click.Path(path_type=Path), default=None, help=PLOT_HELP)
@click.option("--progress/--no-progress", "show_progress", default=None, help=PROGRESS_HELP)
def forecast_command(
    scenario: Path,
    runs: int,
    seed: int,
    voters: int | None,
    sizes_of: str | None,
    jobs: int,
    orders_of: str | None,
    output: str,
    plot: Path | None,
    show_progress: bool | None,
) -> None:
    """Forecast a party election from a SCENARIO file (JSON): seats by slate, chances by candidate.

    Each run draws the slates' shares and the candidates' popularity around the
    scenario's, draws the members' ballots, and counts them with the scenario's
    rule and quotas. With --sizes, the slate is also forecast standing each
    number of its candidates (its first ones, in its own order), on the same
    draws, to show how many it should stand; with --orders, listing them in
    other orders, for the voters who follow its order. See docs/forecast.md for the
    scenario's fields. Exit status: 0 done, 1 bad scenario (the message names
    the field), 2 wrong usage.

    \b
    Example:
      grassroots forecast examples/forecast-nec.json --runs 500 --sizes "Grassroots Alliance"
    """
    import json
    from dataclasses import replace

    from grassroots.forecast import read_scenario, simulate, slate_orders, slate_sizes

    plan = read_scenario(scenario)
    if voters is not None:
        plan = replace(plan, voters=voters).check()
    parts = 1
    if sizes_of:
        parts += len(plan.slates[plan.slate_index(sizes_of)].candidates)
    if orders_of:
        parts += 3
    with _Progress(runs * parts, show_progress) as told:
        forecast = simulate(plan, runs=runs, seed=seed, jobs=jobs, progress=told)
        told.base += runs
        advice = (
            slate_sizes(plan, sizes_of, runs=runs, seed=seed, jobs=jobs, progress=told)
            if sizes_of
            else None
        )
        if advice is not None:
            told.base += runs * len(advice.forecasts)
        ordering = (
            slate_orders(plan, orders_of, runs=runs, seed=seed, jobs=jobs, progress=told)
            if orders_of
            else None
        )
    if plot is not None:
        from grassroots.forecast.charts import seat_distribution_svg, slate_size_svg

        _write_plot(plot, seat_distribution_svg(forecast))
        if advice is not None:
            _write_plot(plot.with_name(f"{plot.stem}-sizes{plot.suffix}"), slate_size_svg(advice))
    if output == "json":
        data = forecast.to_dict()
        if advice is not None:
            data["sizes"] = advice.to_dict()
        if ordering is not None:
            data["orders"] = ordering.to_dict()
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    from rich.console import Console

    from grassroots.cli.forecast_sheet import render_forecast, render_orders, render_sizes

    console = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 120)
    render_forecast(forecast, console)
    if advice is not None:
        render_sizes(advice, console)
    if ordering is not None:
        render_orders(ordering, console)


@forecast_group.command("calibrate")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--slates",
    type=click.Path(path_type=Path),
    default=None,
    help='JSON {"Slate": ["candidate", ...]}; without it, slates are read from names such as '
    '"Jane Smith (SNP)".',
)
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write the scenario.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the fit's draws.")
@click.option(
    "--format",
    "output",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="The fit report as tables or JSON.",
)
def calibrate_command(
    file: Path, slates: Path | None, out: Path | None, seed: int, output: str
) -> None:
    """Fit the voter model to a past election: a ballot FILE (BLT...) or a count sheet (.json).

    Prints the fit report: first preferences and next preferences (transfers) of the source
    against ballots drawn from the fitted model, with their distances; --out writes the
    fitted scenario for `grassroots forecast`.

    \b
    Example:
      grassroots forecast calibrate ward.blt --slates slates.json --out scenario.json
    """
    import json

    from grassroots.forecast.calibrate import calibrate_file, read_slates
    from grassroots.forecast.scenario import scenario_to_mapping

    membership = read_slates(slates) if slates is not None else None
    fitted = calibrate_file(file, membership, seed=seed)
    if out is not None:
        text = json.dumps(scenario_to_mapping(fitted.scenario), indent=2, ensure_ascii=False)
        out.write_text(text + "\n", encoding="utf-8")
    if output == "json":
        data = {"scenario": scenario_to_mapping(fitted.scenario), "fit": fitted.to_mapping()}
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    from rich.console import Console

    from grassroots.cli.forecast_sheet import render_calibration

    render_calibration(fitted, Console(soft_wrap=False, width=None if sys.stdout.isatty() else 120))
    if out is not None:
        click.echo(f"scenario written to {out}", err=True)


@forecast_group.command("plan")
@click.argument("scenario", type=click.Path(path_type=Path))
@click.argument("slate")
@click.option(
    "--group",
    "groups",
    multiple=True,
    metavar="NAME=SUPPORTERS",
    help="A group of the slate's voters and how many supporters it has (repeat it), e.g. "
    "--group North=120 --group South=80.",
)
@click.option(
    "--follow",
    type=click.IntRange(0, 100),
    default=70,
    show_default=True,
    help="Percent of the slate's loyal voters who follow their group's card.",
)
@click.option("--runs", type=click.IntRange(1, 100_000), default=200, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option(
    "--format", "output", type=click.Choice(("text", "json")), default="text", show_default=True
)
@click.option("--plot", type=click.Path(path_type=Path), default=None, help=PLOT_HELP)
@click.option("--progress/--no-progress", "show_progress", default=None, help=PROGRESS_HELP)
def plan_command(
    scenario: Path,
    slate: str,
    groups: tuple[str, ...],
    follow: int,
    runs: int,
    seed: int,
    output: str,
    plot: Path | None,
    show_progress: bool | None,
) -> None:
    """Vote management: search a plan of cards for SLATE's groups, and compare it with none.

    Each group of the slate's loyal voters is told its own order of the slate; the plan is
    forecast against no plan on the same draws and explained in words.

    \b
    Example:
      grassroots forecast plan examples/forecast-nec.json "Grassroots Alliance" \\
        --group North=120 --group South=80 --group Wales=40 --follow 70
    """
    import json

    from grassroots.forecast import read_scenario
    from grassroots.forecast.vote_management import plan_evaluate, plan_search, regions_groups

    counts = {}
    for item in groups or ("everyone=1",):
        name, sep, number = item.rpartition("=")
        if not sep or not name or not number.isdigit():
            raise click.BadParameter(f'"{item}": expected NAME=SUPPORTERS', param_hint="--group")
        counts[name] = int(number)
    chosen = read_scenario(scenario)
    share = follow / 100
    with _Progress(runs * 8, show_progress) as told:  # no plan, up to 5 plans, then both again
        plan, why = plan_search(
            chosen,
            slate,
            regions_groups(counts),
            follow=share,
            runs=runs,
            seed=seed,
            progress=told,
        )
        told.base = runs * 6
        comparison = plan_evaluate(chosen, plan, follow=share, runs=runs, seed=seed, progress=told)
    if plot is not None:
        from grassroots.forecast.charts import plan_comparison_svg

        _write_plot(plot, plan_comparison_svg(comparison))
    if output == "json":
        data = {**comparison.to_mapping(), "explanation": why}
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    click.echo(why)


def _proxy_headers(value: str) -> tuple[str, ...]:
    """Parse ``--trusted-proxy-headers``: names separated by spaces or commas."""
    from grassroots.web.run import PROXY_HEADERS

    headers = tuple(dict.fromkeys(h.lower() for h in value.replace(",", " ").split()))
    unknown = [h for h in headers if h not in PROXY_HEADERS]
    if unknown or not headers:
        raise click.BadParameter(
            f'"{value}": expected some of {", ".join(PROXY_HEADERS)}',
            param_hint="--trusted-proxy-headers",
        )
    if "forwarded" in headers and len(headers) > 1:
        raise click.BadParameter(
            "trust either forwarded or the x-forwarded-* headers, not both",
            param_hint="--trusted-proxy-headers",
        )
    return headers


@cli.command("serve")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    envvar="PORT",
    show_default=True,
    help="Port to listen on (or $PORT).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--threads", type=click.IntRange(min=1), default=8, show_default=True, help="Worker threads."
)
@click.option(
    "--trusted-proxy",
    metavar="ADDRESS",
    envvar="TRUSTED_PROXY",
    default=None,
    help="Address of the reverse proxy whose forwarded headers are believed, or * for any "
    "peer (only when nothing but the proxy can reach this port) (or $TRUSTED_PROXY).",
)
@click.option(
    "--trusted-proxy-count",
    type=click.IntRange(min=1),
    envvar="TRUSTED_PROXY_COUNT",
    default=None,
    help="How many trusted proxies in a row each add to X-Forwarded-For; the client is the "
    "address the outermost one saw [default: 1] (or $TRUSTED_PROXY_COUNT).",
)
@click.option(
    "--trusted-proxy-headers",
    metavar="HEADERS",
    envvar="TRUSTED_PROXY_HEADERS",
    default=None,
    help="Forwarded headers to believe from the proxy, separated by spaces or commas "
    '[default: "x-forwarded-for x-forwarded-proto"] (or $TRUSTED_PROXY_HEADERS).',
)
@click.option(
    "--url-scheme",
    type=click.Choice(["http", "https"]),
    envvar="URL_SCHEME",
    default="http",
    show_default=True,
    help="Scheme of requests without a trusted X-Forwarded-Proto (or $URL_SCHEME).",
)
@click.option(
    "--with-worker",
    is_flag=True,
    help="Also run the background worker (grassroots worker), stopped with the server.",
)
def serve_command(
    port: int,
    host: str,
    threads: int,
    trusted_proxy: str | None,
    trusted_proxy_count: int | None,
    trusted_proxy_headers: str | None,
    url_scheme: str,
    with_worker: bool,
) -> None:
    """Run the site with the waitress WSGI server, after applying migrations.

    The database is the SQLite file in $GRASSROOTS_DATA_DIR (default ./var), or
    $DATABASE_URL. Static files are served by the site itself. Stop with Ctrl-C.

    It refuses to start without $SECRET_KEY, unless in development mode
    (GRASSROOTS_DEV=1, which make run sets): debug pages and a public development
    key, so on 127.0.0.1 only.

    Behind a reverse proxy (nginx, a load balancer), name it with --trusted-proxy:
    waitress then takes each client's address and scheme from the proxy's
    X-Forwarded-For and X-Forwarded-Proto, so the rate limits count each client
    apart. Forwarded headers from anyone else are dropped, never believed.

    Email and other slow work is done by the background worker: run `grassroots worker`
    beside the server, or pass --with-worker to start one with it (as `make run` does).

    \b
    Example:
      grassroots serve --port 8001
      grassroots serve --with-worker
      grassroots serve --host 127.0.0.1 --trusted-proxy 127.0.0.1
    """
    from grassroots.web.run import DEFAULT_PROXY_HEADERS, SiteCommandError, site_serve

    if trusted_proxy is None:
        for name, value in [
            ("--trusted-proxy-count", trusted_proxy_count),
            ("--trusted-proxy-headers", trusted_proxy_headers),
        ]:
            if value is not None:
                raise click.BadParameter("has no meaning without --trusted-proxy", param_hint=name)
    headers = (
        DEFAULT_PROXY_HEADERS
        if trusted_proxy_headers is None
        else _proxy_headers(trusted_proxy_headers)
    )
    click.echo(f"Grassroots is at http://{host}:{port}/ (Ctrl-C stops it)", err=True)
    if trusted_proxy is not None:
        click.echo(f"Believing {', '.join(headers)} from the proxy at {trusted_proxy}", err=True)
    worker = None
    if with_worker:
        import subprocess

        # Its own process, so a long task never holds up a request; it waits for the
        # migrations the server applies before it starts. Its own session too, so Ctrl-C
        # reaches the server only, and the server stops the worker once, gracefully.
        worker = subprocess.Popen(
            [sys.executable, "-m", "grassroots", "worker"], start_new_session=True
        )
        # A service manager stops the server with SIGTERM, which would end this process at
        # once and leave the worker running: take it as a Ctrl-C, so the worker stops too.
        import signal

        def _stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, _stop)
    try:
        site_serve(
            host=host,
            port=port,
            threads=threads,
            trusted_proxy=trusted_proxy,
            trusted_proxy_count=trusted_proxy_count or 1,
            trusted_proxy_headers=headers,
            url_scheme=url_scheme,
        )
    except SiteCommandError as err:  # refused settings, e.g. no secret key
        _site_error(err)
    finally:
        if worker is not None:
            worker.terminate()  # the running task finishes first
            try:
                worker.wait()
            except KeyboardInterrupt:  # a second Ctrl-C: stop the running task too
                worker.terminate()
                worker.wait()


@cli.command("worker")
@click.option(
    "--interval",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconds to wait before looking again at an empty queue.",
)
@click.option("--batch", is_flag=True, help="Run the tasks due now, then exit.")
def worker_command(interval: float, batch: bool) -> None:
    """Run the background tasks: sending every email the site queues, with retries.

    Run one beside `grassroots serve` (docs/operations.md has a systemd unit), or start both
    with `grassroots serve --with-worker`. On start it puts back on the queue what a killed
    worker left running. SIGTERM or Ctrl-C lets the running task finish, then stops; a
    second one stops it at once. Failed emails are listed in the admin, under Outgoing email.

    \b
    Example:
      grassroots worker
      grassroots worker --batch
    """
    from grassroots.web.run import SiteCommandError, site_worker

    try:
        site_worker(interval=interval, batch=batch, say=lambda line: click.echo(line, err=True))
    except SiteCommandError as err:  # refused settings, e.g. no secret key
        _site_error(err)


@cli.command("demo")
def demo_command() -> None:
    """Load demo data: migrate, load the CLPs, and create a fictional alliance.

    Safe to run again: what exists already is left as it is. The people in it are
    invented; their addresses are under example.org.

    \b
    Example:
      grassroots demo && grassroots serve
    """
    from grassroots.web.run import SiteCommandError, site_demo

    try:
        lines = site_demo()
    except SiteCommandError as err:
        _site_error(err)
    for line in lines:
        click.echo(line)


@cli.command("retention")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
def retention_command(dry_run: bool) -> None:
    """Delete personal data the site no longer needs: run it daily (cron or a timer).

    Unconfirmed sign-ups after RETENTION_UNVERIFIED_DAYS (30), relayed messages after
    RETENTION_MESSAGE_DAYS (180), sent or failed outbox emails after RETENTION_EMAIL_DAYS
    (30), finished task records after RETENTION_TASK_DAYS (30) and finished stored forecasts
    after RETENTION_FORECAST_DAYS (90); nothing queued or running. One audit row with the
    counts. See docs/web.md.

    \b
    Example:
      grassroots retention --dry-run && grassroots retention
    """
    from grassroots.web.run import SiteCommandError, site_retention

    try:
        summary = site_retention(dry_run=dry_run)
    except SiteCommandError as err:
        _site_error(err)
    click.echo(f"{'would delete' if dry_run else 'deleted'}: {summary}")


@cli.command(
    "manage",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
@click.pass_context
def manage_command(ctx: click.Context) -> None:
    """Run one of Django's management commands on the site (``grassroots manage help`` lists them).

    \b
    Example:
      grassroots manage createsuperuser
    """
    from grassroots.web.run import SiteCommandError, site_manage

    try:
        site_manage(ctx.args)
    except SiteCommandError as err:
        _site_error(err)


@cli.group("nominations")
def nominations_group() -> None:
    """CLP nominations in a party election's section (the site's database)."""


def _site_error(err: Exception) -> NoReturn:
    """Print a site command's refusal, one problem a line, and exit 1."""
    for line in getattr(err, "lines", [str(err)]):
        click.echo(f"grassroots: error: {line}", err=True)
    raise SystemExit(1)


@nominations_group.command("import")
@click.argument("election")
@click.argument("section")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def nominations_import_command(election: str, section: str, file: Path) -> None:
    """Import FILE, a CSV of nominations with columns clp,candidate,date.

    The CLP is its name or GSS code; the date is YYYY-MM-DD. Every row is checked
    first: if any row is bad, nothing is imported, every bad row is listed with
    its line and reason, and the exit status is 1.

    \b
    Example:
      grassroots nominations import nec-demo clp nominations.csv
    """
    from grassroots.web.run import SiteCommandError, site_nominations_import

    try:
        imported = site_nominations_import(election=election, section=section, path=str(file))
    except SiteCommandError as err:
        _site_error(err)
    click.echo(f"imported {imported} nominations")


@nominations_group.command("summary")
@click.argument("election")
@click.argument("section")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output: a table or JSON.",
)
def nominations_summary_command(election: str, section: str, output: str) -> None:
    """Each candidate's nominations against the threshold, and their slates.

    JSON: a list of {candidate, nominations, threshold, on_ballot, slates},
    most nominations first.

    \b
    Example:
      grassroots nominations summary nec-demo clp --format json
    """
    from grassroots.web.run import SiteCommandError, site_nominations_summary

    try:
        rows = site_nominations_summary(election=election, section=section)
    except SiteCommandError as err:
        _site_error(err)
    if output == "json":
        import json

        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        status = "on the ballot" if row["on_ballot"] else "not yet"
        slates = ", ".join(row["slates"]) or "no slate"  # type: ignore[arg-type]
        click.echo(
            f"{row['candidate']}: {row['nominations']} of {row['threshold']}, {status} ({slates})"
        )


@cli.group("ballots")
def ballots_group() -> None:
    """The site's ballots: list them, export the anonymised ballots, show a result."""


@ballots_group.command("list")
def ballots_list_command() -> None:
    """Every ballot: slug, status, method, closing time and question.

    \b
    Example:
      grassroots ballots list
    """
    from grassroots.web.run import site_ballot_list

    for row in site_ballot_list():
        click.echo("\t".join(row))


@ballots_group.command("export")
@click.argument("slug")
@click.option(
    "--categories",
    is_flag=True,
    help="Print the candidates' categories as 'candidate,category' CSV instead.",
)
def ballots_export_command(slug: str, categories: bool) -> None:
    """Print the anonymised ballots of SLUG as BLT (only after it closes).

    Identical rankings are merged, so the file holds no order of casting. Recount it
    with the command the result page shows, e.g.

    \b
    Example:
      grassroots ballots export demo-slate > demo-slate.blt
      grassroots ballots export demo-slate --categories > demo-slate-categories.csv
      grassroots count demo-slate.blt --categories demo-slate-categories.csv --min F=4
    """
    from grassroots.web.run import SiteCommandError, site_ballot_export

    try:
        sys.stdout.write(site_ballot_export(slug=slug, categories=categories))
    except SiteCommandError as err:
        _site_error(err)


@ballots_group.command("verify")
@click.argument("bundle", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--format",
    "output",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="Output: a summary of every check, or JSON.",
)
def ballots_verify_command(bundle: Path, output: str) -> None:
    """Check a sealed ballot's published BUNDLE from its own data alone.

    Checks the trustees' keys, the board and its digest, every proof of shuffle and
    of decryption, that the BLT is exactly the decrypted ballots, and a recount.
    Needs no site and no database. Exit status: 0 verified, 1 naming the failed check.

    \b
    Example:
      grassroots ballots verify nec-2026-bundle.json
    """
    from grassroots.cli.seal import ballots_verify

    ballots_verify(bundle, output)


@ballots_group.command("result")
@click.argument("slug")
@click.option(
    "--format",
    "output",
    type=click.Choice(["json"]),
    default="json",
    show_default=True,
    help="Output: the stored result as JSON, the shape of `grassroots count --format json`.",
)
def ballots_result_command(slug: str, output: str) -> None:
    """Print the published result of SLUG (with its quotas, so the recount can be rebuilt).

    \b
    Example:
      grassroots ballots result demo-slate --format json
    """
    import json

    from grassroots.web.run import SiteCommandError, site_ballot_result

    try:
        result = site_ballot_result(slug=slug)
    except SiteCommandError as err:
        _site_error(err)
    sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


cli.add_command(trustee_group)  # a sealed ballot's trustees' steps (grassroots.cli.seal)

# The name the documentation generator and the tests use.
app = cli


def main() -> None:
    """Entry point: usage errors exit 2 (click's own handling), engine errors exit 1."""
    from grassroots.count.errors import CountError  # forecasts' ScenarioError is one too

    try:
        cli.main(prog_name="grassroots")
    except CountError as err:
        click.echo(f"grassroots: error: {err}", err=True)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
