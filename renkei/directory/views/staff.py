"""An organization administrator keeping their own staff: entries, transfers, departures,
accounts, the 連絡窓口 and where the council's mail goes (the secretariat may do it for any)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from renkei.accounts.models import Role, User
from renkei.accounts.permissions import Capability, has_capability
from renkei.accounts.services import user_set_active
from renkei.core.refusals import refusal_flashed, refusal_on
from renkei.directory import forms, selectors, services
from renkei.directory.permissions import (
    ORGANIZATION_MANAGED_ROLES,
    get_leaving_person_for,
    get_managed_organization_for,
    get_managed_person_for,
    get_managed_user_for,
)
from renkei.directory.views.common import (
    crumbs,
    form_errors_text,
    leave_confirm,
    organization_crumbs,
    person_fields,
    post_initial,
    staff_page,
)
from renkei.directory.views.invitations import invitation_sent


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
            "breadcrumbs": organization_crumbs(organization, ("通知先", None)),
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
    if (
        request.method == "POST"
        and form.is_valid()
        and invitation_sent(request, form, organization=organization)
    ):
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
            "breadcrumbs": organization_crumbs(organization, ("職員の管理", None)),
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
    return redirect(_back_url(request.POST, target, otherwise="directory:manage_index"))


def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Say what suspending an account does and ask for confirmation (the POST goes elsewhere)."""
    target = get_managed_user_for(request.user, pk)
    person = getattr(target, "person", None)
    posts = list(person.posts.select_related("department")) if person is not None else []
    context = {
        "target": target,
        "person": person,
        "posts": posts,
        "is_self": target.pk == request.user.pk,
        "next": request.GET.get("next", ""),
        "back_url": _back_url(request.GET, target, otherwise="home"),
    }
    template = "directory/user_deactivate.html"
    if person is not None and person.organization_id:
        return staff_page(request, template, context, of=person, label="利用停止の確認")
    return render(
        request,
        template,
        {**context, "nav": "directory", "breadcrumbs": crumbs(("利用停止の確認", None))},
    )


def _back_url(params: QueryDict, target: User, *, otherwise: str) -> str:
    """Return the page an account's page leads back to: the person's, the staff list's, or else."""
    person = getattr(target, "person", None)
    if params.get("next") == "person" and person is not None:
        return reverse("directory:person_detail", args=[person.pk])
    if person is not None and person.organization_id:
        return reverse("directory:organization_staff_manage", args=[person.organization_id])
    return reverse(otherwise)


def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Let an organization administrator correct a colleague's department, title and contacts."""
    person = get_managed_person_for(request.user, pk)
    form = forms.StaffPersonForm(
        request.POST or None,
        initial={**post_initial(person), "email": person.email, "phone": person.phone},
    )
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            services.person_update(
                person=person, by=request.user, request=request, **person_fields(form)
            )
            messages.success(request, f"{person.name} さんの登録内容を保存しました。")
            return redirect("directory:organization_staff_manage", pk=person.organization_id)
    return staff_page(
        request,
        "directory/staff/person_edit.html",
        {
            "person": person,
            "form": form,
            "departments": person.organization.departments.order_by("name"),
        },
        of=person,
        label=f"{person.name} さんの編集",
    )


def person_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a transfer inside the organization (人事異動) with its date."""
    person = get_managed_person_for(request.user, pk)
    form = forms.StaffTransferForm(request.POST or None, initial=post_initial(person))
    if request.method == "POST" and form.is_valid():
        with refusal_on(form, field="on"):
            services.person_transfer(
                person=person,
                organization=person.organization,
                by=request.user,
                request=request,
                **person_fields(form),
            )
            messages.success(
                request,
                f"{person.name} さんの異動を登録しました。就いていた職は空席になりました。"
                "必要なら連絡窓口を選び直してください。",
            )
            return redirect("directory:organization_staff_manage", pk=person.organization_id)
    return staff_page(
        request,
        "directory/staff/person_reassign.html",
        {
            "person": person,
            "form": form,
            "posts": list(person.posts.all()),
            "history": selectors.person_history(person=person)[:5],
            "departments": person.organization.departments.order_by("name"),
        },
        of=person,
        label=f"{person.name} さんの人事異動",
    )


def person_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a person left (離任・退職): a date, then a confirmation naming what ends."""
    person = get_leaving_person_for(request.user, pk)
    form = forms.LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") != "1":
            return leave_confirm(request, person=person, on=form.cleaned_data["on"])
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
    return staff_page(
        request,
        "directory/staff/person_leave.html",
        {"person": person, "form": form},
        of=person,
        label=f"{person.name} さんの離任・退職",
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
                messages.error(request, form_errors_text(assign_form))
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
    return staff_page(
        request,
        "directory/staff/organization_contacts.html",
        {
            "organization": organization,
            "posts": posts,
            "staff": list(staff),
            "has_contact": any(p.is_contact for p in posts),
            "create_form": create_form,
        },
        of=organization,
        label="連絡窓口・職の担当",
    )
