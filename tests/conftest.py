"""Fixtures of the project-wide tests: the authorization matrix's records."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test.utils import override_settings

from tests.matrix_objects import World, build_world


@pytest.fixture(scope="module")
def world_media(tmp_path_factory) -> Path:
    """The media folder of the module's records."""
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_media: Path) -> Iterator[World]:
    """Build the records once; roll them back when the module is done."""
    media_root = world_media
    media = override_settings(MEDIA_ROOT=media_root)
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            # Deleting a document removes its file, which no rollback brings back.
            # Named after this module's media folder: other modules reuse this fixture.
            shutil.copytree(media_root, media_root.with_name(media_root.name + "-pristine"))
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()


@pytest.fixture
def records(world: World, db, settings, world_media: Path) -> Iterator[World]:
    """The module's records, in a savepoint rolled back after the test (files restored)."""
    settings.MEDIA_ROOT = world_media  # the module's files, not the test's own folder
    cache.clear()
    yield world
    cache.clear()
    media_root = world_media
    pristine = media_root.with_name(media_root.name + "-pristine")
    for source in pristine.rglob("*"):
        target = media_root / source.relative_to(pristine)
        if source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
