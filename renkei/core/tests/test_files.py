"""Stored files are removed only when the transaction that removed their row commits."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.db.models.fields.files import FieldFile, FileField

from renkei.core.files import file_delete_on_commit


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
