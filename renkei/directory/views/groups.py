"""The secretariat's group pages: groups, their members, and a person's place in one."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from renkei.accounts.permissions import Capability
from renkei.core.refusals import refusal_flashed, refusal_on
from renkei.directory import forms, selectors, services
from renkei.directory.models import Group
from renkei.directory.permissions import get_person_for, require
from renkei.directory.views.common import form_errors_text, manage_page


@require_POST
def manage_person_group(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a person to a group with a role and term."""
    require(request.user, Capability.MANAGE_DIRECTORY)
    person = get_person_for(request.user, pk)
    form = forms.GroupPersonForm(request.POST)
    if form.is_valid():
        group = form.cleaned_data["group"]
        with refusal_flashed(request):
            # The form's fields (group, role, term) are the service's keywords.
            services.group_member_add(
                person=person, by=request.user, request=request, **form.cleaned_data
            )
            messages.success(request, f"{person.name} さんを {group.name} に追加しました。")
    else:
        messages.error(request, "入力内容に誤りがあります: " + form_errors_text(form))
    return redirect("directory:person_detail", pk=pk)


def manage_groups(request: HttpRequest) -> HttpResponse:
    """List groups and create new ones."""
    require(request.user, Capability.MANAGE_DIRECTORY)
    form = forms.GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = services.group_save(group=form.save(commit=False), by=request.user, request=request)
        messages.success(request, f"グループ「{group.name}」を作成しました。")
        return redirect("directory:manage_group", pk=group.pk)
    return manage_page(
        request,
        "directory/manage/groups.html",
        {"groups": selectors.groups_with_counts(), "form": form},
        ("グループ", None),
    )


def manage_group(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a group's members and add organizations to it."""
    require(request.user, Capability.MANAGE_DIRECTORY)
    group = get_object_or_404(Group, pk=pk)
    form = forms.GroupOrganizationForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "remove":
        member_id = request.POST.get("member", "")
        with refusal_flashed(request):
            services.group_member_remove(
                group=group,
                member_id=int(member_id) if member_id.isdigit() else 0,
                by=request.user,
                request=request,
            )
            messages.success(request, "構成員を外しました。")
        return redirect("directory:manage_group", pk=pk)
    if request.method == "POST" and form.is_valid():
        organization = form.cleaned_data["organization"]
        with refusal_on(form):
            # The form's fields (organization, role, term) are the service's keywords.
            services.group_member_add(
                group=group, by=request.user, request=request, **form.cleaned_data
            )
            messages.success(request, f"{organization.name} を追加しました。")
            return redirect("directory:manage_group", pk=pk)
    return manage_page(
        request,
        "directory/manage/group.html",
        {"group": group, "members": selectors.group_members(group=group), "form": form},
        ("グループ", reverse("directory:manage_groups")),
        (group.name, None),
    )
