"""A member's own details, linked from 利用者設定: name, phone, and a confirmed e-mail change."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from renkei.core.refusals import refusal_on
from renkei.directory import forms, services
from renkei.directory.views.common import Crumb, crumbs


def _settings_crumbs(label: str) -> list[Crumb]:
    return crumbs(("利用者設定", reverse("accounts:settings")), (label, None))


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
