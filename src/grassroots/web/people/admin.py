from __future__ import annotations

from django.contrib import admin

from grassroots.web.people.models import Consent, Supporter, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ("email", "name", "is_staff", "is_active", "date_joined")
    search_fields = ("email", "name")
    filter_horizontal = ("groups",)
    exclude = ("password", "user_permissions")


class ConsentInline(admin.TabularInline[Consent, Supporter]):
    model = Consent
    extra = 0
    readonly_fields = ("kind", "wording", "given_at", "withdrawn_at")
    can_delete = False


@admin.register(Supporter)
class SupporterAdmin(admin.ModelAdmin[Supporter]):
    list_display = ("user", "constituency", "membership", "joined_at", "email_verified_at")
    list_filter = ("membership", "constituency__region")
    list_select_related = ("user", "constituency")
    inlines = (ConsentInline,)
    raw_id_fields = ("user", "constituency")
