from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest

from grassroots.web.audit.admin_audited import AuditedAdmin
from grassroots.web.people.models import Consent, Supporter, User
from grassroots.web.people.services import person_erase

# Roles are groups, given and taken on the site's roles page (/organise/roles/), which audits
# every change. The admin shows them but cannot change them, nor the groups themselves.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(AuditedAdmin[User]):
    """Accounts: name, email and whether active, audited like the site's own changes."""

    object_type = "user"
    list_display = ("email", "name", "is_staff", "is_active", "date_joined")
    search_fields = ("email", "name")
    fields = ("email", "name", "is_active", "roles", "is_staff", "is_superuser", "date_joined")
    readonly_fields = ("roles", "is_staff", "is_superuser", "date_joined")
    actions = ("erase",)

    @admin.display(description="roles (change them on the site's roles page)")
    def roles(self, obj: User) -> str:
        return ", ".join(sorted(obj.groups.values_list("name", flat=True))) or "—"

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # A deleted account leaves no audit row and keeps its links: a data request goes
        # through the erase action, which unlinks the person from the ballots, the alliance
        # and the audit log before deleting the account; roles are taken on the roles page.
        return False

    @admin.action(description="Erase the selected accounts and all their data")
    def erase(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = request.user if isinstance(request.user, User) else None
        erased = 0
        for person in queryset:
            person_erase(person=person, actor=actor)
            erased += 1
        self.message_user(request, f"Erased {erased} account(s) and their data.")


class ConsentInline(admin.TabularInline[Consent, Supporter]):
    model = Consent
    extra = 0
    readonly_fields = ("kind", "wording", "given_at", "withdrawn_at")
    can_delete = False


@admin.register(Supporter)
class SupporterAdmin(AuditedAdmin[Supporter]):
    """Supporter records (CLP, membership): every change is audited, naming the fields
    changed, never their values; the key is the person's, so their erasure forgets it."""

    object_type = "supporter"
    list_display = ("user", "constituency", "membership", "joined_at", "email_verified_at")
    list_filter = ("membership", "constituency__region")
    list_select_related = ("user", "constituency")
    inlines = (ConsentInline,)
    raw_id_fields = ("user", "constituency")
    readonly_fields = ("joined_at",)  # when they signed the appeal is a fact, not a setting
    actions = ("erase",)

    def has_delete_permission(self, request: HttpRequest, obj: Supporter | None = None) -> bool:
        # Deleting the supporter row alone would leave their account (name, email): a data
        # request goes through the erase action, which removes everything and audits it.
        return False

    @admin.action(description="Erase the selected supporters and all their data")
    def erase(self, request: HttpRequest, queryset: QuerySet[Supporter]) -> None:
        actor = request.user if isinstance(request.user, User) else None
        erased = 0
        for supporter in queryset.select_related("user"):
            person_erase(person=supporter.user, actor=actor)
            erased += 1
        self.message_user(request, f"Erased {erased} supporter(s) and their data.")
