"""The secretariat's 管理 pages: the menu, memberships, organizations, people, roles and
invitations (groups are in groups.py)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from renkei.accounts.models import Role
from renkei.accounts.permissions import Capability
from renkei.accounts.services import user_set_role
from renkei.core.refusals import refusal_flashed, refusal_on
from renkei.directory import forms, selectors, services
from renkei.directory.models import Group, Organization
from renkei.directory.permissions import get_leaving_person_for, get_person_for, require
from renkei.directory.views.common import leave_confirm, manage_page, person_fields, post_initial
from renkei.directory.views.invitations import invitation_sent


def manage_index(request: HttpRequest) -> HttpResponse:
    """Show the secretariat's menu with the numbers that need attention."""
    require(request.user, Capability.MANAGE_DIRECTORY)
    today = timezone.localdate()
    return manage_page(
        request,
        "directory/manage/index.html",
        {
            "summary": selectors.membership_summary(on=today),
            "pending_invitations": selectors.invitations_pending().count(),
            "group_count": Group.objects.count(),
        },
        ("事務局メニュー", None),
        from_menu=False,
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
    return manage_page(
        request,
        "directory/manage/membership.html",
        {
            "organization": organization,
            "memberships": organization.memberships.order_by("-joined_on"),
            "start_form": page_forms["start"],
            "end_form": page_forms["end"],
            "abolish_form": page_forms["abolish"],
        },
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
    return manage_page(
        request,
        "directory/manage/organization_form.html",
        {"form": form, "organization": organization},
        ((organization.name + " の編集") if organization else "団体の追加", None),
    )


def manage_person_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a person to an organization's directory."""
    require(request.user, Capability.MANAGE_DIRECTORY)
    organization = get_object_or_404(Organization, pk=pk)
    form = forms.PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = services.person_create(
            organization=organization, by=request.user, request=request, **person_fields(form)
        )
        messages.success(request, f"{person.name} さんを登録しました。")
        return redirect("directory:person_detail", pk=person.pk)
    return manage_page(
        request,
        "directory/manage/person_form.html",
        {"form": form, "organization": organization},
        (organization.name, reverse("directory:organization_detail", args=[pk])),
        ("人員の追加", None),
    )


def manage_person_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a person to another organization or department (人事異動), or record a departure."""
    require(request.user, Capability.MANAGE_DIRECTORY)
    person = get_person_for(request.user, pk)
    form = forms.TransferForm(
        request.POST or None,
        initial={
            "organization": person.organization.code if person.organization else "",
            **post_initial(person),
        },
    )
    if request.method == "POST" and form.is_valid():
        # The form's fields but its kind are the transfer's keywords.
        fields = person_fields(form)
        if fields.pop("kind") != forms.TransferKind.LEAVE:
            with refusal_on(form, field="on"):
                services.person_transfer(person=person, by=request.user, request=request, **fields)
                messages.success(request, f"{person.name} さんの異動を登録しました。")
                return redirect("directory:person_detail", pk=person.pk)
        elif person.organization is None:
            form.add_error("kind", f"{person.name} さんはどの団体にも所属していません。")
        else:
            # The same confirmation as an organization administrator's, posting there.
            get_leaving_person_for(request.user, person.pk)
            return leave_confirm(request, person=person, on=fields["on"])
    return manage_page(
        request,
        "directory/manage/person_transfer.html",
        {"form": form, "person": person},
        ("人員検索", reverse("directory:person_list")),
        (person.name, reverse("directory:person_detail", args=[pk])),
        ("人事異動・退職", None),
        from_menu=False,
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


def manage_invitations(request: HttpRequest) -> HttpResponse:
    """List pending invitations and invite an organization's representative."""
    require(request.user, Capability.MANAGE_DIRECTORY)
    form = forms.SecretariatInvitationForm(
        request.POST or None, initial={"role": Role.REPRESENTATIVE}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and invitation_sent(request, form, organization=form.cleaned_data["organization"])
    ):
        return redirect("directory:manage_invitations")
    return manage_page(
        request,
        "directory/manage/invitations.html",
        {"form": form, "invitations": selectors.invitations_pending()},
        ("招待", None),
    )
