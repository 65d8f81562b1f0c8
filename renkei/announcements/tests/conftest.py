"""Fixtures of the お知らせ tests: announcements written through the services."""

from collections.abc import Callable

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from renkei.announcements import services
from renkei.announcements.models import Announcement, AnnouncementKind, AudienceKind
from renkei.testing import Council


@pytest.fixture
def make_announcement(council: Council) -> Callable[..., Announcement]:
    """Write a draft お知らせ as the secretariat (to all members unless told otherwise)."""

    def make(**fields) -> Announcement:
        values = {
            "title": "令和8年度総会の開催について",
            "body": "総会を**6月**に開催します。",
            "kind": AnnouncementKind.NOTICE,
            "audience": AudienceKind.ALL_MEMBERS,
            **fields,
        }
        return services.announcement_create(by=council.secretariat, **values)

    return make


@pytest.fixture
def publish(council: Council, django_capture_on_commit_callbacks):
    """Publish as the secretariat and run what the commit starts (the delivery task)."""

    def run(announcement: Announcement):
        with django_capture_on_commit_callbacks(execute=True):
            return services.announcement_publish(announcement=announcement, by=council.secretariat)

    return run


@pytest.fixture(autouse=True)
def _secretariat_has_totp(request) -> None:
    """Give the test council's secretariat an authenticator, as RequireMFAMiddleware demands."""
    if "council" in request.fixturenames:
        TOTP.activate(request.getfixturevalue("council").secretariat, generate_totp_secret())
