"""The お知らせ pages: what each role sees, confirmation steps, bad input, paging."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from renkei.announcements import services
from renkei.announcements.models import (
    Announcement,
    AnnouncementStatus,
    AudienceKind,
    Delivery,
    DeliveryStatus,
    ExternalContact,
    NewsletterOptOut,
)
from renkei.announcements.unsubscribe import unsubscribe_token
from renkei.audit.models import AuditEvent
from renkei.mailer.models import OutboxMessage
from renkei.testing import task_worker_run

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_members_see_only_announcements_for_their_organization(
    client, council, make_announcement, publish
):
    publish(make_announcement(title="全会員へのお知らせ"))
    publish(
        make_announcement(
            title="北海道の会員へ", audience=AudienceKind.PREFECTURE, prefectures=["01"]
        )
    )
    make_announcement(title="まだ下書き")

    tobetsu = _login(client, council.staff).get(reverse("announcements:list")).content.decode()
    assert "全会員へのお知らせ" in tobetsu and "北海道の会員へ" in tobetsu
    assert "まだ下書き" not in tobetsu
    waki = _login(client, council.outsider).get(reverse("announcements:list")).content.decode()
    assert "全会員へのお知らせ" in waki and "北海道の会員へ" not in waki


def test_outsider_cannot_read_an_announcement_for_another_prefecture(
    client, council, make_announcement, publish
):
    announcement = make_announcement(
        audience=AudienceKind.PREFECTURE,
        prefectures=["01"],
        files=[SimpleUploadedFile("案内.pdf", b"%PDF-1.4\n")],
    )
    publish(announcement)
    attachment = announcement.attachments.get()

    _login(client, council.outsider)
    assert client.get(reverse("announcements:detail", args=[announcement.pk])).status_code == 404
    assert (
        client.get(
            reverse("announcements:attachment", args=[announcement.pk, attachment.pk])
        ).status_code
        == 404
    )
    _login(client, council.staff)
    response = client.get(
        reverse("announcements:attachment", args=[announcement.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n"


def test_a_draft_cannot_be_read_by_members(client, council, make_announcement):
    draft = make_announcement()

    response = _login(client, council.staff).get(reverse("announcements:detail", args=[draft.pk]))

    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, council, make_announcement):
    for url in [reverse("announcements:list"), reverse("announcements:manage_list")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_news_list_is_paged_filtered_and_its_queries_do_not_grow(
    client, council, make_announcement, django_assert_max_num_queries
):
    for index in range(3):
        services.announcement_publish(
            announcement=make_announcement(title=f"お知らせ{index}"), by=council.secretariat
        )
    _login(client, council.staff)
    client.get(reverse("announcements:list"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("announcements:list"))
    for index in range(3, 45):
        services.announcement_publish(
            announcement=make_announcement(title=f"お知らせ{index}", send_mail=False),
            by=council.secretariat,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("announcements:list") + "?page=2")
    assert "2 / 3 ページ（全45件）" in response.content.decode()

    filtered = client.get(reverse("announcements:list"), {"q": "お知らせ44"}).content.decode()
    assert "お知らせ44" in filtered and "お知らせ43" not in filtered


def test_secretariat_writes_a_draft_and_a_bad_attachment_stores_nothing(client, council):
    _login(client, council.secretariat)
    data = {
        "title": "セミナーのご案内",
        "body": "### 日時\n- 令和8年2月10日",
        "kind": "notice",
        "audience": "all",
        "send_mail": "on",
    }

    bad = client.post(
        reverse("announcements:manage_create"),
        {**data, "files": SimpleUploadedFile("案内.exe", b"MZ")},
    )
    assert "添付できない種類のファイルです" in bad.content.decode()
    assert Announcement.objects.count() == 0

    missing = client.post(reverse("announcements:manage_create"), {**data, "audience": "group"})
    assert "対象のグループを選んでください。" in missing.content.decode()

    response = client.post(reverse("announcements:manage_create"), data)
    announcement = Announcement.objects.get()
    assert response["Location"] == reverse("announcements:manage_detail", args=[announcement.pk])
    assert announcement.status == AnnouncementStatus.DRAFT
    preview = client.get(response["Location"]).content.decode()
    assert "<h3>日時</h3>" in preview
    assert AuditEvent.objects.filter(detail__what="announcement_created").count() == 1


def test_publish_confirmation_names_the_audience_and_mail_and_a_get_changes_nothing(
    client, council, make_announcement
):
    council.member_org.notification_email = "joho@town.tobetsu.example.lg.jp"
    council.member_org.save()
    announcement = make_announcement(audience=AudienceKind.PREFECTURE, prefectures=["01"])

    page = _login(client, council.secretariat).get(
        reverse("announcements:manage_publish", args=[announcement.pk])
    )

    text = page.content.decode()
    assert "会員団体（北海道）" in text
    assert "（2団体）" in text
    assert "4件のアドレス" in text  # the mailbox, two accounts at 当別町, one at 深川市
    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.DRAFT
    assert OutboxMessage.objects.count() == 0

    # A POST without the confirmation shows the page again.
    client.post(reverse("announcements:manage_publish", args=[announcement.pk]))
    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.DRAFT


@pytest.mark.django_db(transaction=True)
def test_the_publish_request_only_queues_the_delivery(client, council, make_announcement, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    announcement = make_announcement()

    response = _login(client, council.secretariat).post(
        reverse("announcements:manage_publish", args=[announcement.pk]), {"confirm": "yes"}
    )

    delivery = Delivery.objects.get()
    assert response["Location"] == reverse(
        "announcements:delivery", args=[announcement.pk, delivery.pk]
    )
    assert OutboxMessage.objects.count() == 0  # the worker resolves and renders them
    assert DBTaskResult.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "宛先を準備しています" in page
    assert 'hx-trigger="every 3s"' in page  # the progress refreshes itself

    task_worker_run()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED
    assert delivery.recipient_count == OutboxMessage.objects.count() == 5
    page = client.get(response["Location"]).content.decode()
    assert "5 / 5件" in page


def test_a_published_announcement_cannot_be_edited_or_deleted(
    client, council, make_announcement, publish
):
    announcement = make_announcement()
    publish(announcement)

    _login(client, council.secretariat)
    client.post(
        reverse("announcements:manage_edit", args=[announcement.pk]),
        {"title": "書き換え", "body": "本文", "kind": "notice", "audience": "all"},
    )
    client.post(reverse("announcements:manage_delete", args=[announcement.pk]), {"confirm": "yes"})

    announcement.refresh_from_db()
    assert announcement.title == "令和8年度総会の開催について"
    with pytest.raises(services.AnnouncementError):
        services.announcement_update(
            announcement=announcement,
            by=council.secretariat,
            title="x",
            body="x",
            kind="notice",
            audience="all",
        )


def test_a_scheduled_announcement_is_published_when_its_time_comes(
    client, council, make_announcement, django_capture_on_commit_callbacks
):
    announcement = make_announcement()
    _login(client, council.secretariat)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    past = client.post(
        reverse("announcements:manage_schedule", args=[announcement.pk]),
        {"day": "2020-04-01", "time": "09:00"},
    )
    assert "これから先の日時" in past.content.decode()
    client.post(
        reverse("announcements:manage_schedule", args=[announcement.pk]),
        {"day": tomorrow.isoformat(), "time": "09:00"},
    )
    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.SCHEDULED

    call_command("announcements_publish_due")
    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.SCHEDULED  # not yet

    Announcement.objects.filter(pk=announcement.pk).update(
        scheduled_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("announcements_publish_due")
    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.PUBLISHED
    assert Delivery.objects.get().started_by == council.secretariat
    assert OutboxMessage.objects.count() == 5


def test_unscheduling_returns_to_draft(client, council, make_announcement):
    announcement = make_announcement()
    services.announcement_schedule(
        announcement=announcement,
        by=council.secretariat,
        at=timezone.now() + dt.timedelta(days=2),
    )

    _login(client, council.secretariat).post(
        reverse("announcements:manage_unschedule", args=[announcement.pk])
    )

    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.DRAFT
    assert announcement.scheduled_at is None


def test_the_manage_list_shows_the_deliveries_of_the_fiscal_year(
    client, council, make_announcement, publish
):
    for _ in range(2):
        publish(make_announcement(audience=AudienceKind.ORGANIZATION_KIND, kinds=["city"]))

    page = _login(client, council.secretariat).get(reverse("announcements:manage_list"))

    assert "2回配信" in page.content.decode()


def test_external_import_is_all_or_nothing_with_the_bad_lines_named(client, council):
    _login(client, council.secretariat)
    text = "団体名,氏名,メールアドレス\n未加入町,情報担当,mikanyu@example.lg.jp\n未加入村,担当,not-an-address\n"

    bad = client.post(reverse("announcements:external"), {"import": "1", "import-text": text})

    assert "3行目" in bad.content.decode()
    assert ExternalContact.objects.count() == 0
    good = text.replace("not-an-address", "mikanyu-mura@example.lg.jp")
    client.post(reverse("announcements:external"), {"import": "1", "import-text": good})
    client.post(reverse("announcements:external"), {"import": "1", "import-text": good})
    assert ExternalContact.objects.count() == 2


def test_external_import_reads_shift_jis_csv(client, council):
    content = "未加入町,情報担当,mikanyu@example.lg.jp\r\n".encode("cp932")

    _login(client, council.secretariat).post(
        reverse("announcements:external"),
        {"import": "1", "import-file": SimpleUploadedFile("送付先.csv", content)},
    )

    assert ExternalContact.objects.get().organization_name == "未加入町"


def test_unsubscribe_page_changes_nothing_until_posted(client, db):
    url = reverse("announcements:unsubscribe", args=[unsubscribe_token(email="Waki@Example.lg.jp")])

    page = client.get(url)
    assert "waki@example.lg.jp" in page.content.decode()
    assert NewsletterOptOut.objects.count() == 0

    done = client.post(url)
    assert "配信を停止しました" in done.content.decode()
    client.post(url)  # twice is harmless
    assert list(NewsletterOptOut.objects.values_list("email", flat=True)) == ["waki@example.lg.jp"]


def test_a_forged_unsubscribe_link_is_refused(client, db):
    token = unsubscribe_token(email="waki@example.lg.jp")
    forged = token.replace("waki", "xaki")

    response = client.post(reverse("announcements:unsubscribe", args=[forged + "x"]))

    assert response.status_code == 404
    assert NewsletterOptOut.objects.count() == 0


def test_unknown_fiscal_year_filter_is_refused_in_japanese_and_the_list_stays_whole(
    client, council, make_announcement, publish
):
    publish(make_announcement(title="総会のお知らせ", send_mail=False))

    page = _login(client, council.staff).get(reverse("announcements:list"), {"fy": "R8"})

    assert "正しく選択してください。 R8 は候補にありません。" in page.content.decode()
    assert "総会のお知らせ" in page.content.decode()


def test_unknown_status_filter_is_refused_in_japanese_and_the_manage_list_stays_whole(
    client, council, make_announcement
):
    make_announcement(title="下書きのお知らせ")

    page = _login(client, council.secretariat).get(
        reverse("announcements:manage_list"), {"status": "lost"}
    )

    assert "正しく選択してください。 lost は候補にありません。" in page.content.decode()
    assert "下書きのお知らせ" in page.content.decode()


def test_unknown_recipient_status_is_refused_in_japanese_and_the_log_stays_whole(
    client, council, make_announcement, publish
):
    announcement = make_announcement(audience=AudienceKind.ORGANIZATION_KIND, kinds=["city"])
    delivery = publish(announcement)
    address = OutboxMessage.objects.get(topic=delivery.topic).to_email

    page = _login(client, council.secretariat).get(
        reverse("announcements:delivery", args=[announcement.pk, delivery.pk]),
        {"status": "lost"},
    )

    assert "正しく選択してください。 lost は候補にありません。" in page.content.decode()
    assert address in page.content.decode()


def test_a_search_with_a_null_character_is_refused_and_every_external_address_listed(
    client, council
):
    ExternalContact.objects.create(organization_name="未加入町", email="mikanyu@example.lg.jp")

    page = _login(client, council.secretariat).get(
        reverse("announcements:external"), {"q": "未加入\x00"}
    )

    assert "何か文字を入力してください。" in page.content.decode()  # Django's words for it
    assert "mikanyu@example.lg.jp" in page.content.decode()
