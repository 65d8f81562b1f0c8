from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import User
from renkei.devdata.demo import DEMO_PASSWORD, demo_load, demo_logins
from renkei.directory.selectors import membership_summary
from renkei.events.models import Event, Questionnaire
from renkei.events.selectors import participant_counts
from renkei.inquiries.models import AnswerStatus, Inquiry
from renkei.polls.models import Poll


def test_demo_council_has_the_seed_membership_a_login_per_role_and_inquiries(db):
    demo_load()
    summary = membership_summary(on=timezone.localdate())
    assert summary.sentence.startswith("1,322団体（市691、特別区23、町464、村96")
    for login in demo_logins():
        assert authenticate(username=login.username, password=DEMO_PASSWORD) is not None
    security = Inquiry.objects.get(title="情報セキュリティポリシーについて")
    assert security.requester.name == "深川市"
    assert security.answers.filter(status=AnswerStatus.SUBMITTED).count() == 6
    assert security.targets.filter(organization__code="013030").exists()
    assert Poll.objects.count() == 2
    # Seed 000's トピックスセミナー: four talks, 「参加者数 80名」 counted as checked in.
    seminar = Event.objects.get(title__startswith="トピックスセミナー")
    assert seminar.sessions.count() == 4
    assert participant_counts(event=seminar).total == 80
    training = Event.objects.get(title="情報政策担当者研修会（セキュリティ総合）")
    assert training.registrations.filter(status="confirmed").count() == 38
    # Next fiscal year's 研修ニーズ調査 belongs to its training catalogue, with answers.
    survey = Questionnaire.objects.get(kind="needs")
    assert (survey.event, survey.status) == (None, "open")
    assert survey.answers.count() > 0
    # The e-conference room: open boards, and the 役員会's board its members alone read.
    tobetsu = Client()
    tobetsu.force_login(User.objects.get(username="tobetsu"))
    room = tobetsu.get(reverse("forum:index")).content.decode()
    assert "情報化推進全般" in room and "役員会" not in room.split("<table")[1]
    home = tobetsu.get(reverse("home")).content.decode()
    assert "新着情報" in home and "未読" in home
    fukagawa = Client()
    fukagawa.force_login(User.objects.get(username="fukagawa"))
    assert "新旧役員会" in fukagawa.get(reverse("forum:search") + "?q=役員会").content.decode()


def test_load_demo_if_empty_prints_the_logins_again_without_loading_twice(db, debug_on, capsys):
    call_command("load_demo")
    call_command("load_demo", "--if-empty")
    out = capsys.readouterr().out
    assert "デモデータは読み込み済みです。" in out
    assert out.count("tobetsu-kanri") == 2
    assert Inquiry.objects.count() == 2


def test_load_demo_prints_the_member_count_of_the_membership_status_page(db, debug_on, capsys):
    call_command("load_demo")
    printed = capsys.readouterr().out
    secretariat = User.objects.get(username="jimukyoku")
    client = Client()
    client.force_login(secretariat)
    page = client.get(reverse("directory:membership_status")).content.decode()

    total = membership_summary(on=timezone.localdate()).total
    assert f"会員 {total:,}団体" in printed
    assert f"{total:,}団体（市" in page


def test_demo_inquiry_deadlines_fall_on_a_business_day_at_five_pm(db):
    demo_load()

    for inquiry in Inquiry.objects.all():
        local = timezone.localtime(inquiry.deadline)
        assert (local.hour, local.minute) == (17, 0), inquiry.title
        assert local.weekday() < 5, inquiry.title


def test_demo_shows_the_years_announcements_and_their_deliveries(db):
    from renkei.announcements.models import Announcement, AnnouncementStatus
    from renkei.announcements.selectors import deliveries_in_fiscal_year
    from renkei.mailer.models import OutboxMessage, Status

    demo_load()

    assert deliveries_in_fiscal_year() == 6
    assert Announcement.objects.filter(status=AnnouncementStatus.DRAFT).count() == 1
    assert Announcement.objects.filter(status=AnnouncementStatus.SCHEDULED).count() == 1
    board = Announcement.objects.get(title="第1回役員会の開催について")
    assert board.audience_group.name == "役員会"
    assert OutboxMessage.objects.filter(status=Status.SENT).count() > 100
    assert (
        not OutboxMessage.objects.filter(topic__startswith="announcement")
        .exclude(status=Status.SENT)
        .exists()
    )
