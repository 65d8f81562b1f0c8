"""Directory pages: organizations, people, membership status, and the secretariat's desk."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from renkei.accounts.models import Role, User
from renkei.accounts.permissions import Capability, has_capability
from renkei.accounts.services import user_set_active, user_set_role
from renkei.core.refusals import refusal_flashed, refusal_on
from renkei.directory import forms, selectors, services
from renkei.directory.models import Group, Invitation, Organization
from renkei.directory.permissions import (
    ORGANIZATION_MANAGED_ROLES,
    can_manage_staff_of,
    can_view_contacts,
    get_leaving_person_for,
    get_managed_organization_for,
    get_managed_person_for,
    get_managed_user_for,
    get_organization_for,
    get_person_for,
    require,
    visible_people,
)
from renkei.directory.prefectures import PREFECTURES

# Rows per page of the directory lists: enough to scan, small enough to render quickly.
PAGE_SIZE = 30


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("ホーム", reverse("home")), *items]


def _manage_page(
    request: HttpRequest, template: str, context: dict[str, Any], *trail: tuple[str, str | None]
) -> HttpResponse:
    """Render a page of the secretariat's menu with the given breadcrumbs."""
    return render(request, template, {**context, "nav": "manage", "breadcrumbs": _crumbs(*trail)})


def organization_list(request: HttpRequest) -> HttpResponse:
    """List organizations with filters and search."""
    require(request.user, Capability.VIEW_DIRECTORY)
    form = forms.OrganizationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organizations = selectors.organization_search(
        q=filters.get("q", ""),
        prefecture_code=filters.get("prefecture", ""),
        kind=filters.get("kind", ""),
        membership=filters.get("membership", ""),
    )
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/organization_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "prefectures": PREFECTURES,
            "nav": "directory",
            "breadcrumbs": _crumbs(("団体名簿", None)),
        },
    )


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an organization, its membership history and (to members) its staff."""
    organization = get_organization_for(request.user, pk)
    show_contacts = can_view_contacts(request.user)
    return render(
        request,
        "directory/organization_detail.html",
        {
            "organization": organization,
            "prefecture": PREFECTURES.get(organization.prefecture_code, ""),
            "memberships": organization.memberships.order_by("-joined_on"),
            "staff": selectors.organization_staff(organization=organization)
            if show_contacts
            else [],
            "posts": selectors.organization_posts(organization=organization)
            if show_contacts
            else [],
            "show_contacts": show_contacts,
            "can_manage_staff": can_manage_staff_of(request.user, organization),
            "predecessors": organization.predecessors.all(),
            "nav": "directory",
            "breadcrumbs": _crumbs(
                ("団体名簿", reverse("directory:organization_list")), (organization.name, None)
            ),
        },
    )


def person_list(request: HttpRequest) -> HttpResponse:
    """Search people across member organizations (members only)."""
    people = visible_people(request.user)
    form = forms.PersonSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    searched = bool(filters.get("q") or filters.get("prefecture"))
    results = selectors.people_search(
        people=people, q=filters.get("q", ""), prefecture_code=filters.get("prefecture", "")
    )
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page")) if searched else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/person_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "nav": "people",
            "breadcrumbs": _crumbs(("人員検索", None)),
        },
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a person's contacts, post history and groups."""
    person = get_person_for(request.user, pk)
    manages_directory = has_capability(request.user, Capability.MANAGE_DIRECTORY)
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "history": selectors.person_history(person=person),
            "groups": person.group_memberships.select_related("group"),
            "role_form": forms.RoleForm(initial={"role": person.user.role})
            if person.user
            else None,
            "group_form": forms.GroupPersonForm() if manages_directory else None,
            "nav": "people",
            "breadcrumbs": _crumbs(
                ("人員検索", reverse("directory:person_list")), (person.name, None)
            ),
        },
    )


def membership_status(request: HttpRequest) -> HttpResponse:
    """Show the council's membership on a date: totals by kind and a table by prefecture."""
    require(request.user, Capability.VIEW_DIRECTORY)
    form = forms.MembershipDateForm(request.GET or None)
    on = (form.cleaned_data.get("on") if form.is_valid() else None) or timezone.localdate()
    return render(
        request,
        "directory/membership_status.html",
        {
            "form": form,
            "summary": selectors.membership_summary(on=on),
            "nav": "membership",
            "breadcrumbs": _crumbs(("会員状況", None)),
        },
    )


@require_http_methods(["GET", "POST"])
def organization_notification_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Show where the council's mail reaches an organization; change its shared mailbox."""
    organization = get_managed_organization_for(request.user, pk)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = forms.NotificationEmailForm(
        request.POST or None, initial={"notification_email": organization.notification_email}
    )
    if request.method == "POST" and form.is_valid():
        services.organization_notification_email_set(
            organization=organization,
            email=form.cleaned_data["notification_email"],
            by=request.user,
            request=request,
        )
        messages.success(request, f"{organization.name} の通知先を保存しました。")
        return redirect(next_url or reverse("directory:organization_notification", args=[pk]))
    return render(
        request,
        "directory/organization_notification.html",
        {
            "organization": organization,
            "form": form,
            "next": next_url,
            "recipients": selectors.notification_recipients(organization_ids=[organization.pk]),
            "posts": organization.posts.select_related("holder", "department"),
            "nav": "directory",
            "breadcrumbs": _crumbs(
                ("団体名簿", reverse("directory:organization_list")),
                (
                    organization.name,
                    reverse("directory:organization_detail", args=[organization.pk]),
                ),
                ("通知先", None),
            ),
        },
    )


def organization_staff_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Let an organization's representative (or the secretariat) invite and manage staff."""
    organization = get_managed_organization_for(request.user, pk)
    if has_capability(request.user, Capability.MANAGE_DIRECTORY):
        roles = list(Role.values)
    else:
        roles = list(ORGANIZATION_MANAGED_ROLES)
    form = forms.InvitationForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            services.invitation_create(
                organization=organization,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
                request=request,
            )
            messages.success(request, f"{form.cleaned_data['email']} に招待メールを送信しました。")
            return redirect("directory:organization_staff_manage", pk=organization.pk)
    return render(
        request,
        "directory/organization_staff_manage.html",
        {
            "organization": organization,
            "staff": selectors.organization_staff_managed(organization=organization),
            # The accounts this user may switch off (a 団体管理者: staff and administrators).
            "account_roles": roles,
            "invitations": selectors.invitations_pending(organization=organization),
            "contact_posts": [
                p for p in selectors.organization_posts(organization=organization) if p.is_contact
            ],
            "form": form,
            "nav": "directory",
            "breadcrumbs": _crumbs(
                ("団体名簿", reverse("directory:organization_list")),
                (
                    organization.name,
                    reverse("directory:organization_detail", args=[organization.pk]),
                ),
                ("職員の管理", None),
            ),
        },
    )


@require_POST
def user_set_active_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Reactivate a staff account, or deactivate it once the confirmation page was seen."""
    target = get_managed_user_for(request.user, pk)
    active = request.POST.get("active") == "1"
    if not active and request.POST.get("confirm") != "1":
        # 利用停止 is never one click: without the confirmation, show what it would do.
        return redirect("directory:user_deactivate", pk=target.pk)
    with refusal_flashed(request):
        user_set_active(user=target, active=active, by=request.user, request=request)
        messages.success(
            request,
            f"{target.get_full_name()} さんの利用を{'再開' if active else '停止'}しました。",
        )
    return redirect(_back(request, target))


def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Say what suspending an account does and ask for confirmation (the POST goes elsewhere)."""
    target = get_managed_user_for(request.user, pk)
    person = getattr(target, "person", None)
    posts = list(person.posts.select_related("department")) if person is not None else []
    return render(
        request,
        "directory/user_deactivate.html",
        {
            "target": target,
            "person": person,
            "posts": posts,
            "is_self": target.pk == request.user.pk,
            "next": request.GET.get("next", ""),
            "back_url": _back_from_person(request, target),
            "nav": "directory",
            "breadcrumbs": _staff_crumbs(person, "利用停止の確認")
            if person is not None and person.organization_id
            else _crumbs(("利用停止の確認", None)),
        },
    )


def _back_from_person(request: HttpRequest, target: User) -> str:
    person = getattr(target, "person", None)
    if request.GET.get("next") == "person" and person is not None:
        return reverse("directory:person_detail", args=[person.pk])
    if person is not None and person.organization_id:
        return reverse("directory:organization_staff_manage", args=[person.organization_id])
    return reverse("home")


# An organization administrator's staff pages -----------------------------------------------


def _staff_crumbs(person_or_org, label: str) -> list[tuple[str, str | None]]:
    organization = getattr(person_or_org, "organization", None) or person_or_org
    return _crumbs(
        ("団体名簿", reverse("directory:organization_list")),
        (organization.name, reverse("directory:organization_detail", args=[organization.pk])),
        ("職員の管理", reverse("directory:organization_staff_manage", args=[organization.pk])),
        (label, None),
    )


def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Let an organization administrator correct a colleague's department, title and contacts."""
    person = get_managed_person_for(request.user, pk)
    form = forms.StaffPersonForm(
        request.POST or None,
        initial={
            "department": person.department.name if person.department else "",
            "title": person.title,
            "email": person.email,
            "phone": person.phone,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on(form):
            services.person_update(
                person=person,
                department_name=data["department"],
                title=data["title"],
                email=data["email"],
                phone=data["phone"],
                by=request.user,
                request=request,
            )
            messages.success(request, f"{person.name} さんの登録内容を保存しました。")
            return redirect("directory:organization_staff_manage", pk=person.organization_id)
    return render(
        request,
        "directory/staff/person_edit.html",
        {
            "person": person,
            "form": form,
            "departments": person.organization.departments.order_by("name"),
            "nav": "directory",
            "breadcrumbs": _staff_crumbs(person, f"{person.name} さんの編集"),
        },
    )


def person_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a transfer inside the organization (人事異動) with its date."""
    person = get_managed_person_for(request.user, pk)
    form = forms.StaffTransferForm(
        request.POST or None,
        initial={
            "department": person.department.name if person.department else "",
            "title": person.title,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on(form, field="on"):
            services.person_transfer(
                person=person,
                organization=person.organization,
                department_name=data["department"],
                title=data["title"],
                on=data["on"],
                by=request.user,
                request=request,
            )
            messages.success(
                request,
                f"{person.name} さんの異動を登録しました。就いていた職は空席になりました。"
                "必要なら連絡窓口を選び直してください。",
            )
            return redirect("directory:organization_staff_manage", pk=person.organization_id)
    return render(
        request,
        "directory/staff/person_reassign.html",
        {
            "person": person,
            "form": form,
            "posts": list(person.posts.all()),
            "history": selectors.person_history(person=person)[:5],
            "departments": person.organization.departments.order_by("name"),
            "nav": "directory",
            "breadcrumbs": _staff_crumbs(person, f"{person.name} さんの人事異動"),
        },
    )


def person_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a person left (離任・退職): a date, then a confirmation naming what ends."""
    person = get_leaving_person_for(request.user, pk)
    form = forms.LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") == "1":
            organization_id = person.organization_id
            with refusal_on(form, field="on"):
                services.person_leave(
                    person=person, on=form.cleaned_data["on"], by=request.user, request=request
                )
                messages.success(
                    request,
                    f"{person.name} さんの離任を登録しました。ログインできなくなり、"
                    "職員・連絡先の一覧から外れました。",
                )
                return redirect("directory:organization_staff_manage", pk=organization_id)
        else:
            return _leave_confirm(request, person=person, on=form.cleaned_data["on"])
    return render(
        request,
        "directory/staff/person_leave.html",
        {
            "person": person,
            "form": form,
            "nav": "directory",
            "breadcrumbs": _staff_crumbs(person, f"{person.name} さんの離任・退職"),
        },
    )


def _leave_confirm(request: HttpRequest, *, person, on) -> HttpResponse:
    """Show what recording a departure will do; the form posts back with confirm=1."""
    return render(
        request,
        "directory/staff/person_leave_confirm.html",
        {
            "person": person,
            "on": on,
            "posts": list(person.posts.select_related("department")),
            "groups": list(person.group_memberships.select_related("group")),
            "nav": "directory",
            "breadcrumbs": _staff_crumbs(person, f"{person.name} さんの離任・退職の確認"),
        },
    )


def organization_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """Let an organization administrator choose who holds its posts, the 連絡窓口 first."""
    organization = get_managed_organization_for(request.user, pk)
    staff = selectors.organization_staff(organization=organization)
    assign_form = forms.ContactAssignForm(organization=organization, staff=staff)
    create_form = forms.ContactPostForm(staff=staff)
    if request.method == "POST":
        action = request.POST.get("action")
        with refusal_flashed(request):
            if action == "assign":
                assign_form = forms.ContactAssignForm(
                    request.POST, organization=organization, staff=staff
                )
                if assign_form.is_valid():
                    post = assign_form.cleaned_data["post"]
                    holder = assign_form.cleaned_data["holder"]
                    services.post_assign(post=post, holder=holder, by=request.user, request=request)
                    messages.success(
                        request,
                        f"「{post.title}」を{holder.name} さんにしました。"
                        if holder
                        else f"「{post.title}」を空席にしました。",
                    )
                    return redirect("directory:organization_contacts", pk=organization.pk)
                messages.error(
                    request,
                    " ".join(str(e) for errors in assign_form.errors.values() for e in errors),
                )
            elif action == "create":
                create_form = forms.ContactPostForm(request.POST, staff=staff)
                if create_form.is_valid():
                    services.contact_post_create(
                        organization=organization,
                        title=create_form.cleaned_data["title"],
                        holder=create_form.cleaned_data["holder"],
                        by=request.user,
                        request=request,
                    )
                    messages.success(request, "連絡窓口を設けました。")
                    return redirect("directory:organization_contacts", pk=organization.pk)
    posts = list(selectors.organization_posts(organization=organization))
    return render(
        request,
        "directory/staff/organization_contacts.html",
        {
            "organization": organization,
            "posts": posts,
            "staff": list(staff),
            "has_contact": any(p.is_contact for p in posts),
            "create_form": create_form,
            "nav": "directory",
            "breadcrumbs": _staff_crumbs(organization, "連絡窓口・職の担当"),
        },
    )


@require_POST
def invitation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a pending invitation."""
    invitation = get_object_or_404(Invitation.objects.select_related("organization"), pk=pk)
    if not can_manage_staff_of(request.user, invitation.organization):
        raise PermissionDenied("この招待を取り消す権限がありません。")
    with refusal_flashed(request):
        services.invitation_revoke(invitation=invitation, by=request.user, request=request)
        messages.success(request, f"{invitation.email} への招待を取り消しました。")
    next_url = request.POST.get("next")
    if next_url == "manage":
        return redirect("directory:manage_invitations")
    return redirect("directory:organization_staff_manage", pk=invitation.organization_id)


def _back(request: HttpRequest, target: User) -> str:
    person = getattr(target, "person", None)
    if request.POST.get("next") == "person" and person is not None:
        return reverse("directory:person_detail", args=[person.pk])
    if person is not None and person.organization_id:
        return reverse("directory:organization_staff_manage", args=[person.organization_id])
    return reverse("directory:manage_index")


@login_not_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Let an invited person choose a user ID and password (reachable without login)."""
    invitation = Invitation.objects.select_related("organization").filter(token=token).first()
    if invitation is None:
        raise Http404("招待が見つかりません。")
    usable = services.invitation_is_usable(invitation)
    form = forms.InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and usable and form.is_valid():
        with refusal_on(form, field="username"):
            services.invitation_accept(
                invitation=invitation,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                kana=form.cleaned_data["kana"],
                request=request,
            )
            messages.success(
                request, "アカウントを作成しました。ユーザーIDとパスワードでログインしてください。"
            )
            return redirect("account_login")
    return render(
        request,
        "directory/invitation_accept.html",
        {
            "invitation": invitation,
            "usable": usable,
            "form": form,
        },
    )


# The secretariat's desk ------------------------------------------------------------------


def manage_index(request: HttpRequest) -> HttpResponse:
    """Show the secretariat's menu with the numbers that need attention."""
    require(request.user, Capability.MANAGE_DIRECTORY)
    today = timezone.localdate()
    return _manage_page(
        request,
        "directory/manage/index.html",
        {
            "summary": selectors.membership_summary(on=today),
            "pending_invitations": selectors.invitations_pending().count(),
            "group_count": Group.objects.count(),
        },
        ("事務局メニュー", None),
    )


# The membership page's forms by their button's action: the form, the service that takes its
# cleaned fields, and what the page says when it is done.
MEMBERSHIP_ACTIONS = {
    "start": (forms.MembershipStartForm, services.membership_start, "の入会を登録しました。"),
    "end": (forms.MembershipEndForm, services.membership_end, "の退会を登録しました。"),
    "abolish": (forms.AbolishForm, services.organization_abolish, "を廃止団体として登録しました。"),
}


def manage_membership(request: HttpRequest, pk: int) -> HttpResponse:
    """Start or end an organization's membership, and mark it abolished."""
    require(request.user, Capability.MANAGE_DIRECTORY)
    organization = get_object_or_404(Organization, pk=pk)
    page_forms = {
        action: form_class(prefix=action)
        for action, (form_class, _, _) in MEMBERSHIP_ACTIONS.items()
    }
    action = request.POST.get("action")
    if request.method == "POST" and action in MEMBERSHIP_ACTIONS:
        form_class, service, done = MEMBERSHIP_ACTIONS[action]
        form = page_forms[action] = form_class(request.POST, prefix=action)
        if form.is_valid():
            with refusal_flashed(request):
                service(
                    organization=organization, by=request.user, request=request, **form.cleaned_data
                )
                messages.success(request, f"{organization.name} {done}")
                return redirect("directory:manage_membership", pk=pk)
    return _manage_page(
        request,
        "directory/manage/membership.html",
        {
            "organization": organization,
            "memberships": organization.memberships.order_by("-joined_on"),
            "start_form": page_forms["start"],
            "end_form": page_forms["end"],
            "abolish_form": page_forms["abolish"],
        },
        ("事務局メニュー", reverse("directory:manage_index")),
        (organization.name, reverse("directory:organization_detail", args=[pk])),
        ("会員資格", None),
    )


def manage_organization_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create a hand-entered organization or edit an organization's details."""
    require(request.user, Capability.MANAGE_DIRECTORY)
    organization = get_object_or_404(Organization, pk=pk) if pk else None
    form = forms.OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        saved = services.organization_save(
            organization=form.save(commit=False),
            changed=form.changed_data,
            by=request.user,
            request=request,
        )
        messages.success(request, f"{saved.name} を保存しました。")
        return redirect("directory:organization_detail", pk=saved.pk)
    return _manage_page(
        request,
        "directory/manage/organization_form.html",
        {
            "form": form,
            "organization": organization,
        },
        ("事務局メニュー", reverse("directory:manage_index")),
        ((organization.name + " の編集") if organization else "団体の追加", None),
    )


def manage_person_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a person to an organization's directory."""
    require(request.user, Capability.MANAGE_DIRECTORY)
    organization = get_object_or_404(Organization, pk=pk)
    form = forms.PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = services.person_create(
            organization=organization,
            name=data["name"],
            kana=data["kana"],
            email=data["email"],
            phone=data["phone"],
            department_name=data["department"],
            title=data["title"],
            by=request.user,
            request=request,
        )
        messages.success(request, f"{person.name} さんを登録しました。")
        return redirect("directory:person_detail", pk=person.pk)
    return _manage_page(
        request,
        "directory/manage/person_form.html",
        {
            "form": form,
            "organization": organization,
        },
        ("事務局メニュー", reverse("directory:manage_index")),
        (organization.name, reverse("directory:organization_detail", args=[pk])),
        ("人員の追加", None),
    )


def manage_person_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a person to another organization or department (人事異動)."""
    require(request.user, Capability.MANAGE_DIRECTORY)
    person = get_person_for(request.user, pk)
    form = forms.TransferForm(
        request.POST or None,
        initial={
            "organization": person.organization.code if person.organization else "",
            "department": person.department.name if person.department else "",
            "title": person.title,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["kind"] == forms.TransferKind.LEAVE:
            if person.organization is None:
                form.add_error("kind", f"{person.name} さんはどの団体にも所属していません。")
            else:
                # The same confirmation as an organization administrator's, posting there.
                get_leaving_person_for(request.user, person.pk)
                return _leave_confirm(request, person=person, on=data["on"])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on(form, field="on"):
            services.person_transfer(
                person=person,
                organization=data["organization"],
                department_name=data["department"],
                title=data["title"],
                on=data["on"],
                by=request.user,
                request=request,
            )
            messages.success(request, f"{person.name} さんの異動を登録しました。")
            return redirect("directory:person_detail", pk=person.pk)
    return _manage_page(
        request,
        "directory/manage/person_transfer.html",
        {
            "form": form,
            "person": person,
        },
        ("人員検索", reverse("directory:person_list")),
        (person.name, reverse("directory:person_detail", args=[pk])),
        ("人事異動・退職", None),
    )


@require_POST
def manage_user_role(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the role of a person's account."""
    require(request.user, Capability.MANAGE_DIRECTORY)
    person = get_person_for(request.user, pk)
    if person.user is None:
        raise Http404("この人員にはアカウントがありません。")
    form = forms.RoleForm(request.POST)
    if form.is_valid():
        with refusal_flashed(request):
            user_set_role(
                user=person.user, role=form.cleaned_data["role"], by=request.user, request=request
            )
            messages.success(request, f"{person.name} さんの権限を変更しました。")
    else:
        messages.error(request, "権限の指定が正しくありません。")
    return redirect("directory:person_detail", pk=pk)


@require_POST
def manage_person_group(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a person to a group with a role and term."""
    require(request.user, Capability.MANAGE_DIRECTORY)
    person = get_person_for(request.user, pk)
    form = forms.GroupPersonForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with refusal_flashed(request):
            services.group_member_add(
                group=data["group"],
                person=person,
                role=data["role"],
                term_start=data["term_start"],
                term_end=data["term_end"],
                by=request.user,
                request=request,
            )
            messages.success(request, f"{person.name} さんを {data['group'].name} に追加しました。")
    else:
        messages.error(
            request,
            "入力内容に誤りがあります: "
            + " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return redirect("directory:person_detail", pk=pk)


def manage_groups(request: HttpRequest) -> HttpResponse:
    """List groups and create new ones."""
    require(request.user, Capability.MANAGE_DIRECTORY)
    form = forms.GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = services.group_save(group=form.save(commit=False), by=request.user, request=request)
        messages.success(request, f"グループ「{group.name}」を作成しました。")
        return redirect("directory:manage_group", pk=group.pk)
    return _manage_page(
        request,
        "directory/manage/groups.html",
        {
            "groups": selectors.groups_with_counts(),
            "form": form,
        },
        ("事務局メニュー", reverse("directory:manage_index")),
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
        data = form.cleaned_data
        with refusal_on(form):
            services.group_member_add(
                group=group,
                organization=data["organization"],
                role=data["role"],
                term_start=data["term_start"],
                term_end=data["term_end"],
                by=request.user,
                request=request,
            )
            messages.success(request, f"{data['organization'].name} を追加しました。")
            return redirect("directory:manage_group", pk=pk)
    return _manage_page(
        request,
        "directory/manage/group.html",
        {
            "group": group,
            "members": selectors.group_members(group=group),
            "form": form,
        },
        ("事務局メニュー", reverse("directory:manage_index")),
        ("グループ", reverse("directory:manage_groups")),
        (group.name, None),
    )


def manage_invitations(request: HttpRequest) -> HttpResponse:
    """List pending invitations and invite an organization's representative."""
    require(request.user, Capability.MANAGE_DIRECTORY)
    form = forms.SecretariatInvitationForm(
        request.POST or None, initial={"role": Role.REPRESENTATIVE}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on(form):
            services.invitation_create(
                organization=data["organization"],
                name=data["name"],
                email=data["email"],
                role=data["role"],
                by=request.user,
                request=request,
            )
            messages.success(request, f"{data['email']} に招待メールを送信しました。")
            return redirect("directory:manage_invitations")
    return _manage_page(
        request,
        "directory/manage/invitations.html",
        {
            "form": form,
            "invitations": selectors.invitations_pending(),
        },
        ("事務局メニュー", reverse("directory:manage_index")),
        ("招待", None),
    )


# A member's own details (linked from 利用者設定) ---------------------------------------------


def _settings_crumbs(label: str) -> list[tuple[str, str | None]]:
    return _crumbs(("利用者設定", reverse("accounts:settings")), (label, None))


def profile(request: HttpRequest) -> HttpResponse:
    """Let every member change their display name and phone, and ask to change their e-mail."""
    user = request.user
    person = getattr(user, "person", None)
    form = forms.ProfileForm(
        request.POST or None,
        initial={
            "full_name": user.full_name,
            "phone": person.phone if person else "",
            "email": user.email,
        },
    )
    if person is None:
        form.fields["phone"].disabled = True
        form.fields["phone"].help_text = "名簿に登録されていないため、電話番号は変更できません。"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        email_changed = data["email"].strip().lower() != (user.email or "").lower()
        with refusal_on(form):
            with transaction.atomic():
                services.profile_update(
                    user=user,
                    full_name=data["full_name"],
                    phone=data["phone"] or "",
                    request=request,
                )
                if email_changed:
                    services.email_change_request(
                        user=user, new_email=data["email"], request=request
                    )
            messages.success(request, "氏名と電話番号を保存しました。")
            if email_changed:
                messages.success(
                    request,
                    f"{data['email']} に確認のメールを送りました。メールのリンクを開いて"
                    f"{services.EMAIL_CHANGE_VALID_HOURS}時間以内に確定してください。"
                    "それまでメールアドレスは変わりません。",
                )
            return redirect("accounts:settings")
    return render(
        request,
        "directory/profile.html",
        {"form": form, "person": person, "breadcrumbs": _settings_crumbs("氏名・連絡先の変更")},
    )


def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Show the address a confirmation link carries; only the POST changes it."""
    error = ""
    new_email = ""
    try:
        new_email = services.email_change_read(user=request.user, token=token)
    except services.DirectoryError as exc:
        error = str(exc)
    if request.method == "POST" and not error:
        try:
            services.email_change_confirm(user=request.user, token=token, request=request)
        except services.DirectoryError as exc:
            error = str(exc)
        else:
            messages.success(request, f"メールアドレスを {new_email} に変更しました。")
            return redirect("accounts:settings")
    return render(
        request,
        "directory/email_change_confirm.html",
        {
            "new_email": new_email,
            "error": error,
            "breadcrumbs": _settings_crumbs("メールアドレス変更の確定"),
        },
        status=400 if error else 200,
    )
