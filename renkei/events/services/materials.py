"""An event's documents (講演資料): added by the secretariat, checked like every upload."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest

from renkei.accounts.models import User
from renkei.audit.models import Action
from renkei.core.files import file_delete_on_commit, upload_check
from renkei.events.models import Event, EventMaterial, MaterialTiming
from renkei.events.services.common import EventError, _audit


def material_add(
    *,
    event: Event,
    by: User,
    title: str,
    file: UploadedFile,
    timing: str = MaterialTiming.BEFORE,
    registrants_only: bool = False,
    request: HttpRequest | None = None,
) -> EventMaterial:
    """Store a document of the event; its title defaults to the file's name."""
    upload_check(file, refused_as=EventError)
    if timing not in MaterialTiming.values:
        raise EventError("資料の区分を選んでください。", field="timing")
    with transaction.atomic():
        material = EventMaterial.objects.create(
            event=event,
            timing=timing,
            title=title.strip() or file.name,
            file=file,
            registrants_only=registrants_only,
            uploaded_by=by,
        )
        _audit(
            by=by,
            target=event,
            request=request,
            material="added",
            title=material.title,
            registrants_only=registrants_only,
        )
    return material


def material_delete(
    *, material: EventMaterial, by: User, request: HttpRequest | None = None
) -> None:
    """Remove a document; its file goes once the removal is committed."""
    with transaction.atomic():
        _audit(
            by=by,
            target=material.event,
            request=request,
            action=Action.DELETED,
            material="deleted",
            title=material.title,
        )
        file_delete_on_commit(material.file)
        material.delete()
