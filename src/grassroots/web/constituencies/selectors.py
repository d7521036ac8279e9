"""Reading constituencies."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from grassroots.web.constituencies.models import Constituency


def constituency_list(
    *, query: str = "", nation: str = "", region: str = ""
) -> QuerySet[Constituency]:
    """CLPs (Northern Ireland excluded) matching a name fragment, nation and region, by name."""
    clps = Constituency.objects.with_clp()
    if query:
        clps = clps.filter(Q(name__icontains=query) | Q(name_cy__icontains=query))
    if nation:
        clps = clps.filter(nation=nation)
    if region:
        clps = clps.filter(region=region)
    return clps.order_by("name")


NAME_LONGEST = Constituency._meta.get_field("name").max_length or 100


def constituency_get_by_name(*, name: str) -> Constituency | None:
    """The CLP with this name or GSS code, ignoring case; None if there is none."""
    name = name.strip()
    if len(name) > NAME_LONGEST:
        # No CLP has a longer name, and SQLite refuses a LIKE pattern past 50,000 characters.
        return None
    return (
        Constituency.objects.with_clp()
        .filter(Q(name__iexact=name) | Q(gss_code__iexact=name))
        .first()
    )


def constituency_choices() -> list[str]:
    """CLP names for a picker, in order."""
    return list(Constituency.objects.with_clp().order_by("name").values_list("name", flat=True))


def nation_list() -> list[str]:
    return list(
        Constituency.objects.with_clp()
        .order_by("nation")
        .values_list("nation", flat=True)
        .distinct()
    )


def region_list() -> list[str]:
    return list(
        Constituency.objects.with_clp()
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )
