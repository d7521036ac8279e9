"""Fixtures for the site's tests: real constituencies (loaded by migration) and factories."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache

from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role
from tests.web.factories import role_holder_create, supporter_create


@pytest.fixture(autouse=True)
def _cache_cleared() -> None:
    """Each test starts with an empty cache, so rate-limit counts never carry over."""
    cache.clear()


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
