"""The roles page: an administrator sees who holds which role, and grants or takes one away
after confirming; every change is audited (``people.role_services``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.web.forms_flow import handle_form
from grassroots.web.people import role_services
from grassroots.web.people.access import roles_for_administrator
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role

CHANGES = {"grant": "Give", "revoke": "Take away"}


class RoleChangeForm(forms.Form):
    """One change: an account (by email), a role, grant or revoke; ``confirmed`` once the
    administrator has seen the confirmation page."""

    email = forms.EmailField(label="Email of the account")
    role = forms.ChoiceField(
        label="Role", choices=[(role.value, role.value) for role in role_services.PAGE_ROLES]
    )
    change = forms.ChoiceField(choices=list(CHANGES.items()), widget=forms.HiddenInput)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        try:
            return User.objects.get(email__iexact=email)
        except User.DoesNotExist:
            raise forms.ValidationError(f"No account has the email {email}.") from None


def _holders() -> list[tuple[User, list[Role]]]:
    return [(user, role_services.role_names(user)) for user in role_services.role_holder_list()]


@login_required
def role_list(request: HttpRequest) -> HttpResponse:
    """Who holds which role, with a form to grant one."""
    roles_for_administrator(request.user)
    form = RoleChangeForm(initial={"change": "grant"})
    return _list(request, form)


def _list(request: HttpRequest, form: RoleChangeForm, status: int = 200) -> HttpResponse:
    context = {"holders": _holders(), "form": form, "page_roles": role_services.PAGE_ROLES}
    return render(request, "people/roles.html", context, status=status)


@login_required
@require_POST
def role_change(request: HttpRequest) -> HttpResponse:
    """Grant or take away a role: first a confirmation page, then the change."""
    actor = roles_for_administrator(request.user)
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        return _list(request, form, status=400)
    user: User = form.cleaned_data["email"]
    role = Role(form.cleaned_data["role"])
    change = form.cleaned_data["change"]
    if not form.cleaned_data["confirmed"]:
        context = {
            "account": user,
            "role": role,
            "role_phrase": role_services.role_with_article(role),
            "change": change,
            "verb": CHANGES[change],
        }
        return render(request, "people/role_confirm.html", context)
    service = (
        role_services.account_role_grant if change == "grant" else role_services.account_role_revoke
    )
    now = "is now" if change == "grant" else "is no longer"
    if done := handle_form(
        request,
        form,
        lambda _data: service(actor=actor, user=user, role=role),
        success=f"{user.email} {now} {role.value}.",
        redirect_to=reverse("people:role_list"),
    ):
        return done
    return _list(request, form, status=400)
