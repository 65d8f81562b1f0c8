"""The secretariat's record pages: the audit log, its CSV export and the mail outbox."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.audit.models import Action, AuditEvent
from renkei.audit.services import audit_record
from renkei.core.wareki import format_wareki
from renkei.mailer.models import OutboxMessage, Status
from tests.libreoffice import requires_soffice

RECORD_URLS = ["portal:audit_events", "portal:audit_export", "portal:outbox"]
TOKYO = dt.timezone(dt.timedelta(hours=9))


def _event(*, action: str, username: str, on: dt.datetime, actor=None, **extra) -> AuditEvent:
    event = audit_record(action=action, actor=actor, actor_username=username, **extra)
    AuditEvent.objects.filter(pk=event.pk).update(created_at=on)
    return event


@pytest.fixture
def secretariat(council, client_as):
    """A client logged in as the secretariat, with the audit log emptied after its login."""
    client = client_as(council.secretariat)
    AuditEvent.objects.all().delete()
    return client


@pytest.fixture
def events(council, secretariat):
    """Four events over two days in April 2026, Tokyo time."""
    return {
        "login": _event(
            action=Action.LOGIN_SUCCEEDED,
            username="tobetsu-staff",
            actor=council.staff,
            on=dt.datetime(2026, 4, 1, 9, 0, tzinfo=TOKYO),
        ),
        "failed": _event(
            action=Action.LOGIN_FAILED,
            username='=HYPERLINK("http://evil.example")',
            on=dt.datetime(2026, 4, 1, 23, 30, tzinfo=TOKYO),
        ),
        "role": _event(
            action=Action.ROLE_CHANGED,
            username="jimukyoku",
            actor=council.secretariat,
            target=council.staff,
            detail={"from": "staff", "to": "representative"},
            on=dt.datetime(2026, 4, 2, 0, 30, tzinfo=TOKYO),
        ),
        "logout": _event(
            action=Action.LOGOUT,
            username="tobetsu-staff",
            actor=council.staff,
            on=dt.datetime(2026, 4, 3, 10, 0, tzinfo=TOKYO),
        ),
    }


def _listed(response) -> list[int]:
    return [event.pk for event in response.context["page"].object_list]


@pytest.mark.parametrize("role", ["staff", "representative", "board", "observer", "outsider"])
@pytest.mark.parametrize("name", RECORD_URLS)
def test_record_pages_are_refused_to_everyone_but_the_secretariat(name, role, council, client_as):
    response = client_as(council.users_by_role()[role]).get(reverse(name))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORTED).exists()


@pytest.mark.parametrize("name", RECORD_URLS)
def test_record_pages_send_anonymous_visitors_to_login(name, db):
    from django.test import Client

    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_audit_log_lists_newest_first(council, events, secretariat):
    response = secretariat.get(reverse("portal:audit_events"))
    assert response.status_code == 200
    expected = [events[k].pk for k in ("logout", "role", "failed", "login")]
    assert _listed(response) == expected
    content = response.content.decode()
    assert "令和8年4月2日 00:30" in content
    assert "権限の変更" in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": Action.LOGIN_FAILED}, ["failed"]),
        ({"username": "TOBETSU"}, ["logout", "login"]),
        ({"since": "R8.4.2"}, ["logout", "role"]),
        ({"until": "令和8年4月1日"}, ["failed", "login"]),
        ({"since": "2026-04-02", "until": "2026-04-02"}, ["role"]),
        ({"username": "tobetsu-staff", "action": Action.LOGOUT}, ["logout"]),
    ],
)
def test_audit_log_filters(query, expected, council, events, secretariat):
    response = secretariat.get(reverse("portal:audit_events"), query)
    assert _listed(response) == [events[k].pk for k in expected]


def test_audit_log_rejects_an_unreadable_date(council, events, secretariat):
    response = secretariat.get(reverse("portal:audit_events"), {"since": "R8.13.1"})
    assert response.status_code == 200
    assert "令和8年13月1日 は存在しない日付です。" in response.content.decode()


def test_audit_log_date_boxes_show_today_as_it_is_typed(council, secretariat):
    today = format_wareki(timezone.localdate())

    html = secretariat.get(reverse("portal:audit_events")).content.decode()

    assert html.count(f'placeholder="例：{today}"') == 2


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_audit_log_csv_export(council, events, secretariat):
    response = secretariat.get(
        reverse("portal:audit_export"), {"since": "R8.4.1", "until": "R8.4.2"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    text = _csv(response)
    assert text.startswith("\ufeff日時,ユーザーID,操作,対象の種類,対象ID,対象,IPアドレス,詳細\r\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == 4
    by_action = {row[2]: row for row in rows[1:]}
    assert set(by_action) == {"ログイン成功", "ログイン失敗", "権限の変更"}
    assert by_action["ログイン成功"][:2] == ["令和8年4月1日 09:00", "tobetsu-staff"]
    # A user ID typed at the login page is not run as a formula by Excel.
    assert by_action["ログイン失敗"][1] == '\'=HYPERLINK("http://evil.example")'
    role = by_action["権限の変更"]
    assert role[3:6] == ["accounts.user", str(council.staff.pk), "当別 次郎"]
    assert "representative" in role[7]


def test_csv_export_is_itself_audited(council, events, secretariat):
    client = secretariat
    _csv(client.get(reverse("portal:audit_export"), {"action": Action.LOGOUT}))
    event = AuditEvent.objects.get(action=Action.EXPORTED)
    assert event.actor == council.secretariat
    assert event.detail == {"what": "audit_log", "query": "action=logout"}
    assert event.ip_address == "127.0.0.1"


def test_csv_export_with_no_events_has_only_the_header(council, secretariat):
    response = secretariat.get(reverse("portal:audit_export"), {"action": Action.PROXY_ENTRY})
    assert _csv(response).count("\r\n") == 1


def test_audit_log_links_the_csv_export_with_the_same_filters(council, events, secretariat):
    response = secretariat.get(reverse("portal:audit_events"), {"action": Action.LOGOUT})
    assert 'href="/audit/export.csv?action=logout"' in response.content.decode()


@pytest.fixture
def outbox(db):
    now = timezone.now()
    return [
        OutboxMessage.objects.create(
            to_email="goro@example.lg.jp",
            to_name="当別 五郎",
            subject="当別町 のアカウントへの招待",
            body_text="本文",
            next_attempt_at=now,
        ),
        OutboxMessage.objects.create(
            to_email="sent@example.lg.jp",
            subject="送信済みのお知らせ",
            body_text="本文",
            status=Status.SENT,
            sent_at=now,
        ),
        OutboxMessage.objects.create(
            to_email="bounce@example.lg.jp",
            subject="届かなかったお知らせ",
            body_text="本文",
            status=Status.FAILED,
            attempts=5,
            last_error="550 5.1.1 User unknown",
        ),
    ]


def test_outbox_lists_messages_with_counts(council, outbox, secretariat):
    response = secretariat.get(reverse("portal:outbox"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "当別 五郎 &lt;goro@example.lg.jp&gt;" in content
    assert "当別町 のアカウントへの招待" in content
    assert "550 5.1.1 User unknown" in content
    assert "送信待ち（1）" in content
    assert "送信済み（1）" in content
    assert "送信失敗（1）" in content
    assert len(response.context["messages_list"]) == 3


def test_outbox_filters_by_status(council, outbox, secretariat):
    client = secretariat
    failed = client.get(reverse("portal:outbox"), {"status": Status.FAILED})
    assert [m.to_email for m in failed.context["messages_list"]] == ["bounce@example.lg.jp"]
    unknown = client.get(reverse("portal:outbox"), {"status": "bogus"})
    assert len(unknown.context["messages_list"]) == 3


@requires_soffice
def test_audit_log_csv_opened_in_calc_reads_japanese_and_wareki_times(
    council, events, secretariat, libreoffice
):
    response = secretariat.get(
        reverse("portal:audit_export"), {"since": "R8.4.1", "until": "R8.4.2"}
    )

    rows = libreoffice.csv_opened(
        _csv(response).encode("utf-8"), name="audit-log.csv", encoding="utf-8"
    )

    assert rows[0][:3] == ["日時", "ユーザーID", "操作"]
    success = next(row for row in rows if row[2] == "ログイン成功")
    assert success[:2] == ["令和8年4月1日 09:00", "tobetsu-staff"]
    failed = next(row for row in rows if row[2] == "ログイン失敗")
    assert failed[1] == '\'=HYPERLINK("http://evil.example")'


def test_outbox_says_when_a_message_stuck_in_sending_is_sent_again(council, secretariat):
    now = timezone.now()
    OutboxMessage.objects.create(
        to_email="stuck@example.lg.jp",
        subject="送信中のお知らせ",
        body_text="本文",
        status=Status.SENDING,
        claimed_at=now,
        lease_until=now + dt.timedelta(minutes=10),
    )

    content = secretariat.get(reverse("portal:outbox")).content.decode()

    assert "再送期限を過ぎると同じメッセージIDで自動的に再送されます" in content
    assert "以降に再送" in content
