"""The secretariat's page of throttled logins: who must wait, and lifting a wait."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from renkei.accounts.permissions import Capability
from renkei.accounts.throttling import login_wait_lift, login_waits, normalize_username
from renkei.directory.permissions import require
from renkei.portal.forms import LoginWaitFilterForm


@require_http_methods(["GET", "POST"])
def login_wait_list(request: HttpRequest) -> HttpResponse:
    """List the logins waiting after repeated failures; lift one on POST (secretariat only)."""
    require(request.user, Capability.MANAGE_DIRECTORY)
    if request.method == "POST":
        lifted = login_wait_lift(key=request.POST.get("key", ""), by=request.user, request=request)
        if lifted is None:
            messages.error(request, "この制限はすでに解除されているか、期限が切れています。")
        else:
            messages.success(
                request,
                f"{lifted.scope_label}「{lifted.username or lifted.address}」の制限を解除しました。",
            )
        return redirect("portal:login_waits")
    form = LoginWaitFilterForm(request.GET or None)
    username = normalize_username(form.cleaned_data["username"] if form.is_valid() else "")
    waits = [w for w in login_waits() if not username or username in w.username]
    page = Paginator(waits, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/login_waits.html",
        {
            "page": page,
            "rules": settings.LOGIN_THROTTLE,
            "form": form,
            "query": f"username={username}" if username else "",
            "nav": "manage",
            "breadcrumbs": [
                ("ホーム", reverse("home")),
                ("事務局メニュー", reverse("directory:manage_index")),
                ("ログイン制限", None),
            ],
        },
    )
