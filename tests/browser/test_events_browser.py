"""A seminar from publication to the counts, in Chromium: the secretariat publishes it with a
four-talk program, a member and a non-member register, the 101st waits and is promoted after a
cancellation, the reception checks people in, the fiscal year's count shows them, and the
post-event questionnaire is answered by the participant and compiled."""

import datetime as dt
import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from renkei.directory.models import Person
from renkei.events import services
from renkei.events.models import Event, Registration, RegistrationStatus
from renkei.mailer.models import OutboxMessage
from renkei.testing import PASSWORD, make_council
from tests.browser.fixtures import login, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set RENKEI_SCREENSHOTS to a folder to keep what the test saw, for a person to look at.
SHOTS = os.environ.get("RENKEI_SCREENSHOTS", "")


def shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


TALKS = [
    ("講演1", "県・市町村共同電子申請・届出サービスの取組みについて", "上澤 政裕"),
    ("講演2", "福岡県共通基盤によるシステム構築", "望月 昌樹"),
    ("講演3", "北本市におけるレガシー改革への取組み", "新井 信弘"),
    ("講演4", "西いぶり広域連合の共同アウトソーシング", "木村 壽信"),
]


@pytest.fixture
def council(db):
    council = make_council()
    secret = generate_totp_secret()
    TOTP.activate(council.secretariat, secret)
    council.totp_secret = secret
    return council


def path_in_mail(template: str, to: str, pattern: str) -> str:
    """Return the path of the first link matching `pattern` in the last mail of a kind."""
    body = OutboxMessage.objects.filter(template=template, to_email=to).latest("pk").body_text
    url = next(line for line in body.splitlines() if re.search(pattern, line))
    return urlparse(url.strip()).path


def test_seminar_from_publication_to_the_fiscal_year_count(page, council):
    # The secretariat works in its own browser (a TOTP code is good for one login only); the
    # member and the non-member use `page`, which also checks that nothing loads from outside.
    office = page.context.browser.new_context(
        locale="ja-JP", viewport={"width": 1280, "height": 900}
    )
    secretariat = office.new_page()
    secretariat.base_url = page.base_url
    login(secretariat, username="jimukyoku", password=PASSWORD, totp_secret=council.totp_secret)
    _publish_seminar(secretariat)
    event = Event.objects.get()
    _register_cancel_and_promote(page, event)
    hanako = Registration.objects.get(email="hanako@kamisunagawa.example.lg.jp")

    # On the day: the reception scans her code (the check-in page it names) and checks her in.
    main = secretariat.locator("main")
    secretariat.goto(page.base_url + reverse("events:check_in_scan", args=[hanako.token]))
    expect(main).to_contain_text("上砂川 花子")
    secretariat.get_by_role("button", name="受付する").click()
    expect(secretariat.get_by_text("上砂川 花子さん（上砂川町）を受付しました。")).to_be_visible()
    secretariat.goto(page.base_url + reverse("events:detail", args=[event.pk]))
    expect(main).to_contain_text("参加者数 1名（受付済み、うち会員外1名）")
    secretariat.goto(page.base_url + reverse("events:list"))
    expect(main).to_contain_text("参加者数 1名")
    shoot(secretariat, "events-list-secretariat")
    _questionnaire_answered_and_compiled(secretariat, page, event, hanako)
    office.close()


def _questionnaire_answered_and_compiled(secretariat, page, event: Event, hanako) -> None:
    """The secretariat builds and opens the 事後アンケート; the non-member participant answers it
    from her own link; the results count her answer."""
    main = secretariat.locator("main")
    secretariat.goto(page.base_url + reverse("events:detail", args=[event.pk]))
    secretariat.get_by_role("link", name="事後アンケートを作成").click()
    secretariat.get_by_label("名称").fill("トピックスセミナー 参加者アンケート")
    secretariat.get_by_role("button", name="作成して設問を入力する").click()
    first = secretariat.get_by_role("group", name="Q1")
    first.get_by_label("設問").fill("本日のセミナーの満足度")
    first.get_by_label("形式").select_option(label="単一選択")
    first.get_by_label("選択肢（1行に1つ）").fill("満足\nやや満足\nやや不満\n不満")
    first.get_by_label("回答を必須にする").check()
    second = secretariat.get_by_role("group", name="Q2")
    second.get_by_label("設問").fill("ご意見・ご要望")
    second.get_by_label("形式").select_option(label="長文")
    secretariat.get_by_role("button", name="設問を保存").click()
    expect(secretariat.get_by_text("設問を保存しました（2問）。")).to_be_visible()
    assert serious_violations(secretariat) == []
    secretariat.get_by_role("link", name="回答受付を始める").click()
    expect(main).to_contain_text("設問が確定し、以後は変更できません")
    secretariat.get_by_role("button", name="回答受付の開始をする").click()
    expect(main).to_contain_text("回答受付中")

    # The participant (no account) answers from her registration page, once.
    page.goto(page.base_url + reverse("events:registration", args=[hanako.token]))
    page.get_by_role("link", name="トピックスセミナー 参加者アンケートに回答する").click()
    page.get_by_role("button", name="回答を送信").click()
    expect(page.get_by_text("Q1：この設問は回答が必須です。")).to_be_visible()
    page.get_by_label("満足", exact=True).check()
    page.get_by_label("Q2　ご意見・ご要望").fill("自治体の事例が参考になりました。")
    assert serious_violations(page) == []
    page.get_by_role("button", name="回答を送信").click()
    expect(page.get_by_text("アンケートにご回答いただき、ありがとうございました。")).to_be_visible()
    expect(page.locator("main")).to_contain_text("回答済み")

    secretariat.reload()
    secretariat.get_by_role("link", name="集計結果", exact=True).click()
    expect(main).to_contain_text("回答者数 1名")
    expect(main).to_contain_text("1名中1名（100.0%）")
    expect(secretariat.get_by_role("img", name="Q1 本日のセミナーの満足度")).to_be_visible()
    expect(main).to_contain_text("自治体の事例が参考になりました。（上砂川 花子）")
    assert serious_violations(secretariat) == []
    shoot(secretariat, "events-questionnaire-results")


def _publish_seminar(page) -> None:
    page.goto(page.base_url + reverse("events:list"))
    page.get_by_role("link", name="催しを作成").click()
    page.get_by_label("名称").fill("トピックスセミナー")
    page.get_by_label("種類").select_option(label="セミナー")
    day = timezone.localdate() + dt.timedelta(days=40)
    page.get_by_label("開催日").fill(day.isoformat())
    page.get_by_label("開始時刻").fill("13:30")
    page.get_by_label("終了時刻").fill("17:10")
    page.get_by_label("会場", exact=True).fill("東京国際フォーラム ホールD7")
    page.get_by_label("定員").fill("100")
    page.locator("#id_audience").select_option(label="会員以外の団体も参加可")
    page.get_by_role("button", name="保存する").click()

    expect(page.get_by_role("heading", name="プログラムの編集：トピックスセミナー")).to_be_visible()
    page.get_by_role("button", name="プログラムを保存").click()  # three empty rows: nothing
    page.get_by_role("link", name="プログラムを編集").click()
    # One more empty row per save: fill four talks over the rows the page offers.
    for index, (label, theme, speaker) in enumerate(TALKS[:3]):
        row = page.get_by_role("group", name=f"{index + 1}番目")
        row.get_by_label("区分").fill(label)
        row.get_by_label("演題").fill(theme)
        row.get_by_label("講師").fill(speaker)
    page.get_by_role("button", name="プログラムを保存").click()
    page.get_by_role("link", name="プログラムを編集").click()
    row = page.get_by_role("group", name="4番目")
    label, theme, speaker = TALKS[3]
    row.get_by_label("区分").fill(label)
    row.get_by_label("演題").fill(theme)
    row.get_by_label("講師").fill(speaker)
    page.get_by_role("button", name="プログラムを保存").click()

    main = page.locator("main")
    for label, theme, _ in TALKS:
        expect(main).to_contain_text(f"{label} 「{theme}」")
    page.get_by_role("link", name="公開する").click()
    expect(main).to_contain_text("会員以外の団体も申込ページから申し込めるようになります")
    assert serious_violations(page) == []
    page.get_by_role("button", name="公開する").click()
    expect(page.get_by_text("「トピックスセミナー」を公開しました。")).to_be_visible()


def _register_cancel_and_promote(page, event: Event) -> None:
    main = page.locator("main")
    council_other = Event.objects.get().created_by.person.organization

    # 99 seats are taken already; 当別町's member takes the 100th in the browser.
    for n in range(99):
        person = Person.objects.create(
            name=f"参加者 {n:02d}", email=f"p{n:02d}@example.lg.jp", organization=council_other
        )
        services.member_register(event=event, person=person, by=event.created_by)
    login(page, username="tobetsu-staff", password=PASSWORD)
    page.goto(page.base_url + reverse("events:detail", args=[event.pk]))
    expect(main).to_contain_text("残り1名")
    page.get_by_label("申し込む方").select_option(label="自分（当別 次郎）")
    page.get_by_role("button", name="参加を申し込む").click()
    expect(page.get_by_text("当別 次郎さんの参加が確定しました。")).to_be_visible()
    shoot(page, "events-detail-member")
    page.get_by_role("button", name="ログアウト").click()

    # The 101st: a non-member municipality, through the public page and the mailed link.
    page.goto(page.base_url + reverse("events:apply", args=[event.pk]))
    page.get_by_label("団体名").fill("上砂川町")
    page.get_by_label("氏名").fill("上砂川 花子")
    page.get_by_label("メールアドレス").fill("hanako@kamisunagawa.example.lg.jp")
    assert serious_violations(page) == []
    page.get_by_role("button", name="確認メールを送る").click()
    expect(page.get_by_role("heading", name="確認メールを送りました")).to_be_visible()
    confirm = path_in_mail(
        "event_confirm_address", "hanako@kamisunagawa.example.lg.jp", "/confirm/"
    )
    page.goto(page.base_url + confirm)
    page.get_by_role("button", name="申込を確定する").click()
    expect(main).to_contain_text("キャンセル待ち（空きが出ると自動で繰り上がり")
    hanako = Registration.objects.get(email="hanako@kamisunagawa.example.lg.jp")
    assert hanako.status == RegistrationStatus.WAITLISTED
    # Her link opens her registration only: the member pages still ask for a login.
    page.goto(page.base_url + reverse("events:detail", args=[event.pk]))
    expect(page.get_by_label("ユーザーID")).to_be_visible()

    # 当別町's member cancels; the seat goes to her, and the mail says so.
    login(page, username="tobetsu-staff", password=PASSWORD)
    page.goto(page.base_url + reverse("events:detail", args=[event.pk]))
    page.get_by_role("link", name="取り消す").click()
    expect(main).to_contain_text("空いた席はキャンセル待ちの先頭の方に繰り上がります")
    page.get_by_role("button", name="申込を取り消す").click()
    hanako.refresh_from_db()
    assert hanako.status == RegistrationStatus.CONFIRMED
    mine = path_in_mail("event_promoted", hanako.email, "/events/r/[^/]+/$")
    page.get_by_role("button", name="ログアウト").click()
    page.goto(page.base_url + mine)
    expect(page.get_by_role("heading", name="受付用QRコード")).to_be_visible()
    shoot(page, "events-registration-qr")


def test_reception_checks_in_from_the_registration_list(page, council):
    """Each row's 受付する submits the page's one check-in form to that row's address."""
    from renkei.events.tests.builders import event_draft

    event = services.event_create(by=council.secretariat, draft=event_draft(capacity=10))
    services.event_publish(event=event, by=council.secretariat)
    services.member_register(event=event, person=council.staff.person, by=council.staff)
    login(page, username="jimukyoku", password=PASSWORD, totp_secret=council.totp_secret)
    listing = reverse("events:registrations", args=[event.pk]) + "?member=member"

    page.goto(page.base_url + listing)
    page.get_by_role("button", name="受付する").click()

    expect(page.get_by_text("当別 次郎さん（当別町）を受付しました。")).to_be_visible()
    assert page.url.endswith(listing)
    expect(page.locator("main table")).to_contain_text("受付済み（")
    expect(page.get_by_role("button", name="受付する")).to_have_count(0)
