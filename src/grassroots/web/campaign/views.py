"""The campaign's pages: the organisers' drives and plans, and the supporters' forms for
their own CLP (reached from the dashboard)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.web.campaign import access, plan_runs, selectors, services
from grassroots.web.campaign.forms import (
    DriveForm,
    MeetingForm,
    OutcomeForm,
    PlanCreateForm,
    PlanOrdersForm,
    PlanRunForm,
    TargetsForm,
)
from grassroots.web.campaign.models import PlanRule, PlanRun, RunKind, VotePlan
from grassroots.web.elections.models import ForecastStatus
from grassroots.web.errors import DomainError
from grassroots.web.forms_flow import form_data, form_status, handle_action, handle_form
from grassroots.web.people.access import acting_user


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@login_required
def campaign_index(request: HttpRequest) -> HttpResponse:
    """Every drive and plan; start a drive (POST)."""
    access.organiser_check(request.user)
    form = DriveForm(form_data(request))
    if done := handle_form(
        request,
        form,
        lambda data: services.drive_create(actor=acting_user(request), **data),
        success="The drive is started: now set its target CLPs.",
        redirect_to=lambda drive: reverse("campaign:drive_targets", args=[drive.pk]),
    ):
        return done
    context = {
        "drives": selectors.drive_list(),
        "plans": selectors.plan_list(),
        "form": form,
    }
    return render(request, "campaign/index.html", context, status=form_status(form))


@login_required
def drive_detail(request: HttpRequest, drive_id: int) -> HttpResponse:
    """The tracker of a drive's target CLPs, by region, the to-do list and reports to check."""
    drive = access.drive_for_organiser(request.user, drive_id)
    today = timezone.localdate()
    rows = selectors.target_status_list(drive=drive)
    context = {
        "drive": drive,
        "rows": rows,
        "regions": selectors.region_summary(rows=rows, today=today),
        "todo": selectors.todo_list(rows=rows, today=today),
        "reports": selectors.report_list_pending(drive=drive),
        "slate_names": selectors.slate_candidate_names(drive=drive),
        "today": today,
    }
    return render(request, "campaign/drive_detail.html", context)


@login_required
def drive_targets(request: HttpRequest, drive_id: int) -> HttpResponse:
    """Set the drive's target CLPs: every CLP, by region, or picked."""
    drive = access.drive_for_organiser(request.user, drive_id)
    form = TargetsForm(form_data(request), regions=selectors.region_list())
    if done := handle_form(
        request,
        form,
        lambda data: services.drive_targets_set(
            actor=acting_user(request), drive=drive, clps=data["targets"]
        ),
        success=lambda n: f"The drive targets {n} CLP{'s' if n != 1 else ''}.",
        redirect_to=reverse("campaign:drive_detail", args=[drive.pk]),
    ):
        return done
    context = {"drive": drive, "form": form, "target_count": drive.targets.count()}
    return render(request, "campaign/drive_targets.html", context, status=form_status(form))


@login_required
@require_POST
def report_confirm(request: HttpRequest, drive_id: int, report_id: int) -> HttpResponse:
    report = access.report_for_organiser(request.user, drive_id, report_id)
    return handle_action(
        request,
        lambda: services.outcome_confirm(actor=acting_user(request), report=report),
        success=f"Confirmed: {report.clp.name}'s nominations are in the tracker.",
        redirect_to=reverse("campaign:drive_detail", args=[drive_id]),
    )


@login_required
@require_POST
def report_reject(request: HttpRequest, drive_id: int, report_id: int) -> HttpResponse:
    report = access.report_for_organiser(request.user, drive_id, report_id)
    return handle_action(
        request,
        lambda: services.outcome_reject(actor=acting_user(request), report=report),
        success=f"The report from {report.clp.name} is set aside; it does not count.",
        redirect_to=reverse("campaign:drive_detail", args=[drive_id]),
    )


@login_required
@require_POST
def volunteer(request: HttpRequest, drive_id: int) -> HttpResponse:
    """Offer to move the slate's nomination at one's CLP (or, with ``withdraw``, take the
    offer back)."""
    drive, supporter = access.drive_for_supporter(request.user, drive_id)
    actor = acting_user(request)
    if request.POST.get("withdraw"):
        services.volunteer_withdraw(actor=actor, drive=drive)
        messages.success(request, "You are no longer down to move the nomination.")
        return redirect("dashboard")
    return handle_action(
        request,
        lambda: services.volunteer_add(actor=actor, supporter=supporter, drive=drive),
        success=f"Thank you: you are down to move {drive.slate.name}'s nomination at "
        f"{supporter.constituency.name}'s meeting.",
        redirect_to=reverse("dashboard"),
    )


@login_required
def meeting_record(request: HttpRequest, drive_id: int) -> HttpResponse:
    """Record the date of one's CLP's nomination meeting."""
    drive, supporter = access.drive_for_supporter(request.user, drive_id)
    form = MeetingForm(form_data(request))
    if done := handle_form(
        request,
        form,
        lambda data: services.meeting_record(
            actor=acting_user(request), supporter=supporter, drive=drive, **data
        ),
        success=lambda m: f"Thank you: {m.clp.name} meets on {m.meets_on:%-d %B %Y}.",
        redirect_to=reverse("dashboard"),
    ):
        return done
    context = {"drive": drive, "clp": supporter.constituency, "form": form}
    return render(request, "campaign/meeting_form.html", context, status=form_status(form))


@login_required
def outcome_report(request: HttpRequest, drive_id: int) -> HttpResponse:
    """Report whom one's CLP nominated; it counts once an organiser confirms it."""
    drive, supporter = access.drive_for_supporter(request.user, drive_id)
    form = OutcomeForm(form_data(request), section=drive.section)
    if done := handle_form(
        request,
        form,
        lambda data: services.outcome_report(
            actor=acting_user(request),
            supporter=supporter,
            drive=drive,
            met_on=data["met_on"],
            source=data["source"],
            nominees=form.nominees(),
        ),
        success="Thank you: an organiser will check your report before it counts.",
        redirect_to=reverse("dashboard"),
    ):
        return done
    context = {"drive": drive, "clp": supporter.constituency, "form": form}
    return render(request, "campaign/outcome_form.html", context, status=form_status(form))


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    access.organiser_check(request.user)
    form = PlanCreateForm(form_data(request), initial={"rule": PlanRule.REGION})
    if done := handle_form(
        request,
        form,
        lambda data: services.plan_create(actor=acting_user(request), **data),
        success="The plan is made: set each group's order.",
        redirect_to=lambda plan: reverse("campaign:plan_detail", args=[plan.pk]),
    ):
        return done
    return render(request, "campaign/plan_create.html", {"form": form}, status=form_status(form))


def _plan_context(plan: VotePlan) -> dict[str, Any]:
    context: dict[str, Any] = {"plan": plan, "groups": list(plan.groups.all())}
    try:
        context["first_preferences"] = plan_runs.first_preferences(plan=plan)
    except DomainError as err:
        context["plan_error"] = err.message
    context["run_form"] = PlanRunForm(
        initial={"follow": plan.follow, "runs": plan_runs.DEFAULT_RUNS}
    )
    context["runs"] = list(plan.runs.all()[:10])
    return context


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A plan: its groups and their orders (to change), the expected first preferences, and
    the forms to evaluate it, search for a better one and publish it."""
    plan = access.plan_for_organiser(request.user, plan_id)
    names = selectors.slate_candidate_names(drive=plan)
    form = PlanOrdersForm(
        form_data(request),
        groups=list(plan.groups.all()),
        names=names,
        initial={"follow": plan.follow},
    )
    if done := handle_form(
        request,
        form,
        lambda data: services.plan_orders_set(
            actor=acting_user(request), plan=plan, orders=form.orders(), follow=data["follow"]
        ),
        success="The orders are saved.",
        redirect_to=reverse("campaign:plan_detail", args=[plan.pk]),
    ):
        return done
    context = {**_plan_context(plan), "form": form}
    return render(request, "campaign/plan_detail.html", context, status=form_status(form))


@login_required
@require_POST
def plan_run_request(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Queue an evaluation or a search of the plan and go to its page (303)."""
    plan = access.plan_for_organiser(request.user, plan_id)
    form = PlanRunForm(request.POST)
    kind = request.POST.get("kind", RunKind.EVALUATE)
    if kind not in RunKind.values:
        kind = RunKind.EVALUATE
    if form.is_valid():
        try:
            run = plan_runs.plan_run_request(
                plan=plan,
                kind=kind,
                follow=form.cleaned_data["follow"],
                runs=form.cleaned_data["runs"],
                by=acting_user(request),
            )
        except DomainError as err:
            messages.error(request, err.message)
            return redirect("campaign:plan_detail", plan.pk)
        url = reverse("campaign:plan_run", args=[plan.pk, run.pk])
        return HttpResponseRedirect(url, status=303)
    for error in form.errors.values():
        messages.error(request, " ".join(str(e) for e in error))
    return redirect("campaign:plan_detail", plan.pk)


def _run_context(run: PlanRun) -> dict[str, Any]:
    args = [run.plan_id, run.pk]
    return {
        "run": run,
        "run_active": run.status in (ForecastStatus.QUEUED, ForecastStatus.RUNNING),
        "run_url": reverse("campaign:plan_run", args=args),
        "progress_url": reverse("campaign:plan_run_progress", args=args),
    }


@login_required
def plan_run_detail(request: HttpRequest, plan_id: int, run_id: int) -> HttpResponse:
    """A run's progress while the worker runs it, then its result."""
    run = access.plan_run_for_organiser(request.user, plan_id, run_id)
    context = {"plan": run.plan, **_run_context(run)}
    if run.status == ForecastStatus.DONE and run.result:
        context.update(plan_runs.result_context(run))
    return render(request, "campaign/plan_run.html", context)


@login_required
def plan_run_progress(request: HttpRequest, plan_id: int, run_id: int) -> HttpResponse:
    """The progress bar alone, polled by the run's page; once over, it reloads the page."""
    run = access.plan_run_for_organiser(request.user, plan_id, run_id)
    context = _run_context(run)
    response = render(request, "campaign/run_progress.html", context)
    if not context["run_active"]:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def plan_run_apply(request: HttpRequest, plan_id: int, run_id: int) -> HttpResponse:
    """Use a finished search's orders for the plan."""
    run = access.plan_run_for_organiser(request.user, plan_id, run_id)
    url = reverse("campaign:plan_detail", args=[plan_id])

    def apply() -> None:
        if run.kind != RunKind.SEARCH or run.status != ForecastStatus.DONE or not run.result:
            raise DomainError("Only a finished search's orders can be used.")
        found = run.result["plan"]
        services.plan_search_apply(
            actor=acting_user(request),
            plan=run.plan,
            orders={g["name"]: g["order"] for g in found["groups"]},
            explanation=run.result.get("explanation", ""),
        )

    return handle_action(
        request, apply, success="The plan now uses the search's orders.", redirect_to=url
    )


@login_required
@require_POST
def plan_publish(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Publish the plan to supporters: their dashboards, and an email to each."""
    plan = access.plan_for_organiser(request.user, plan_id)
    return handle_action(
        request,
        lambda: services.plan_publish(
            actor=acting_user(request), plan=plan, site_url=_site_url(request)
        ),
        success="The plan is published: supporters see their order on their dashboard, and "
        "those who agreed to hear from the alliance are being emailed it.",
        redirect_to=reverse("campaign:plan_detail", args=[plan.pk]),
    )
