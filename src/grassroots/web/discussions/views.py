"""Discussion pages: each checks access, validates a form, calls one service, and renders or
redirects."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.web.ballots.models import Electorate, Method
from grassroots.web.discussions import access, selectors, services
from grassroots.web.discussions.conduct import CODE_OF_CONDUCT
from grassroots.web.discussions.forms import (
    ConductForm,
    NotificationForm,
    ProposalForm,
    ReplyForm,
    ReportForm,
    SuspendForm,
    ThreadForm,
)
from grassroots.web.discussions.models import Thread
from grassroots.web.discussions.spaces import (
    is_global_moderator,
    space_list_moderated,
    space_list_readable,
    space_moderated,
    space_of_thread,
)
from grassroots.web.errors import DomainError
from grassroots.web.forms_flow import form_data, form_status, handle_action, handle_form
from grassroots.web.people.access import acting_user


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _page(request: HttpRequest, items: QuerySet[Any], per_page: int) -> Page[Any]:
    """The page the address asks for; ``?page=last`` (the emails' links) is the last."""
    paginator = Paginator(items, per_page)
    number = request.GET.get("page")
    return paginator.get_page(paginator.num_pages if number == "last" else number)


def _writer_state(request: HttpRequest) -> dict[str, Any]:
    person = acting_user(request)
    return {
        "conduct_accepted": selectors.conduct_accepted(person=person),
        "suspension": selectors.suspension_current(person=person),
    }


@login_required
def discussion_index(request: HttpRequest) -> HttpResponse:
    """The spaces the viewer reads, posts that mention them, and their notification choice."""
    person = access.discussions_for_person(request.user)
    return render(
        request,
        "discussions/index.html",
        {
            "spaces": space_list_readable(person),
            "mentions": selectors.mention_list(person=person),
            "notification_form": NotificationForm(
                initial={"frequency": selectors.frequency_of(person=person)}
            ),
            "moderates": space_list_moderated(person) != [],
            **_writer_state(request),
        },
    )


@login_required
@require_POST
def notification_change(request: HttpRequest) -> HttpResponse:
    person = access.discussions_for_reader(request.user)
    form = NotificationForm(request.POST)
    if done := handle_form(
        request,
        form,
        lambda data: services.notification_choose(person=person, frequency=data["frequency"]),
        success="Your choice of discussion emails is saved.",
        redirect_to=reverse("discussions:index"),
    ):
        return done
    return redirect("discussions:index")


@login_required
def conduct(request: HttpRequest) -> HttpResponse:
    """The code of conduct, accepted once before writing."""
    person = access.discussions_for_reader(request.user)
    form = ConductForm(form_data(request))
    back = request.GET.get("next", "")
    target = back if back.startswith("/discussions/") else reverse("discussions:index")
    if done := handle_form(
        request,
        form,
        lambda data: services.conduct_accept(person=person),
        success="Thank you: you may now write in discussions.",
        redirect_to=target,
    ):
        return done
    return render(
        request,
        "discussions/conduct.html",
        {
            "form": form,
            "wording": CODE_OF_CONDUCT,
            "accepted": selectors.conduct_accepted(person=person),
        },
        status=form_status(form),
    )


@login_required
def space_detail(request: HttpRequest, space: str) -> HttpResponse:
    found = access.space_for_reader(request.user, space)
    page = _page(request, selectors.thread_list(space=found), selectors.THREADS_PER_PAGE)
    return render(
        request,
        "discussions/space.html",
        {"space": found, "page": page, **_writer_state(request)},
    )


@login_required
def thread_new(request: HttpRequest, space: str) -> HttpResponse:
    found = access.space_for_reader(request.user, space)
    form = ThreadForm(form_data(request))
    if done := handle_form(
        request,
        form,
        lambda data: services.thread_start(
            author=acting_user(request),
            space=found,
            title=data["title"],
            body=data["body"],
            site_url=_site_url(request),
        ),
        success="Your thread is started.",
        redirect_to=lambda thread: reverse("discussions:thread", args=[thread.pk]),
    ):
        return done
    return render(
        request,
        "discussions/thread_new.html",
        {"space": found, "form": form, **_writer_state(request)},
        status=form_status(form),
    )


def _thread_render(
    request: HttpRequest, thread: Thread, form: ReplyForm, *, status: int = 200
) -> HttpResponse:
    page = _page(request, selectors.post_list(thread=thread), selectors.POSTS_PER_PAGE)
    return render(
        request,
        "discussions/thread.html",
        {
            "thread": thread,
            "space": space_of_thread(thread),
            "page": page,
            "form": form,
            "moderator": space_moderated(request.user, space_of_thread(thread)),
            "may_propose": access.may_propose(request.user),
            **_writer_state(request),
        },
        status=status,
    )


@login_required
def thread_detail(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = access.thread_for_reader(request.user, thread_id)
    return _thread_render(request, thread, ReplyForm())


@login_required
@require_POST
def reply(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = access.thread_for_reader(request.user, thread_id)
    form = ReplyForm(request.POST)
    if done := handle_form(
        request,
        form,
        lambda data: services.post_reply(
            author=acting_user(request),
            thread=thread,
            body=data["body"],
            site_url=_site_url(request),
        ),
        success="Your reply is posted.",
        redirect_to=lambda post: (
            reverse("discussions:thread", args=[thread.pk]) + f"?page=last#post-{post.pk}"
        ),
    ):
        return done
    return _thread_render(request, thread, form, status=400)


@login_required
@require_POST
def thread_lock(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = access.thread_for_moderator(request.user, thread_id)
    locked = request.POST.get("action") != "unlock"
    return handle_action(
        request,
        lambda: services.thread_lock(moderator=acting_user(request), thread=thread, locked=locked),
        success="The thread is locked." if locked else "The thread is open for replies again.",
        redirect_to=reverse("discussions:thread", args=[thread.pk]),
    )


@login_required
def thread_propose(request: HttpRequest, thread_id: int) -> HttpResponse:
    """An organiser turns the thread into a draft ballot, the form filled from the thread."""
    thread = access.thread_for_proposer(request.user, thread_id)
    thread_url = request.build_absolute_uri(reverse("discussions:thread", args=[thread.pk]))
    form = ProposalForm(form_data(request), thread=thread, thread_url=thread_url)
    if thread.ballot_id is None and (
        done := handle_form(
            request,
            form,
            lambda data: services.thread_propose(
                actor=acting_user(request),
                thread=thread,
                options=data["options"],
                ballot={
                    "slug": data["slug"],
                    "question": data["question"],
                    "description": data["description"],
                    "opens_at": data["opens_at"],
                    "closes_at": data["closes_at"],
                    "method": Method(data["method"]),
                    "rule": data["rule"],
                    "seats": data["seats"],
                    "quotas": data["quotas"],
                    "electorate": Electorate(data["electorate"]),
                    "organisations": data["organisations"],
                    "publish_receipts_with_rankings": data["publish_receipts_with_rankings"],
                    "statements": data["statements"],
                    "email_receipts": data["email_receipts"],
                },
            ),
            success="The proposal is saved as a draft ballot; open it when ready.",
            redirect_to=lambda ballot: reverse("ballots:manage", args=[ballot.slug]),
        )
    ):
        return done
    return render(
        request,
        "discussions/proposal.html",
        {"thread": thread, "form": form},
        status=form_status(form),
    )


@login_required
def post_report(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access.post_for_reader(request.user, post_id)
    form = ReportForm(form_data(request))
    back = reverse("discussions:thread", args=[post.thread_id])
    if done := handle_form(
        request,
        form,
        lambda data: services.post_report(
            reporter=acting_user(request), post=post, reason=data["reason"]
        ),
        success="Thank you: the moderators will look at this post.",
        redirect_to=back,
    ):
        return done
    return render(
        request,
        "discussions/report.html",
        {"post": post, "form": form, "back": back},
        status=form_status(form),
    )


@login_required
@require_POST
def post_hide(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access.post_for_moderator(request.user, post_id)
    moderator = acting_user(request)
    unhide = request.POST.get("action") == "unhide"
    back = request.POST.get("next", "")
    return handle_action(
        request,
        (lambda: services.post_unhide(moderator=moderator, post=post))
        if unhide
        else (lambda: services.post_hide(moderator=moderator, post=post)),
        success="The post is shown again." if unhide else "The post is hidden.",
        redirect_to=back
        if back == reverse("discussions:moderation")
        else reverse("discussions:thread", args=[post.thread_id]),
    )


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    """Open reports in the spaces the viewer moderates; suspensions for global moderators."""
    moderator = access.moderation_for_moderator(request.user)
    everywhere = is_global_moderator(moderator)
    return render(
        request,
        "discussions/moderation.html",
        {
            "reports": list(selectors.report_queue(moderator=moderator)),
            "suspensions": list(selectors.suspension_list_current()) if everywhere else [],
            "may_suspend": everywhere,
            "suspend_form": SuspendForm(),
        },
    )


@login_required
@require_POST
def report_dismiss(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access.report_for_moderator(request.user, report_id)
    return handle_action(
        request,
        lambda: services.report_dismiss(moderator=acting_user(request), report=report),
        success="The report is dismissed; the post stays.",
        redirect_to=reverse("discussions:moderation"),
    )


@login_required
@require_POST
def member_suspend(request: HttpRequest, report_id: int) -> HttpResponse:
    """Suspend the author of a reported post from every space."""
    report = access.report_for_suspender(request.user, report_id)
    form = SuspendForm(request.POST)
    author = report.post.author

    def suspend() -> object:
        if author is None:
            raise DomainError("The author erased their data: there is nobody to suspend.")
        if not form.is_valid():
            raise DomainError("Give the day the suspension ends as a date, or leave it empty.")
        return services.member_suspend(
            moderator=acting_user(request), person=author, ends_at=form.cleaned_data["ends_on"]
        )

    return handle_action(
        request,
        suspend,
        success="The author is suspended from discussions.",
        redirect_to=reverse("discussions:moderation"),
    )


@login_required
@require_POST
def suspension_lift(request: HttpRequest, suspension_id: int) -> HttpResponse:
    suspension = access.suspension_for_moderator(request.user, suspension_id)
    return handle_action(
        request,
        lambda: services.suspension_lift(moderator=acting_user(request), suspension=suspension),
        success="The suspension is lifted.",
        redirect_to=reverse("discussions:moderation"),
    )
