"""Demo お知らせ: what the secretariat of seed 000 sent in a year, by web and by mail.

Written through the models (not the services) so that `load_demo` sends no mail: the
deliveries are shown as already sent, with their per-recipient log.
"""

import datetime as dt

from django.utils import timezone

from renkei.accounts.models import User
from renkei.announcements.models import (
    Announcement,
    AnnouncementKind,
    AnnouncementStatus,
    AudienceKind,
    Delivery,
    DeliveryStatus,
    ExternalContact,
)
from renkei.announcements.selectors import Recipient, delivery_recipients
from renkei.core.fiscal_year import fiscal_year_of
from renkei.directory.models import Group
from renkei.mailer.models import OutboxMessage, Status

# (days ago, title, body, kind, audience)
PUBLISHED = [
    (
        200,
        "第1回役員会の開催について",
        "第1回役員会を次のとおり開催します。\n\n- 日時：7月4日（金）14:00～15:30\n"
        "- 場所：東京・全国町村議員会館7階 特別会議室\n- 議題：今年度事業実施、細則の改正等",
        AnnouncementKind.NOTICE,
        AudienceKind.GROUP,
    ),
    (
        160,
        "調査コーナー「LG.JPドメインの利用について」を開始しました",
        "インターネット・ホームページでのLG.JPドメインの利用について、投票方式の簡易な調査を"
        "実施しています（調査期間：2週間）。ご協力をお願いします。",
        AnnouncementKind.NOTICE,
        AudienceKind.ALL_MEMBERS,
    ),
    (
        120,
        "メールマガジン 電子会議室の新着投稿のご案内",
        "電子会議室に、市町村の情報化推進に関する新しい投稿がありました。"
        "会員専用コーナーからご覧ください。",
        AnnouncementKind.NEWSLETTER,
        AudienceKind.ALL_MEMBERS,
    ),
    (
        90,
        "調査コーナー「CMSの導入について」の結果",
        "CMS（Content Management System）の導入についての調査結果を掲載しました。",
        AnnouncementKind.NOTICE,
        AudienceKind.ALL_MEMBERS,
    ),
    (
        45,
        "トピックスセミナーのご案内",
        "地方自治情報センターが主催する「トピックスセミナー」を本会のセミナーとして開催します。\n\n"
        "### プログラム\n"
        "- 講演1「県・市町村共同電子申請・届出サービスの取組みについて」\n"
        "- 講演2「福岡県共通基盤によるシステム構築」\n"
        "- 講演3「北本市におけるレガシー改革への取組み」\n"
        "- 講演4「西いぶり広域連合の共同アウトソーシング」\n\n"
        "会員以外の市町村の皆さまのご参加も歓迎します。",
        AnnouncementKind.NOTICE,
        AudienceKind.ALL_MEMBERS,
    ),
    (
        10,
        "メールマガジン 情報システム運用課題と仮想化技術導入についての調査（岩手県紫波町からの依頼）",
        "岩手県紫波町からの調査依頼により、調査コーナーで新しい調査を開始しました。",
        AnnouncementKind.NEWSLETTER,
        AudienceKind.ALL_MEMBERS,
    ),
]

EXTERNAL = [
    ("未加入の市町村（例）岩泉町", "情報政策担当", "joho@town.iwaizumi.example.lg.jp"),
    ("未加入の市町村（例）奥尻町", "総務課 情報担当", "somu@town.okushiri.example.lg.jp"),
]


def demo_announcements_load(*, secretariat: User) -> None:
    """Create the year's お知らせ with their deliveries, a draft and a scheduled one."""
    now = timezone.now()
    board = Group.objects.filter(name="役員会").first()
    for name, person, email in EXTERNAL:
        ExternalContact.objects.create(organization_name=name, name=person, email=email)
    for days, title, body, kind, audience in PUBLISHED:
        published_at = now - dt.timedelta(days=days)
        if fiscal_year_of(timezone.localdate(published_at)) != fiscal_year_of(
            timezone.localdate(now)
        ):
            published_at = now - dt.timedelta(days=days % 30 + 1)
        announcement = Announcement.objects.create(
            title=title,
            body=body,
            kind=kind,
            audience=audience if board or audience != AudienceKind.GROUP else "all",
            audience_group=board if audience == AudienceKind.GROUP else None,
            include_external=title == "トピックスセミナーのご案内",
            status=AnnouncementStatus.PUBLISHED,
            published_at=published_at,
            created_by=secretariat,
        )
        _delivered(announcement, by=secretariat, at=published_at)
    Announcement.objects.create(
        title="第2回役員会の開催について（案）",
        body="第2回役員会を2月に開催します。議題：今年度事業実施、次年度事業計画等",
        audience=AudienceKind.GROUP if board else AudienceKind.ALL_MEMBERS,
        audience_group=board,
        created_by=secretariat,
    )
    Announcement.objects.create(
        title="次年度の会員専用コーナー（ID・パスワード）の更新について",
        body="年度替わりに、会員専用コーナーの利用者情報の確認をお願いします。",
        status=AnnouncementStatus.SCHEDULED,
        scheduled_at=now + dt.timedelta(days=7),
        scheduled_by=secretariat,
        created_by=secretariat,
    )


def _delivered(announcement: Announcement, *, by: User, at: dt.datetime) -> None:
    """Record a delivery as sent: one outbox message per recipient, all 送信済み."""
    recipients, skipped = delivery_recipients(announcement=announcement)
    delivery = Delivery.objects.create(
        announcement=announcement,
        started_at=at,
        fiscal_year=fiscal_year_of(timezone.localdate(at)),
        started_by=by,
        status=DeliveryStatus.QUEUED,
        recipient_count=len(recipients),
        unsubscribed_count=skipped,
    )
    OutboxMessage.objects.bulk_create(
        sent_messages(delivery=delivery, recipients=recipients, at=at), batch_size=500
    )


def sent_messages(
    *, delivery: Delivery, recipients: list[Recipient], at: dt.datetime
) -> list[OutboxMessage]:
    """Return a delivery's unsaved outbox messages, one per recipient, all sent at `at`."""
    announcement = delivery.announcement
    prefix = "【メールマガジン】" if announcement.is_newsletter else "【お知らせ】"
    return [
        OutboxMessage(
            template="announcement",
            topic=delivery.topic,
            to_email=r.email,
            to_name=r.name[:100],
            subject=(prefix + announcement.title)[:255],
            body_text=announcement.body,
            status=Status.SENT,
            attempts=1,
            sent_at=at,
        )
        for r in recipients
    ]
