"""Stored files are removed only when the transaction that removed their row commits."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile, FileField

from renkei.core.errors import ServiceError
from renkei.core.files import file_delete_on_commit, upload_check


@pytest.fixture
def stored(tmp_path) -> FieldFile:
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("資料.pdf", ContentFile(b"%PDF-1.4"))
    field = FileField(storage=storage)
    field.name = "file"
    return FieldFile(None, field, name)


def test_file_is_deleted_when_the_transaction_commits(
    db, stored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file_delete_on_commit(stored)
        assert stored.storage.exists(stored.name)

    assert not stored.storage.exists(stored.name)


def test_file_stays_when_the_transaction_rolls_back(transactional_db, stored):
    with pytest.raises(RuntimeError), transaction.atomic():
        file_delete_on_commit(stored)
        raise RuntimeError("the rest of the change failed")

    assert stored.storage.exists(stored.name)


class DocumentError(ServiceError):
    """A feature's own refusal, as events and meetings have."""


def test_a_refused_upload_is_the_services_own_error_on_the_file_field():
    macro = SimpleUploadedFile("集計.xlsm", b"PK\x03\x04", content_type="application/octet-stream")

    with pytest.raises(DocumentError) as refused:
        upload_check(macro, refused_as=DocumentError)

    assert refused.value.field == "file"
    assert "マクロ" in refused.value.message


def test_an_allowed_upload_passes_the_check():
    pdf = SimpleUploadedFile("資料.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")

    upload_check(pdf, refused_as=DocumentError)
