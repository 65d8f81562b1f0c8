"""Seed 004 end to end in Chromium: 深川市's and 町田市's inquiries, 19 organizations each.

The exchange meeting's minutes (平成23年度 情報交換会議) discuss two inquiries: 深川市's on
the information security policy (most 「公表していない」, 多治見市 「公表している」; 美里町
alone 「開示していない」; most PDCA cycles 「うまく運用できていない」) and 町田市's on
地域情報プラットフォーム compliance (「19団体中7団体」). Most answers are made with the
services; the representative steps are driven through the real pages.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse
from playwright.sync_api import Page

from renkei.accounts.models import Role, User
from renkei.directory.models import Organization, OrganizationKind
from renkei.inquiries import services
from renkei.inquiries.models import (
    Answer,
    AnswerStatus,
    Inquiry,
    InquiryStatus,
    QuestionKind,
    ResultsVisibility,
)
from renkei.inquiries.permissions import get_answer_for
from renkei.mailer.models import OutboxMessage
from renkei.testing import (
    PASSWORD,
    make_contact,
    make_organization,
    make_secretariat,
    make_user,
)
from tests.browser.fixtures import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

# The member organizations of the meeting (and those the minutes quote), JIS order.
ORGANIZATIONS = [
    ("012289", "深川市", OrganizationKind.CITY, "01", "フカガワシ"),
    ("013030", "当別町", OrganizationKind.TOWN, "01", "トウベツチョウ"),
    ("035246", "一戸町", OrganizationKind.TOWN, "03", "イチノヘマチ"),
    ("042153", "大崎市", OrganizationKind.CITY, "04", "オオサキシ"),
    ("073644", "檜枝岐村", OrganizationKind.VILLAGE, "07", "ヒノエマタムラ"),
    ("112089", "所沢市", OrganizationKind.CITY, "11", "トコロザワシ"),
    ("132047", "三鷹市", OrganizationKind.CITY, "13", "ミタカシ"),
    ("132098", "町田市", OrganizationKind.CITY, "13", "マチダシ"),
    ("133035", "瑞穂町", OrganizationKind.TOWN, "13", "ミズホマチ"),
    ("142051", "藤沢市", OrganizationKind.CITY, "14", "フジサワシ"),
    ("172014", "金沢市", OrganizationKind.CITY, "17", "カナザワシ"),
    ("212041", "多治見市", OrganizationKind.CITY, "21", "タジミシ"),
    ("223425", "長泉町", OrganizationKind.TOWN, "22", "ナガイズミチョウ"),
    ("232114", "豊田市", OrganizationKind.CITY, "23", "トヨタシ"),
    ("262048", "宇治市", OrganizationKind.CITY, "26", "ウジシ"),
    ("282227", "養父市", OrganizationKind.CITY, "28", "ヤブシ"),
    ("334235", "早島町", OrganizationKind.TOWN, "33", "ハヤシマチョウ"),
    ("353213", "和木町", OrganizationKind.TOWN, "35", "ワキチョウ"),
    ("372013", "高松市", OrganizationKind.CITY, "37", "タカマツシ"),
    ("433489", "美里町", OrganizationKind.TOWN, "43", "ミサトマチ"),
]
# A member asked by neither inquiry.
OUTSIDER = ("462012", "鹿児島市", OrganizationKind.CITY, "46", "カゴシマシ")

PUBLISHED, NOT_PUBLISHED = "公表している", "公表していない"
DISCLOSED, NOT_DISCLOSED = "開示している", "開示していない"
PDCA_OK, PDCA_NOT = "うまく運用できている", "うまく運用できていない"
TAJIMI_PDCA = "自主点検規程を定めて改善に努めている"

# 深川市's inquiry: what each organization answers made with the services (Q1, Q2, Q3).
# 所沢市 first submits 「公表している」 by mistake and corrects it in the browser.
FUKAGAWA_BY_SERVICES = {
    "132098": (NOT_PUBLISHED, DISCLOSED, PDCA_NOT),
    "353213": (NOT_PUBLISHED, DISCLOSED, PDCA_NOT),
    "172014": (NOT_PUBLISHED, DISCLOSED, PDCA_NOT),
    "042153": (NOT_PUBLISHED, DISCLOSED, PDCA_NOT),
    "132047": (NOT_PUBLISHED, DISCLOSED, PDCA_NOT),
    "142051": (NOT_PUBLISHED, DISCLOSED, PDCA_NOT),
    "232114": (NOT_PUBLISHED, DISCLOSED, PDCA_NOT),
    "262048": (NOT_PUBLISHED, DISCLOSED, PDCA_NOT),
    "372013": (NOT_PUBLISHED, DISCLOSED, PDCA_NOT),
    "133035": (NOT_PUBLISHED, DISCLOSED, PDCA_NOT),
    "223425": (NOT_PUBLISHED, DISCLOSED, PDCA_NOT),
    "282227": (NOT_PUBLISHED, DISCLOSED, PDCA_NOT),
    "112089": (PUBLISHED, DISCLOSED, PDCA_OK),
}
# Answered in the browser: 多治見市 on the form, 美里町 through a shared draft, 当別町 offline.
# Never submitted: 一戸町, 檜枝岐村, 早島町.
NEVER_SUBMITTED = {"035246", "073644", "334235"}

# 町田市's inquiry: the seven that comply or will require it in their next procurement.
MACHIDA_YES = {"012289", "212041", "372013", "133035", "223425", "282227", "035246"}


@dataclass
class Seed:
    """The council of the meeting: organizations with a staff member and a representative."""

    secretariat: User
    organizations: dict[str, Organization]
    staff: dict[str, User]
    representatives: dict[str, User]

    def org(self, name: str) -> Organization:
        return next(o for o in self.organizations.values() if o.name == name)

    def staff_of(self, name: str) -> User:
        return self.staff[self.org(name).code]

    def representative_of(self, name: str) -> User:
        return self.representatives[self.org(name).code]

    def emails_of(self, codes: set[str]) -> set[str]:
        return {self.staff[c].email for c in codes} | {self.representatives[c].email for c in codes}


@pytest.fixture
def seed(db) -> Seed:
    _, secretariat = make_secretariat()
    TOTP.activate(secretariat, TOTP_SECRET)
    organizations, staff, representatives = {}, {}, {}
    for code, name, kind, prefecture, kana in [*ORGANIZATIONS, OUTSIDER]:
        organization = make_organization(
            code=code, name=name, kind=kind, prefecture_code=prefecture, kana=kana
        )
        organizations[code] = organization
        staff[code] = make_user(
            username=f"staff-{code}",
            name=f"{name} 担当",
            role=Role.STAFF,
            organization=organization,
        )
        representatives[code] = make_user(
            username=f"rep-{code}",
            name=f"{name} 課長",
            role=Role.REPRESENTATIVE,
            organization=organization,
            title="課長",
        )
        # Both are the organization's 連絡窓口, so the council's mail reaches both.
        make_contact(user=staff[code], title="情報化担当")
        make_contact(user=representatives[code], title="情報政策課長")
    return Seed(
        secretariat=secretariat,
        organizations=organizations,
        staff=staff,
        representatives=representatives,
    )


class Session:
    """One browser page shared by several users: each logs in once, then cookies switch."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.base = page.base_url  # type: ignore[attr-defined]
        self.cookies: dict[str, list] = {}
        self.current: str | None = None

    def as_user(self, user: User) -> Page:
        page, context = self.page, self.page.context
        if self.current == user.username:
            return page
        if self.current is not None:
            self.cookies[self.current] = context.cookies()
        context.clear_cookies()
        if user.username in self.cookies:
            context.add_cookies(self.cookies[user.username])
        else:
            secret = TOTP_SECRET if user.role == Role.SECRETARIAT else None
            login(page, username=user.username, password=PASSWORD, totp_secret=secret)
            assert "/accounts/login/" not in page.url, f"{user.username} could not log in"
        self.current = user.username
        return page

    def go(self, name: str, *args: int) -> Page:
        self.page.goto(self.base + reverse(name, args=args))
        return self.page

    def status_of(self, name: str, *args: int) -> int:
        response = self.page.goto(self.base + reverse(name, args=args))
        assert response is not None
        return response.status


def answer_with_services(inquiry: Inquiry, user: User, values: dict[str, object]) -> Answer:
    """Save and submit an organization's answer as the answer form would."""
    answer = get_answer_for(user, inquiry.pk)
    answer = services.answer_save(answer=answer, by=user, revision=answer.revision, data=values)
    services.answer_submit(answer=answer, by=user, revision=answer.revision)
    return answer


def question(page: Page, code: str):
    """Return the block of the answer form that holds a question, by its code."""
    return page.locator(".inq-question").filter(has=page.get_by_text(f"{code}　", exact=False))


def choose(page: Page, code: str, label: str) -> None:
    question(page, code).get_by_label(label, exact=True).check()


def request_inquiry_in_browser(session: Session, seed: Seed) -> Inquiry:
    """深川市 writes the 調査依頼 with its three questions and sends it for review."""
    page = session.as_user(seed.staff_of("深川市"))
    session.go("inquiries:create")
    page.get_by_label("件名").fill("情報セキュリティポリシーについて")
    page.get_by_label("趣旨").fill(
        "情報セキュリティポリシーの公表、対策基準の職員への開示、PDCAサイクルの運用について伺います。"
    )
    page.get_by_label("回答した団体").check()
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url("**/questions/")
    for number, (text, choices, other) in enumerate(
        [
            ("情報セキュリティ対策基準を公表していますか。", [PUBLISHED, NOT_PUBLISHED], False),
            (
                "情報セキュリティ対策基準を職員に開示していますか。",
                [DISCLOSED, NOT_DISCLOSED],
                False,
            ),
            ("PDCAサイクルの実施と工夫について", [PDCA_OK, PDCA_NOT], True),
        ],
        start=1,
    ):
        page.get_by_label("回答の形式").select_option(label="単一選択")
        page.get_by_label("設問文").fill(text)
        page.get_by_label("選択肢（1行に1つ）").fill("\n".join(choices))
        if other:
            page.get_by_label("「その他（自由記述）」を設ける").check()
        page.get_by_role("button", name="設問を追加する").click()
        page.get_by_text(f"設問「Q{number}」を追加しました。").wait_for()
    inquiry = Inquiry.objects.get(title="情報セキュリティポリシーについて")
    assert list(inquiry.questions.values_list("code", flat=True)) == ["Q1", "Q2", "Q3"]

    session.go("inquiries:targets", inquiry.pk)
    page.get_by_label("団体を個別に指定する").check()
    targets = [code for code, *_ in ORGANIZATIONS if code != "012289"]
    page.get_by_label("団体（1行に1団体）").fill("\n".join(targets))
    page.get_by_role("button", name="照会先を保存する").click()
    page.get_by_text("照会先を設定しました").wait_for()

    session.go("inquiries:detail", inquiry.pk)
    page.get_by_role("button", name="事務局に審査を依頼する").click()
    page.get_by_text("事務局に審査を依頼しました").wait_for()
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.REVIEW
    return inquiry


def test_fukagawa_security_policy_inquiry_from_request_to_published_results(
    page: Page, seed: Seed, tmp_path: Path
):
    session = Session(page)

    # 1. 深川市 asks through a 調査依頼; the secretariat approves it, which opens it.
    inquiry = request_inquiry_in_browser(session, seed)
    page = session.as_user(seed.secretariat)
    session.go("inquiries:review", inquiry.pk)
    assert page.get_by_text("現時点で19団体").is_visible()
    page.get_by_label("承認して照会先へ送信する").check()
    page.get_by_role("button", name="審査結果を登録する").click()
    page.get_by_text("承認し、照会先へ送信しました。").wait_for()
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN
    assert inquiry.targets.count() == 19
    assert inquiry.results_visibility == ResultsVisibility.ANSWERING
    opened = OutboxMessage.objects.filter(template="inquiry_opened", topic=f"inquiry:{inquiry.pk}")
    assert opened.count() == 19 * 2
    q1, q2, q3 = inquiry.questions.order_by("position")

    # 2. Thirteen organizations answer with the services (所沢市 with a mistake in Q1).
    for code, (published, disclosed, pdca) in FUKAGAWA_BY_SERVICES.items():
        answer_with_services(
            inquiry,
            seed.staff[code],
            {str(q1.pk): published, str(q2.pk): disclosed, str(q3.pk): pdca},
        )

    # 3. 多治見市 answers on the form, その他 with its text for the PDCA question.
    page = session.as_user(seed.staff_of("多治見市"))
    session.go("inquiries:answer", inquiry.pk)
    choose(page, "Q1", PUBLISHED)
    choose(page, "Q2", DISCLOSED)
    choose(page, "Q3", "その他")
    page.get_by_label("Q3 「その他」の内容").fill(TAJIMI_PDCA)
    page.get_by_role("button", name="提出する").click()
    page.get_by_role("button", name="この内容で提出する").click()
    page.get_by_text("回答を提出しました（第1版）。").wait_for()

    # 4. 美里町's staff saves a draft; the representative sees who saved it and completes it.
    page = session.as_user(seed.staff_of("美里町"))
    session.go("inquiries:answer", inquiry.pk)
    choose(page, "Q2", NOT_DISCLOSED)
    page.get_by_role("button", name="一時保存する").click()
    page.get_by_text("回答を一時保存しました。").wait_for()
    page = session.as_user(seed.representative_of("美里町"))
    session.go("inquiries:answer", inquiry.pk)
    status = page.locator("section", has=page.get_by_role("heading", name="美里町の回答の状況"))
    assert "作成中" in status.inner_text()
    assert "（美里町 担当）" in status.inner_text()
    assert question(page, "Q2").get_by_label(NOT_DISCLOSED, exact=True).is_checked()
    choose(page, "Q1", NOT_PUBLISHED)
    choose(page, "Q3", PDCA_NOT)
    page.get_by_role("button", name="提出する").click()
    page.get_by_role("button", name="この内容で提出する").click()
    page.get_by_text("回答を提出しました（第1版）。").wait_for()
    misato = Answer.objects.get(inquiry=inquiry, organization=seed.org("美里町"))
    assert misato.status == AnswerStatus.SUBMITTED
    assert misato.submitted_by == seed.representative_of("美里町")
    assert misato.data == {
        str(q1.pk): NOT_PUBLISHED,
        str(q2.pk): NOT_DISCLOSED,
        str(q3.pk): PDCA_NOT,
    }

    # 5. The secretariat reminds from the progress page: only the four not yet submitted.
    page = session.as_user(seed.secretariat)
    session.go("inquiries:progress", inquiry.pk)
    assert page.locator("#progress-summary").inner_text() == "19団体中15団体が提出済み（78.9%）"
    waiting = {"013030"} | NEVER_SUBMITTED
    # Four unchecked boxes, one per non-submitting row; one action reminds them all.
    boxes = page.locator("table.inq-progress").get_by_role("checkbox")
    assert boxes.count() == len(waiting)
    page.get_by_role("link", name="未提出の団体すべてに督促（4団体）").click()
    assert page.locator("#remind-organizations").inner_text() == "4団体"
    assert page.locator("#remind-addresses").inner_text() == "8件のメールアドレス"
    page.get_by_role("button", name="4団体に督促メールを送る").click()
    page.get_by_text("4団体への督促メールを作成・送信しています。").wait_for()
    page.get_by_text("手動（8通）").wait_for()
    reminded = OutboxMessage.objects.filter(template="inquiry_reminder")
    assert set(reminded.values_list("to_email", flat=True)) == seed.emails_of(waiting)
    assert reminded.count() == 8

    # 6. 所沢市 corrects its submitted answer: two versions are kept and shown.
    page = session.as_user(seed.staff_of("所沢市"))
    session.go("inquiries:answer", inquiry.pk)
    assert question(page, "Q1").get_by_label(PUBLISHED, exact=True).is_checked()
    choose(page, "Q1", NOT_PUBLISHED)
    page.get_by_role("button", name="修正した内容で再提出する").click()
    page.get_by_role("button", name="この内容で提出する").click()
    page.get_by_text("回答を提出しました（第2版）。").wait_for()
    page.get_by_role("link", name="提出履歴（2件）").click()
    # The old page has a <main> too: read only once the history has replaced it.
    page.wait_for_url(session.base + reverse("inquiries:answer_versions", args=[inquiry.pk]))
    versions = page.locator("main").inner_text()
    assert "第1版" in versions and "第2版" in versions
    assert PUBLISHED in versions and NOT_PUBLISHED in versions

    # 7. 当別町 answers offline: its own sheet, filled in with openpyxl, uploaded, submitted.
    page = session.as_user(seed.staff_of("当別町"))
    session.go("inquiries:answer", inquiry.pk)
    page.get_by_role("link", name="Excelの回答票で回答する（オフライン入力）").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="回答票（.xlsx）をダウンロード").click()
    download = download_info.value
    assert "_013030_" in download.suggested_filename
    sheet_path = tmp_path / download.suggested_filename
    download.save_as(sheet_path)
    book = openpyxl.load_workbook(sheet_path)
    sheet = book["回答"]
    assert sheet["B4"].value == "当別町"
    rows = {
        str(row[0].value).split(" ")[0]: row[0].row
        for row in sheet.iter_rows(min_row=9, max_col=1)
        if row[0].value and str(row[0].value).startswith("Q")
    }
    sheet.cell(rows["Q1"], 2, NOT_PUBLISHED)
    sheet.cell(rows["Q2"], 2, DISCLOSED)
    sheet.cell(rows["Q3"], 2, PDCA_NOT)
    book.save(sheet_path)
    page.set_input_files("#id_sheet", sheet_path)
    page.get_by_role("button", name="アップロードして保存").click()
    page.get_by_text("回答票の内容を保存しました").wait_for()
    session.go("inquiries:answer", inquiry.pk)
    assert question(page, "Q3").get_by_label(PDCA_NOT, exact=True).is_checked()
    page.get_by_role("button", name="提出する").click()
    page.get_by_role("button", name="この内容で提出する").click()
    page.get_by_text("回答を提出しました（第1版）。").wait_for()

    # 8. Before publication the answering organizations and outsiders may not see results.
    outsider = seed.staff[OUTSIDER[0]]
    for user in (seed.staff_of("当別町"), outsider):
        session.as_user(user)
        assert session.status_of("inquiries:compilation", inquiry.pk) == 403, user

    # 9. The compiled counts, as the secretariat reads them.
    page = session.as_user(seed.secretariat)
    session.go("inquiries:compilation", inquiry.pk)
    main = page.locator("main")
    assert "提出済み：19団体中16団体（84.2%）" in main.inner_text()

    def option_row(code: str, label: str) -> str:
        section = page.locator("section.cmp-question").filter(
            has=page.get_by_role("heading", name=code, exact=False)
        )
        heading = section.get_by_role("heading").first.inner_text()
        assert heading.startswith(f"{code} "), heading
        return section.locator("tbody tr").filter(has_text=label).first.inner_text()

    assert option_row("Q1", NOT_PUBLISHED).split("\t")[-1] == "16団体中15団体（93.8%）"
    assert "16団体中1団体（6.3%）" in option_row("Q1", PUBLISHED)
    assert "16団体中1団体（6.3%）" in option_row("Q2", NOT_DISCLOSED)
    assert "16団体中15団体（93.8%）" in option_row("Q2", DISCLOSED)
    assert "16団体中14団体（87.5%）" in option_row("Q3", PDCA_NOT)
    assert "16団体中1団体（6.3%）" in option_row("Q3", PDCA_OK)
    assert TAJIMI_PDCA in main.inner_text()

    # 10. The Excel export, requested and downloaded through the pages.
    page.get_by_role("link", name="ファイル出力（Excel・CSV）").click()
    page.get_by_label("Excel（.xlsx）", exact=False).check()
    page.get_by_role("button", name="ファイルを作成する").click()
    page.get_by_role("status").filter(has_text="完了").wait_for()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="ダウンロード", exact=True).click()
    export_path = tmp_path / "export.xlsx"
    download_info.value.save_as(export_path)
    workbook = openpyxl.load_workbook(export_path, read_only=True)
    assert workbook.sheetnames[:2] == ["集計", "回答一覧"]
    summary = [list(r) for r in workbook["集計"].iter_rows(values_only=True)]
    assert summary[1][0] == "提出 16団体（うち回答 16団体）"

    def summary_line(code: str, label: str) -> list:
        start = next(i for i, r in enumerate(summary) if str(r[0] or "").startswith(f"{code} "))
        return next(r for r in summary[start:] if r[0] == label)[:6]

    assert summary_line("Q1", PUBLISHED) == [
        PUBLISHED,
        1,
        16,
        1 / 16,
        None,
        "16団体中1団体（6.3%）",
    ]
    assert summary_line("Q1", NOT_PUBLISHED)[1:3] == [15, 16]
    assert summary_line("Q2", NOT_DISCLOSED)[1:3] == [1, 16]
    assert summary_line("Q3", PDCA_NOT)[1:3] == [14, 16]
    assert summary_line("Q3", "その他")[1:3] == [1, 16]
    matrix = [list(r) for r in workbook["回答一覧"].iter_rows(values_only=True)]
    header = matrix[0]
    assert header[:5] == ["団体コード", "都道府県", "団体名", "種別", "回答区分"]
    assert len(matrix) == 1 + 16
    by_name = {row[2]: dict(zip(header, row, strict=True)) for row in matrix[1:]}
    q1_column = next(h for h in header if h.startswith("Q1 "))
    q3_column = next(h for h in header if h.startswith("Q3 ") and "その他" not in h)
    assert [name for name, row in by_name.items() if row[q1_column] == PUBLISHED] == ["多治見市"]
    assert by_name["所沢市"][q1_column] == NOT_PUBLISHED  # the corrected version counts
    assert by_name["当別町"][q3_column] == PDCA_NOT
    assert by_name["多治見市"]["Q3 その他（内容）"] == TAJIMI_PDCA
    assert sum(1 for row in by_name.values() if row[q3_column] == PDCA_NOT) == 14
    assert not {"一戸町", "檜枝岐村", "早島町"} & set(by_name)
    workbook.close()

    # 11. Closed and published to 「回答した団体」: those who answered see it, others do not.
    session.go("inquiries:detail", inquiry.pk)
    # Each goes through a confirmation page that says what will happen.
    page.get_by_role("link", name="締め切る").click()
    page.get_by_text("未提出の").first.wait_for()
    page.get_by_role("button", name="締め切る").click()
    page.get_by_text("回答の受付を締め切りました。").wait_for()
    page.get_by_role("link", name="結果を公開する").click()
    page.get_by_text("公開範囲：回答した団体").wait_for()
    page.get_by_role("button", name="結果を公開する").click()
    page.get_by_text("結果を公開しました。").wait_for()
    page = session.as_user(seed.staff_of("当別町"))
    assert session.status_of("inquiries:compilation", inquiry.pk) == 200
    assert "16団体中15団体（93.8%）" in page.locator("main").inner_text()
    for user in (seed.staff_of("檜枝岐村"), outsider):
        session.as_user(user)
        assert session.status_of("inquiries:compilation", inquiry.pk) == 403, user


def test_machida_platform_inquiry_counts_seven_of_nineteen(page: Page, seed: Seed):
    session = Session(page)
    machida = seed.org("町田市")
    inquiry = services.inquiry_create(
        by=seed.secretariat,
        requester=machida,
        draft=services.InquiryDraft(
            title="地域情報プラットフォームへの準拠について",
            purpose="複数ベンダのシステム群を地域情報プラットフォームに準拠させる取組みの参考として照会します。",
            deadline=dt.datetime.now(dt.UTC) + dt.timedelta(days=14),
        ),
    )
    comply = services.question_create(
        inquiry=inquiry,
        by=seed.secretariat,
        draft=services.QuestionDraft(
            kind=QuestionKind.YES_NO,
            text="現在のシステムは地域情報プラットフォームに準拠していますか"
            "（次年度の調達で条件にする場合を含む）。",
        ),
    )
    systems = services.question_create(
        inquiry=inquiry,
        by=seed.secretariat,
        draft=services.QuestionDraft(
            kind=QuestionKind.NUMBER,
            text="準拠しているシステムの数",
            unit="システム",
            required=False,
        ),
    )
    note = services.question_create(
        inquiry=inquiry,
        by=seed.secretariat,
        draft=services.QuestionDraft(
            kind=QuestionKind.LONG_TEXT, text="準拠に向けた課題", required=False
        ),
    )
    targets = [
        o.pk for code, o in seed.organizations.items() if code not in ("132098", OUTSIDER[0])
    ]
    services.inquiry_targets_set(
        inquiry=inquiry, by=seed.secretariat, spec={"mode": "pick", "organization_ids": targets}
    )
    services.inquiry_open(inquiry=inquiry, by=seed.secretariat)
    assert inquiry.targets.count() == 19

    # Eighteen answer with the services; 一戸町's representative answers on the form.
    for number, (code, name, *_) in enumerate(ORGANIZATIONS):
        if code in ("132098", "035246"):
            continue
        yes = code in MACHIDA_YES
        values: dict[str, object] = {str(comply.pk): "はい" if yes else "いいえ"}
        if yes:
            values[str(systems.pk)] = 3 + number % 5
        else:
            values[str(note.pk)] = f"{name}：複数ベンダの調整が課題"
        answer_with_services(inquiry, seed.staff[code], values)

    page = session.as_user(seed.representative_of("一戸町"))
    session.go("inquiries:detail", inquiry.pk)
    page.get_by_role("link", name="回答を入力する").click()
    question(page, "Q1").get_by_label("はい", exact=True).check()
    question(page, "Q2").get_by_role("textbox").fill("０")
    question(page, "Q3").get_by_role("textbox").fill("次年度の調達で準拠を条件にする。")
    page.get_by_role("button", name="提出する").click()
    page.get_by_role("button", name="この内容で提出する").click()
    page.get_by_text("回答を提出しました（第1版）。").wait_for()
    ichinohe = Answer.objects.get(inquiry=inquiry, organization=seed.org("一戸町"))
    assert ichinohe.data[str(systems.pk)] == 0

    # 町田市 reads 「19団体中7団体（36.8%）」 on its compilation page.
    page = session.as_user(seed.staff_of("町田市"))
    session.go("inquiries:compilation", inquiry.pk)
    main = page.locator("main").inner_text()
    assert "提出済み：19団体中19団体（100.0%）" in main
    rows = page.locator("section.cmp-question").first.locator("tbody tr")
    assert (
        rows.filter(has_text="はい").first.inner_text().split("\t")[-1] == "19団体中7団体（36.8%）"
    )
    assert "19団体中12団体（63.2%）" in rows.filter(has_text="いいえ").first.inner_text()
    assert "次年度の調達で準拠を条件にする。" in main
    # Outsiders and answering organizations wait for publication.
    session.as_user(seed.staff_of("多治見市"))
    assert session.status_of("inquiries:compilation", inquiry.pk) == 403
