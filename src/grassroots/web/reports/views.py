"""Pages of representatives' reports: the public list, each representative's page and feed,
each report, following, and publishing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.web.forms_flow import form_data, form_status, handle_action, handle_form
from grassroots.web.people.models import User
from grassroots.web.reports import access, selectors, services
from grassroots.web.reports.feeds import atom_build
from grassroots.web.reports.forms import ReporterForm, ReportForm
from grassroots.web.reports.markdown import markdown_html
from grassroots.web.reports.models import Report

ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"


def reporter_list(request: HttpRequest) -> HttpResponse:
    reporters = list(selectors.reporter_list())
    may_add = True
    try:
        access.reporter_create_for_organiser(request.user)
    except Http404:
        may_add = False
    return render(
        request, "reports/reporter_list.html", {"reporters": reporters, "may_add": may_add}
    )


def reporter_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A representative's reports and their votes over time."""
    reporter = access.reporter_for_viewer(slug)
    user = request.user
    context = {
        "reporter": reporter,
        "reports": list(selectors.report_list(reporter=reporter)),
        "votes": selectors.vote_history(reporter=reporter),
        "following": isinstance(user, User) and selectors.follows(user=user, reporter=reporter),
        "follower_count": selectors.follower_count(reporter=reporter),
        "may_publish": access.may_publish(user, reporter),
    }
    return render(request, "reports/reporter_detail.html", context)


def report_detail(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    reporter, report = access.report_for_viewer(slug, report_id)
    context = {"reporter": reporter, "report": report, "body_html": markdown_html(report.body)}
    return render(request, "reports/report_detail.html", context)


def reporter_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The representative's reports as an Atom feed."""
    reporter = access.reporter_for_viewer(slug)

    def report_url(report: Report) -> str:
        return request.build_absolute_uri(
            reverse("reports:report_detail", args=[reporter.slug, report.pk])
        )

    body = atom_build(
        reporter=reporter,
        reports=list(selectors.report_list(reporter=reporter)[:50]),
        page_url=request.build_absolute_uri(reverse("reports:reporter_detail", args=[slug])),
        feed_url=request.build_absolute_uri(),
        report_url=report_url,
    )
    return HttpResponse(body, content_type=ATOM_CONTENT_TYPE)


@login_required
@require_POST
def reporter_follow(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow (``action=follow``) or stop following a representative."""
    reporter = access.reporter_for_viewer(slug)
    user = access.follower(request.user)
    follow = request.POST.get("action") != "unfollow"
    return handle_action(
        request,
        lambda: (services.reporter_follow if follow else services.reporter_unfollow)(
            user=user, reporter=reporter
        ),
        success=f"You follow {reporter.name}: each report comes to you by email."
        if follow
        else f"You no longer follow {reporter.name}.",
        redirect_to=reverse("reports:reporter_detail", args=[slug]),
    )


@login_required
def reporter_create(request: HttpRequest) -> HttpResponse:
    actor = access.reporter_create_for_organiser(request.user)
    form = ReporterForm(form_data(request))
    if done := handle_form(
        request,
        form,
        lambda data: services.reporter_create(actor=actor, **data),
        success="The representative's page is made.",
        redirect_to=lambda reporter: reverse("reports:reporter_detail", args=[reporter.slug]),
    ):
        return done
    return render(request, "reports/reporter_form.html", {"form": form}, status=form_status(form))


@login_required
def report_create(request: HttpRequest, slug: str) -> HttpResponse:
    actor, reporter = access.reporter_for_publisher(request.user, slug)
    form = ReportForm(form_data(request))

    def publish(data: dict[str, object]) -> Report:
        return services.report_publish(
            actor=actor,
            reporter=reporter,
            meeting=str(data["meeting"]),
            met_on=data["met_on"],  # type: ignore[arg-type]
            decisions=str(data["decisions"]),
            votes=services.votes_parse(str(data["votes"])),
            body=str(data["body"]),
            site_url=request.build_absolute_uri("/"),
        )

    if done := handle_form(
        request,
        form,
        publish,
        success="The report is published, and on its way to followers.",
        redirect_to=lambda report: reverse("reports:report_detail", args=[slug, report.pk]),
    ):
        return done
    context = {"form": form, "reporter": reporter}
    return render(request, "reports/report_form.html", context, status=form_status(form))
