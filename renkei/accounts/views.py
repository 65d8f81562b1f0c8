"""Account pages: a user's own preferences and security settings."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from renkei.accounts.forms import PreferencesForm
from renkei.accounts.services import user_set_date_style


def settings_view(request: HttpRequest) -> HttpResponse:
    """Let users choose how dates are shown and reach password and MFA settings."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    form = PreferencesForm(request.POST or None, initial={"date_style": request.user.date_style})
    if request.method == "POST" and form.is_valid():
        user_set_date_style(user=request.user, date_style=form.cleaned_data["date_style"])
        messages.success(request, "設定を保存しました。")
        return redirect("accounts:settings")
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "breadcrumbs": [("ホーム", reverse("home")), ("利用者設定", None)],
        },
    )
