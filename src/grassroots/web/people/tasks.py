"""People's background tasks, run by the worker (``grassroots worker``)."""

from __future__ import annotations

from django_tasks import TaskContext, task

from grassroots.web.people.services import login_link_email_queue


@task(takes_context=True)
def login_link_email(context: TaskContext, email: str, site_url: str) -> None:
    """Email a login link to ``email`` if it has an active account (``login_link_send``)."""
    login_link_email_queue(email=email, site_url=site_url, key=f"login:{context.task_result.id}")
