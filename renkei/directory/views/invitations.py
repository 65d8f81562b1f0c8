"""Invitations: sending one (from the staff and the secretariat's pages), withdrawing it, and
the invited person's own page, reached without an account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from renkei.core.refusals import refusal_flashed, refusal_on
from renkei.directory import forms, services
from renkei.directory.models import Invitation, Organization
from renkei.directory.permissions import can_manage_staff_of


def invitation_sent(
    request: HttpRequest, form: forms.InvitationForm, *, organization: Organization
) -> bool:
    """Send the invitation a valid form describes and say so; a refusal goes on the form."""
    data = form.cleaned_data
    with refusal_on(form):
        services.invitation_create(
            organization=organization,
            name=data["name"],
            email=data["email"],
            role=data["role"],
            by=request.user,
            request=request,
        )
        messages.success(request, f"{data['email']} に招待メールを送信しました。")
        return True
    return False


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
