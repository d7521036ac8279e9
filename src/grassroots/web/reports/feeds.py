"""A reporter's Atom feed (RFC 4287), built with feedgen: one entry per report, its content
the report's HTML (sanitised, ``reports.markdown``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time

from django.template.loader import render_to_string
from feedgen.feed import FeedGenerator

from grassroots.web.reports.markdown import markdown_html
from grassroots.web.reports.models import Report, Reporter


def report_html(report: Report) -> str:
    return render_to_string(
        "reports/_report_body.html", {"report": report, "body_html": markdown_html(report.body)}
    )


def atom_build(
    *,
    reporter: Reporter,
    reports: Sequence[Report],
    page_url: str,
    feed_url: str,
    report_url: Callable[[Report], str],
) -> bytes:
    feed = FeedGenerator()
    feed.id(page_url)
    feed.title(f"Reports from {reporter.name}")
    feed.subtitle(reporter.role)
    feed.author({"name": reporter.name})
    feed.link(href=page_url, rel="alternate")
    feed.link(href=feed_url, rel="self")
    feed.language("en-GB")
    latest = max(
        (r.published_at for r in reports),
        default=datetime.combine(reporter.created_at.date(), time(), UTC),
    )
    feed.updated(latest)
    for report in reversed(reports):  # feedgen puts the last added first
        entry = feed.add_entry()
        entry.id(report_url(report))
        entry.title(f"{report.meeting} ({report.met_on:%-d %B %Y})")
        entry.link(href=report_url(report), rel="alternate")
        entry.published(report.published_at)
        entry.updated(report.published_at)
        entry.content(report_html(report), type="html")
    return bytes(feed.atom_str(pretty=True))
