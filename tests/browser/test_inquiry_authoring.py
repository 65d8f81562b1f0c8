"""Write an inquiry in Chromium as the secretariat: requester by typing, targets by kind,
questions whose settings follow their kind, and the preview of the answer form."""

import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import Browser, Page, expect

from renkei.directory.models import Membership, Organization, OrganizationKind
from renkei.inquiries.models import Answer, Inquiry, QuestionKind
from renkei.testing import PASSWORD
from tests.browser.fixtures import login, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def secretariat_secret(council) -> str:
    secret = generate_totp_secret()
    TOTP.activate(council.secretariat, secret)
    return secret


def add_member(code: str, name: str, kind: str, prefecture: str) -> Organization:
    organization = Organization.objects.create(
        code=code, name=name, kind=kind, prefecture_code=prefecture
    )
    Membership.objects.create(organization=organization, joined_on=dt.date(2010, 4, 1))
    return organization


def test_secretariat_writes_an_inquiry_and_previews_the_answer_form(
    page: Page, council, secretariat_secret
):
    village = add_member("014257", "神恵内村", OrganizationKind.VILLAGE, "01")
    login(page, username="jimukyoku", password=PASSWORD, totp_secret=secretariat_secret)
    found: list[str] = []

    # The requester: typed, the candidate follows the typing (htmx), then saved.
    page.goto(page.base_url + "/inquiries/new/")
    page.get_by_label("件名").fill("住民記録システムの標準化について")
    page.get_by_label("照会団体", exact=True).press_sequentially("深川", delay=50)
    candidate = page.get_by_role("radio", name="深川市（北海道・012289）")
    expect(candidate).to_be_checked()
    found += serious_violations(page)
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("heading", name="設問の編集")).to_be_visible()
    inquiry = Inquiry.objects.get()
    assert inquiry.requester == council.board_org

    # Targets: 市 and 町 at once.
    page.goto(page.base_url + f"/inquiries/{inquiry.pk}/targets/")
    page.get_by_label("条件で絞り込む（都道府県・種別・人口）").check()
    page.get_by_label("市", exact=True).check()
    page.get_by_label("町", exact=True).check()
    found += serious_violations(page)
    page.get_by_role("button", name="照会先を保存する").click()
    expect(page.get_by_text("照会先を設定しました")).to_be_visible()
    inquiry.refresh_from_db()
    assert inquiry.target_spec["kinds"] == [OrganizationKind.CITY, OrganizationKind.TOWN]
    # 深川市 asks, so it is not asked; the village is not a 市 or 町.
    assert "当別町" in page.content() and village.name not in page.content()

    # A number question: only the unit is offered.
    page.goto(page.base_url + f"/inquiries/{inquiry.pk}/questions/")
    expect(page.get_by_label("選択肢（1行に1つ）")).to_be_visible()
    expect(page.get_by_label("単位")).to_have_count(0)
    page.get_by_label("回答の形式").select_option(QuestionKind.NUMBER)
    expect(page.get_by_label("単位")).to_be_visible()
    expect(page.get_by_label("選択肢（1行に1つ）")).to_have_count(0)
    expect(page.get_by_label("表の行（1行に1つ）")).to_have_count(0)
    # The no-JavaScript button is not shown when htmx swaps the settings in place.
    expect(page.get_by_role("button", name="この形式の設定を表示")).to_have_count(0)
    page.get_by_label("設問文").fill("情報システム部門の職員数")
    page.get_by_label("単位").fill("人")
    found += serious_violations(page)
    page.get_by_role("button", name="設問を追加する").click()
    expect(page.get_by_text("設問「Q1」を追加しました。")).to_be_visible()

    # A single-choice question: choices and その他, no unit.
    page.get_by_label("回答の形式").select_option(QuestionKind.SINGLE)
    expect(page.get_by_label("選択肢（1行に1つ）")).to_be_visible()
    expect(page.get_by_label("単位")).to_have_count(0)
    page.get_by_label("設問文").fill("標準準拠システムへの移行時期")
    page.get_by_label("選択肢（1行に1つ）").fill("令和7年度\n令和8年度\n未定")
    page.get_by_role("button", name="設問を追加する").click()
    expect(page.get_by_text("設問「Q2」を追加しました。")).to_be_visible()
    assert list(inquiry.questions.order_by("position").values_list("kind", "unit")) == [
        (QuestionKind.NUMBER, "人"),
        (QuestionKind.SINGLE, ""),
    ]

    # The preview: the real answer form, disabled, and no answer written.
    page.get_by_role("link", name="回答画面をプレビュー").click()
    expect(page.get_by_role("heading", name="回答画面のプレビュー")).to_be_visible()
    expect(page.get_by_label("Q1　情報システム部門の職員数（単位：人）（必須）")).to_be_disabled()
    expect(page.get_by_label("令和8年度")).to_be_disabled()
    expect(page.get_by_role("button", name="提出する")).to_be_disabled()
    found += serious_violations(page)
    assert not Answer.objects.exists()
    assert found == []


def test_requester_and_question_kind_work_without_javascript(
    browser: Browser, live_server, council, secretariat_secret
):
    add_member("045055", "美里町", OrganizationKind.TOWN, "04")
    saitama = add_member("113859", "美里町", OrganizationKind.TOWN, "11")
    context = browser.new_context(locale="ja-JP", java_script_enabled=False)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    login(page, username="jimukyoku", password=PASSWORD, totp_secret=secretariat_secret)

    page.goto(page.base_url + "/inquiries/new/")
    page.get_by_label("件名").fill("庁内ネットワークの分離について")
    page.get_by_label("照会団体", exact=True).fill("美里")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text("「美里」に当てはまる団体が2件あります。")).to_have_count(2)
    page.get_by_role("radio", name="美里町（埼玉県・113859）").check()
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("heading", name="設問の編集")).to_be_visible()
    inquiry = Inquiry.objects.get()
    assert inquiry.requester == saitama

    page.get_by_label("回答の形式").select_option(QuestionKind.TABLE)
    page.get_by_label("設問文").fill("端末の台数")
    page.get_by_role("button", name="この形式の設定を表示").click()
    expect(page.get_by_label("表の行（1行に1つ）")).to_be_visible()
    expect(page.get_by_label("設問文")).to_have_value("端末の台数")
    assert not inquiry.questions.exists()
    context.close()
