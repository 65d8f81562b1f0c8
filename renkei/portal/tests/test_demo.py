from django.contrib.auth import authenticate
from django.core.management import call_command

from renkei.directory.selectors import membership_summary
from renkei.inquiries.models import AnswerStatus, Inquiry
from renkei.inquiries.polls.models import Poll
from renkei.portal.demo import DEMO_PASSWORD, demo_load, demo_logins


def test_demo_council_has_the_seed_membership_a_login_per_role_and_inquiries(db):
    from django.utils import timezone

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


def test_load_demo_if_empty_prints_the_logins_again_without_loading_twice(db, capsys):
    call_command("load_demo")
    call_command("load_demo", "--if-empty")
    out = capsys.readouterr().out
    assert "デモデータは読み込み済みです。" in out
    assert out.count("tobetsu-kanri") == 2
    assert Inquiry.objects.count() == 2
