"""Account pages: a user's own preferences and security settings."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from renkei.accounts.forms import PreferencesForm
from renkei.accounts.middleware import requires_mfa
from renkei.accounts.services import user_set_date_style


@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    """Send the admin's own login page to the site's login, which throttles and asks for 2FA."""
    target = reverse("account_login")
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        target += "?" + urlencode({"next": next_url})
    return redirect(target)


def settings_view(request: HttpRequest) -> HttpResponse:
    """Let users choose how dates are shown and reach password and MFA settings."""
    form = PreferencesForm(request.POST or None, initial={"date_style": request.user.date_style})
    if request.method == "POST" and form.is_valid():
        user_set_date_style(
            user=request.user, date_style=form.cleaned_data["date_style"], request=request
        )
        messages.success(request, "設定を保存しました。")
        return redirect("accounts:settings")
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "mfa_required": requires_mfa(request.user),
            "breadcrumbs": [("ホーム", reverse("home")), ("利用者設定", None)],
        },
    )
