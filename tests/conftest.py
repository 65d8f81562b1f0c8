"""Fixtures of the cross-app tests: the authorization matrix's records, records of several features."""

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from renkei.inquiries import services as inquiry_services
from renkei.inquiries.models import Inquiry, QuestionKind, ResultsVisibility
from renkei.inquiries.permissions import get_answer_for_proxy
from renkei.testing import Council
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


# What each member town answers: (「はい」 or 「いいえ」, number of staff).
SURVEY_ANSWERS = {"member_org": ("はい", 12), "other_org": ("はい", 30), "board_org": ("いいえ", 6)}


@pytest.fixture
def published_inquiry() -> Callable[..., Inquiry]:
    """Make an inquiry the member towns answered (secretariat's proxy entry), published.

    With every town: Q1 (はい／いいえ) はい 2, いいえ 1; Q2 (数値, staff) 12, 30 and 6.
    `answering` names the towns that answer (Council attributes); `publish=False` leaves
    the inquiry open, so more answers can come.
    """

    def make(
        council: Council,
        *,
        visibility: str = ResultsVisibility.ANSWERING,
        answering: tuple[str, ...] = tuple(SURVEY_ANSWERS),
        publish: bool = True,
    ) -> Inquiry:
        by = council.secretariat
        inquiry = inquiry_services.inquiry_create(
            by=by,
            draft=inquiry_services.InquiryDraft(
                title="生成AIの利用状況について",
                deadline=timezone.now() + dt.timedelta(days=14),
                results_visibility=visibility,
            ),
        )
        used = inquiry_services.question_create(
            inquiry=inquiry,
            by=by,
            draft=inquiry_services.QuestionDraft(
                kind=QuestionKind.YES_NO, text="利用していますか。"
            ),
        )
        staff = inquiry_services.question_create(
            inquiry=inquiry,
            by=by,
            draft=inquiry_services.QuestionDraft(kind=QuestionKind.NUMBER, text="担当職員数"),
        )
        inquiry_services.inquiry_targets_set(inquiry=inquiry, by=by, spec={"mode": "all"})
        inquiry_services.inquiry_open(inquiry=inquiry, by=by)
        for org_name in answering:
            yes_no, count = SURVEY_ANSWERS[org_name]
            answer = get_answer_for_proxy(by, inquiry.pk, getattr(council, org_name).pk)
            answer = inquiry_services.answer_save(
                answer=answer,
                by=by,
                revision=answer.revision,
                data={str(used.pk): yes_no, str(staff.pk): count},
                proxy=True,
            )
            inquiry_services.answer_submit(
                answer=answer, by=by, revision=answer.revision, proxy=True
            )
        inquiry.refresh_from_db()
        if publish:
            inquiry_services.inquiry_close(inquiry=inquiry, by=by)
            inquiry_services.inquiry_publish_results(inquiry=inquiry, by=by)
        return inquiry

    return make
