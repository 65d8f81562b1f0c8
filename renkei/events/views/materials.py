"""An event's documents: the secretariat adds and removes them; members and registrants open them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from renkei.core.files import file_download
from renkei.core.refusals import refusal_on
from renkei.events import services
from renkei.events.forms import MaterialForm
from renkei.events.models import EventMaterial
from renkei.events.permissions import (
    get_event_to_manage_for,
    get_material_by_token,
    get_material_for,
    get_material_to_manage_for,
)
from renkei.events.views.common import confirm_step, event_crumbs, form_page

MATERIAL_INTRO = (
    "登録した資料は催しのページに表示され、会員が開けます（会員外の申込者は申込の確認ページから）。"
    "「参加が確定した方と事務局だけ」にした資料は、それ以外の方には名前だけが表示されます。"
)


@require_http_methods(["GET", "POST"])
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a document of the event (secretariat)."""
    event = get_event_to_manage_for(request.user, pk)
    posted = request.method == "POST"
    form = MaterialForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data
        with refusal_on(form):
            material = services.material_add(
                event=event,
                by=request.user,
                title=data["title"],
                file=data["file"],
                timing=data["timing"],
                registrants_only=data["registrants_only"],
                request=request,
            )
            messages.success(request, f"資料「{material.title}」を登録しました。")
            return redirect("events:detail", pk=event.pk)
    return form_page(
        request,
        form,
        heading=f"資料の登録：{event.title}",
        intro=MATERIAL_INTRO,
        multipart=True,
        submit="登録する",
        back_url=reverse("events:detail", args=[event.pk]),
        breadcrumbs=event_crumbs(event, ("資料の登録", None)),
    )


@require_http_methods(["GET", "POST"])
def material_delete(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    """Remove a document after a confirmation page that says it cannot be undone."""
    material = get_material_to_manage_for(request.user, pk, material_pk)
    return confirm_step(
        request,
        lambda: services.material_delete(material=material, by=request.user, request=request),
        done=f"資料「{material.title}」を削除しました。",
        back_url=reverse("events:detail", args=[pk]),
        template="events/material_delete_confirm.html",
        context=lambda: {
            "nav": "events",
            "event": material.event,
            "material": material,
            "breadcrumbs": event_crumbs(material.event, ("資料の削除", None)),
        },
    )


@require_GET
def material_download(request: HttpRequest, pk: int, material_pk: int) -> FileResponse:
    """Send a document to a member who may open it."""
    material = get_material_for(request.user, pk, material_pk)
    return file_download(material.file, name=download_name(material))


@login_not_required
@require_GET
def material_download_by_link(request: HttpRequest, token: str, pk: int) -> FileResponse:
    """Send a document to a registrant through their own link (members and non-members)."""
    material = get_material_by_token(token, pk)
    return file_download(material.file, name=download_name(material))


def download_name(material: EventMaterial) -> str:
    """Return the file name a download gets: the document's title and its file's extension."""
    name = material.file.name
    extension = name.rsplit(".", 1)[-1] if "." in name.rsplit("/", 1)[-1] else ""
    title = material.title.removesuffix(f".{extension}") if extension else material.title
    return f"{title}.{extension}" if extension else title
