"""Stored files: removal that follows the database."""

from django.db import transaction
from django.db.models.fields.files import FieldFile


def file_delete_on_commit(file: FieldFile) -> None:
    """Delete a stored file once the current transaction commits, and never if it rolls back.

    A row deleted inside a transaction that later fails comes back; its file must still be there.
    """
    storage, name = file.storage, file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
