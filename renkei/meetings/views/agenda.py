"""The agenda (議事次第) and the numbered materials (資料1, 追加資料1)."""

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect

from renkei.core.refusals import refusal_on
from renkei.meetings import selectors, services
from renkei.meetings.forms import AgendaItemForm, MaterialForm
from renkei.meetings.permissions import get_managed_meeting_for, get_material_for
from renkei.meetings.views.common import meeting_form_page


def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an agenda item (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on(form):
            services.agenda_item_add(
                meeting=meeting,
                by=request.user,
                title=data["title"],
                presenter=data["presenter"],
                inquiry_id=data["inquiry_id"],
                request=request,
            )
            messages.success(request, "議題を追加しました。")
            return redirect("meetings:detail", pk)
    return meeting_form_page(request, form, meeting=meeting, heading="議題の追加")


def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a material; it gets the next number (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    items = selectors.agenda_of(meeting=meeting)
    form = MaterialForm(request.POST or None, request.FILES or None, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = next((i for i in items if i.pk == data["agenda_item"]), None)
        with refusal_on(form):
            material = services.material_add(
                meeting=meeting,
                by=request.user,
                title=data["title"],
                file=data["file"],
                series=data["series"],
                agenda_item=item,
                request=request,
            )
            messages.success(request, f"{material.label}として登録しました。")
            return redirect("meetings:detail", pk)
    return meeting_form_page(
        request,
        form,
        meeting=meeting,
        heading="配付資料の登録",
        multipart=True,
        status=400 if request.method == "POST" else 200,
    )


def material_download(request: HttpRequest, pk: int, material_pk: int) -> FileResponse:
    """Send a material to someone who may see the meeting."""
    material = get_material_for(request.user, pk, material_pk)
    extension = material.file.name.rsplit(".", 1)[-1] if "." in material.file.name else "bin"
    return FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=f"{material.label}_{material.title}.{extension}",
    )
