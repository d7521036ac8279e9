"""Fixtures for the site's tests: real constituencies (loaded by migration) and factories."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache

from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role
from tests.web.factories import role_holder_create, supporter_create

TASKS_RUN_AT_ONCE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _cache_cleared() -> None:
    """Each test starts with an empty cache, so rate-limit counts never carry over."""
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: Any) -> None:
    """Queued tasks run at once, in the request (Django's immediate task backend), so a test
    reads ``mail.outbox`` right after the request. The worker's own tests
    (test_mail_worker.py) put the database queue back and run the real worker."""
    settings.TASKS = TASKS_RUN_AT_ONCE


@pytest.fixture
def clp(db: None) -> Constituency:
    return Constituency.objects.get(name="Leeds Central and Headingley")


@pytest.fixture
def other_clp(db: None) -> Constituency:
    return Constituency.objects.get(name="Cardiff East")


@pytest.fixture
def make_supporter(db: None) -> Callable[..., Supporter]:
    return supporter_create


@pytest.fixture
def make_role_holder(db: None) -> Callable[[Role], User]:
    return role_holder_create
