"""Stored files: uploads checked for size and type, downloads, removal that follows the database."""

import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from renkei.core.errors import ServiceError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_EXTENSIONS = ("pdf", "xlsx", "docx", "pptx", "csv", "txt", "zip", "png", "jpg", "jpeg")
# Office formats that carry macros (VBA); refused by name before anything is read.
MACRO_EXTENSIONS = frozenset(
    {"xlsm", "xltm", "xlam", "xlsb", "docm", "dotm", "pptm", "potm", "ppam", "ppsm", "sldm"}
)
OOXML_PARTS = {"xlsx": "xl/", "docx": "word/", "pptx": "ppt/"}

MACRO_MESSAGE = (
    "マクロを含むファイル（.xlsm など）はアップロードできません。"
    "マクロを含まない形式（.xlsx など）で保存し直してからアップロードしてください。"
)


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _head(file: UploadedFile, size: int = 65536) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "cp932"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is still text.
            if error.start >= len(data) - 3:
                return True
            continue
        return True
    return False


def _zip_names(file: UploadedFile) -> list[str] | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(0)


def validate_upload(file: UploadedFile) -> None:
    """Refuse a file that is too large, of a type not allowed, or not what its name says."""
    name = file.name or ""
    extension = _extension(name)
    if extension in MACRO_EXTENSIONS:
        raise ValidationError(MACRO_MESSAGE, code="macro")
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            f"「{name}」は添付できない種類のファイルです。"
            "PDF、Excel（.xlsx）、Word（.docx）、PowerPoint（.pptx）、CSV、テキスト、ZIP、"
            "PNG、JPEG のいずれかにしてください。",
            code="extension",
        )
    if (file.size or 0) > MAX_UPLOAD_BYTES:
        size_mb = (file.size or 0) / 1024 / 1024
        raise ValidationError(
            f"「{name}」は {size_mb:.1f}MB あります。1ファイル10MBまでにしてください。",
            code="size",
        )
    if not (file.size or 0):
        raise ValidationError(f"「{name}」は空のファイルです。", code="empty")
    head = _head(file)
    mismatch = ValidationError(
        f"「{name}」の中身が拡張子（.{extension}）の形式と一致しません。"
        "ファイルが壊れているか、拡張子が書き換えられている可能性があります。",
        code="content",
    )
    if extension == "pdf" and not head.startswith(b"%PDF-"):
        raise mismatch
    if extension == "png" and not head.startswith(b"\x89PNG\r\n\x1a\n"):
        raise mismatch
    if extension in ("jpg", "jpeg") and not head.startswith(b"\xff\xd8\xff"):
        raise mismatch
    if extension in ("csv", "txt") and not _is_text(head):
        raise mismatch
    if extension in ("zip", *OOXML_PARTS):
        names = _zip_names(file)
        if names is None:
            raise mismatch
        if any(entry.lower().endswith("vbaproject.bin") for entry in names):
            raise ValidationError(MACRO_MESSAGE, code="macro")
        if extension == "zip" and any(_extension(entry) in MACRO_EXTENSIONS for entry in names):
            raise ValidationError(
                f"「{name}」の中にマクロを含むファイルがあります。" + MACRO_MESSAGE, code="macro"
            )
        if extension in OOXML_PARTS and (
            "[Content_Types].xml" not in names
            or not any(entry.startswith(OOXML_PARTS[extension]) for entry in names)
        ):
            raise mismatch


def upload_check(file: UploadedFile, *, refused_as: type[ServiceError]) -> None:
    """Check an upload as validate_upload does, refusing it as a service's own error on `file`."""
    try:
        validate_upload(file)
    except ValidationError as error:
        raise refused_as(" ".join(error.messages), field="file") from error


def file_delete_on_commit(file: FieldFile) -> None:
    """Delete a stored file once the current transaction commits, and never if it rolls back.

    A row deleted inside a transaction that later fails comes back; its file must still be there.
    """
    storage, name = file.storage, file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def file_download(file: FieldFile, *, name: str) -> FileResponse:
    """Send a stored file as a download called `name`, or a 404 when the storage lost it."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("ファイルが見つかりません。") from exc
    return FileResponse(handle, as_attachment=True, filename=name)
