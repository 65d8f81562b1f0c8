from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import User
from renkei.devdata.demo import DEMO_PASSWORD, demo_load, demo_logins
from renkei.directory.selectors import membership_summary
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
