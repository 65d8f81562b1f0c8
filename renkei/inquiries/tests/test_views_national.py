"""Inquiry pages at national scale and the confirmation steps of irreversible actions.

The progress page lists its targets filtered and a page at a time, with one action that
reminds every non-submitting organization after a confirmation page; closing, publishing
and submitting go through a confirmation page; and no GET writes anything.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse

from renkei.audit.models import Action, AuditEvent
from renkei.directory.models import Organization
from renkei.inquiries import services
from renkei.inquiries.models import (
    Answer,
    AnswerVersion,
    Inquiry,
    InquiryStatus,
    Mailing,
    MailingStatus,
    Reminder,
    ReminderKind,
    Target,
)
from renkei.inquiries.tests.builders import (
    complete_data,
    make_open,
    make_villages,
    started_answer,
)
from renkei.mailer.models import OutboxMessage
from renkei.testing import login_client as login
from renkei.testing import make_contact, make_user, text_of

pytestmark = pytest.mark.django_db


def add_targets(inquiry: Inquiry, count: int, *, prefecture_code: str = "13") -> list[Organization]:
    """Add `count` villages of one prefecture to an open inquiry's targets."""
    organizations = make_villages(count, prefecture_code=prefecture_code)
    Target.objects.bulk_create(Target(inquiry=inquiry, organization=o) for o in organizations)
    return organizations


def state() -> tuple:
    """Return what the actions below could change, to compare before and after."""
    return (
        Answer.objects.count(),
        AnswerVersion.objects.count(),
        list(Inquiry.objects.order_by("pk").values_list("status", "updated_at")),
        list(Answer.objects.order_by("pk").values_list("status", "revision", "data")),
        Reminder.objects.count(),
        OutboxMessage.objects.count(),
    )


# --- the progress page ----------------------------------------------------------------------


def test_progress_page_shows_one_page_of_targets_with_the_summary_first(council):
    inquiry = make_open(council)
    add_targets(inquiry, 120)

    page = text_of(login(council.secretariat).get(reverse("inquiries:progress", args=[inquiry.pk])))

    assert "123団体中0団体が提出済み（0.0%）" in page
    assert page.index("提出の状況") < page.index("照会先の団体")
    assert page.count('name="organizations"') == 50
    assert "1 / 3 ページ（全123件）" in page
    assert "未提出の団体すべてに督促（123団体）" in page


def test_progress_page_filters_by_status_prefecture_kind_and_name(council):
    inquiry = make_open(council)
    add_targets(inquiry, 30)
    answer = started_answer(inquiry, council.member_org)
    services.answer_save(answer=answer, by=council.staff, revision=0, data=complete_data(inquiry))
    services.answer_submit(answer=answer, by=council.staff, revision=answer.revision)
    client = login(council.secretariat)
    url = reverse("inquiries:progress", args=[inquiry.pk])

    submitted = text_of(client.get(url, {"status": "submitted"}))
    hokkaido_towns = text_of(client.get(url, {"prefecture": "01", "kind": "town"}))
    by_name = text_of(client.get(url, {"q": "和木"}))
    by_code = text_of(client.get(url, {"q": "９００００１"}))  # full-width digits, as typed
    waiting_page_2 = text_of(client.get(url, {"status": "waiting", "page": "1"}))

    assert "条件に当てはまる団体：1団体" in submitted and "当別町" in submitted
    assert "条件に当てはまる団体：1団体" in hokkaido_towns and "当別町" in hokkaido_towns
    assert "条件に当てはまる団体：1団体" in by_name and "和木町" in by_name
    assert "試験村0001" in by_code
    assert "条件に当てはまる団体：32団体" in waiting_page_2
    assert "当別町" not in waiting_page_2


def test_progress_page_counts_each_status_as_many_as_it_lists(council):
    inquiry = make_open(council)
    organizations = add_targets(inquiry, 6)
    submitted = started_answer(inquiry, council.member_org)
    services.answer_save(
        answer=submitted, by=council.staff, revision=0, data=complete_data(inquiry)
    )
    services.answer_submit(answer=submitted, by=council.staff, revision=submitted.revision)
    for organization in organizations[:2]:
        Answer.objects.create(inquiry=inquiry, organization=organization)
    client = login(council.secretariat)
    url = reverse("inquiries:progress", args=[inquiry.pk])

    for status, expected in (
        ("waiting", 8),
        ("not_started", 6),
        ("draft", 2),
        ("awaiting_confirmation", 0),
        ("submitted", 1),
    ):
        page = client.get(url, {"status": status}).content.decode()
        listed = page.count('<th scope="row">')
        assert listed == expected, status
        assert f"条件に当てはまる団体：{expected}団体" in page, status


def test_progress_page_names_a_shared_mailbox_and_its_address(council):
    inquiry = make_open(council)
    Organization.objects.filter(pk=council.member_org.pk).update(
        notification_email="jouhou@example.lg.jp"
    )

    page = (
        login(council.secretariat)
        .get(reverse("inquiries:progress", args=[inquiry.pk]), {"q": council.member_org.name})
        .content.decode()
    )

    row = page.split(f'<span class="nowrap">{council.member_org.name}</span>')[1].split("</tr>")[0]
    assert '<span class="nowrap">共有アドレス</span>' in row
    assert '<a href="mailto:jouhou@example.lg.jp">jouhou@example.lg.jp</a>' in row


def test_progress_page_escapes_names_and_links_each_row_to_its_organization(council):
    inquiry = make_open(council)
    org = council.member_org
    Organization.objects.filter(pk=org.pk).update(name="<b>当別町</b>", notification_email="")

    page = (
        login(council.secretariat)
        .get(reverse("inquiries:progress", args=[inquiry.pk]), {"q": "当別町"})
        .content.decode()
    )

    assert "<b>当別町</b>" not in page
    row = page.split('<span class="nowrap">&lt;b&gt;当別町&lt;/b&gt;</span>')[1].split("</tr>")[0]
    proxy = reverse("inquiries:proxy_answer", args=[inquiry.pk, org.pk])
    assert (
        f'<a class="nowrap" href="{proxy}">代理入力<span class="visually-hidden">（&lt;b&gt;当別町&lt;/b&gt;）</span></a>'
        in row
    )


def test_progress_page_keeps_the_filters_in_its_page_links(council):
    inquiry = make_open(council)
    add_targets(inquiry, 60)

    page = text_of(
        login(council.secretariat).get(
            reverse("inquiries:progress", args=[inquiry.pk]),
            {"status": "waiting", "kind": "village"},
        )
    )

    assert 'href="?status=waiting&amp;kind=village&amp;page=2"' in page


@pytest.mark.parametrize("count", [5, 200])
def test_progress_page_with_contacts_and_drafts_keeps_its_queries(
    council, count, django_assert_max_num_queries
):
    inquiry = make_open(council)
    organizations = add_targets(inquiry, count)
    for organization in organizations[: count // 2]:
        Answer.objects.create(inquiry=inquiry, organization=organization)
        make_user(
            username=f"staff{organization.pk}",
            name="試験 太郎",
            role="staff",
            organization=organization,
        )
    client = login(council.secretariat)
    url = reverse("inquiries:progress", args=[inquiry.pk])
    client.get(url)

    # PROGRESS_PAGE_QUERIES below.
    with django_assert_max_num_queries(10):
        response = client.get(url)

    assert response.status_code == 200


# Session, user, MFA check, inquiry, counts, the page's targets with their answers, their
# contacts, notices being mailed, reminders sent.
PROGRESS_PAGE_QUERIES = 9


@pytest.mark.parametrize("count", [5, 300])
@pytest.mark.parametrize("status", ["", "waiting"])
def test_progress_page_queries_stay_the_same_however_many_targets(
    council, count, status, django_assert_num_queries
):
    inquiry = make_open(council)
    organizations = add_targets(inquiry, count)
    for organization in organizations[: count // 2]:
        Answer.objects.create(inquiry=inquiry, organization=organization)
        make_contact(
            user=make_user(
                username=f"staff{organization.pk}",
                name="試験 太郎",
                role="staff",
                organization=organization,
            )
        )
    services.inquiry_remind(inquiry=inquiry, organizations=None, by=council.secretariat)
    client = login(council.secretariat)
    url = reverse("inquiries:progress", args=[inquiry.pk])
    client.get(url, {"status": status})

    with django_assert_num_queries(PROGRESS_PAGE_QUERIES) as queries:
        response = client.get(url, {"status": status})

    page = text_of(response)
    assert page.count('<th scope="row">') == min(count + 3, 50)
    # The page shows neither the requester nor the author: the inquiry is read alone, and
    # the contacts without their departments.
    sql = [query["sql"] for query in queries.captured_queries]
    assert "JOIN" not in next(q for q in sql if 'FROM "inquiries_inquiry"' in q)
    assert not any("directory_department" in q for q in sql)
    assert "試験 太郎" in page
    assert "督促の履歴" in page


def test_progress_page_lists_the_reminders_sent_with_their_sender(council):
    inquiry = make_open(council)
    add_targets(inquiry, 3)
    first = services.inquiry_remind(inquiry=inquiry, organizations=None, by=council.secretariat)
    automatic = services.inquiry_remind(inquiry=inquiry, kind=ReminderKind.AUTOMATIC)
    Reminder.objects.filter(pk=first.pk).update(sent_at=automatic.sent_at - dt.timedelta(days=1))
    Mailing.objects.filter(pk=automatic.mailing_id).update(status=MailingStatus.RUNNING)

    page = text_of(login(council.secretariat).get(reverse("inquiries:progress", args=[inquiry.pk])))

    history = page.split("督促の履歴")[1].split("</ul>")[0]
    lines = re.findall(r"<li>(.*?)</li>", history)
    assert len(lines) == 2
    assert lines[0].endswith(" 自動（メール作成中）")
    assert lines[1].endswith(
        f" 手動（{first.message_count}通） {council.secretariat.get_full_name()}"
    )


def test_outsider_cannot_see_the_progress_page_or_remind(council):
    inquiry = make_open(council)
    before = state()

    for client in (login(council.outsider), login(council.staff)):
        assert client.get(reverse("inquiries:progress", args=[inquiry.pk])).status_code == 403
        assert client.get(reverse("inquiries:remind", args=[inquiry.pk])).status_code == 403
        response = client.post(
            reverse("inquiries:remind", args=[inquiry.pk]), {"scope": "all", "confirm": "on"}
        )
        assert response.status_code == 403
    assert state() == before


# --- reminders ------------------------------------------------------------------------------


@pytest.fixture
def to_remind(council) -> Inquiry:
    """An open inquiry to 43 organizations, 3 of them with a 連絡窓口; the outbox emptied."""
    for user in (council.staff, council.outsider, council.board):
        make_contact(user=user)
    inquiry = make_open(council)
    add_targets(inquiry, 40)
    OutboxMessage.objects.all().delete()
    return inquiry


def test_remind_all_asks_first_naming_organizations_and_addresses(council, to_remind):
    inquiry = to_remind
    before = state()

    page = text_of(login(council.secretariat).get(reverse("inquiries:remind", args=[inquiry.pk])))

    assert state() == before
    assert "まだ提出していない団体すべて" in page
    assert '<strong id="remind-organizations">43団体</strong>' in page
    # 当別町, 和木町 and 深川市 have a 連絡窓口 with an address; the villages none.
    assert '<strong id="remind-addresses">3件のメールアドレス</strong>' in page


def test_remind_all_after_confirmation_mails_every_non_submitting_organization(council, to_remind):
    response = login(council.secretariat).post(
        reverse("inquiries:remind", args=[to_remind.pk]),
        {"scope": "all", "confirm": "on"},
        follow=True,
    )

    text = text_of(response)
    assert "43団体への督促メールを作成・送信しています。" in text
    # The mailing ran (tasks run inline in tests): the history shows the mails it made.
    assert "手動（3通）" in text
    assert Reminder.objects.get().organizations.count() == 43
    assert Reminder.objects.get().message_count == 3


def test_remind_chosen_without_confirmation_shows_the_page_and_sends_nothing(council):
    inquiry = make_open(council)
    OutboxMessage.objects.all().delete()
    before = state()

    response = login(council.secretariat).post(
        reverse("inquiries:remind", args=[inquiry.pk]),
        {"scope": "selected", "organizations": [council.other_org.pk]},
    )

    assert response.status_code == 200
    assert "和木町" in text_of(response)
    assert '<strong id="remind-organizations">1団体</strong>' in text_of(response)
    assert state() == before


def test_remind_chosen_with_nothing_chosen_is_refused_in_japanese(council):
    inquiry = make_open(council)
    before = state()

    response = login(council.secretariat).post(
        reverse("inquiries:remind", args=[inquiry.pk]),
        {"scope": "selected", "confirm": "on"},
        follow=True,
    )

    assert "督促する団体を1つ以上選んでください。" in text_of(response)
    assert state() == before


# --- close and publish ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["inquiries:close", "inquiries:publish"])
def test_close_and_publish_get_shows_a_confirmation_and_changes_nothing(council, name):
    inquiry = make_open(council)
    if name == "inquiries:publish":
        services.inquiry_close(inquiry=inquiry, by=council.secretariat)
    before = state()
    client = login(council.secretariat)

    page = text_of(client.get(reverse(name, args=[inquiry.pk])))
    unconfirmed = client.post(reverse(name, args=[inquiry.pk]))

    assert unconfirmed.status_code == 200
    assert state() == before
    assert 'name="confirm" value="yes"' in page
    assert "送信するメール：" in page
    if name == "inquiries:close":
        assert "照会先3団体のうち0団体が提出済みです（0.0%）" in page
        assert "未提出の3団体は、締め切った後は回答を保存・提出できません。" in page
    else:
        assert "公開範囲：回答した団体" in page


def test_close_after_confirmation_stops_answers(council):
    inquiry = make_open(council)

    login(council.secretariat).post(
        reverse("inquiries:close", args=[inquiry.pk]), {"confirm": "yes"}
    )

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED


def test_outsider_cannot_close_or_publish(council):
    inquiry = make_open(council)
    before = state()

    for name in ("inquiries:close", "inquiries:publish"):
        response = login(council.outsider).post(
            reverse(name, args=[inquiry.pk]), {"confirm": "yes"}
        )
        assert response.status_code == 403
    assert state() == before


# --- answers: a GET writes nothing, submitting shows the answer first ----------------------


def test_opening_the_answer_page_leaves_the_organization_not_started(council):
    inquiry = make_open(council)
    before = state()

    page = text_of(login(council.staff).get(reverse("inquiries:answer", args=[inquiry.pk])))
    progress = text_of(
        login(council.secretariat).get(
            reverse("inquiries:progress", args=[inquiry.pk]), {"q": "当別"}
        )
    )

    assert "未着手" in page
    assert state() == before
    table = progress.split('<table class="inq-progress">')[1]
    assert "未着手" in table and "作成中" not in table


def test_opening_proxy_entry_creates_no_answer_but_is_audited(council):
    inquiry = make_open(council)
    before = state()

    response = login(council.secretariat).get(
        reverse("inquiries:proxy_answer", args=[inquiry.pk, council.other_org.pk])
    )

    assert response.status_code == 200
    assert state() == before
    assert AuditEvent.objects.filter(
        action=Action.RECORD_VIEWED, detail__organization=council.other_org.pk
    ).exists()


def test_first_save_creates_the_answer(council):
    inquiry = make_open(council)
    q1 = inquiry.questions.get(code="Q1")

    login(council.staff).post(
        reverse("inquiries:answer", args=[inquiry.pk]),
        {"revision": 0, "kind": "answered", f"q{q1.pk}": "はい", "intent": "save"},
    )

    answer = Answer.objects.get(inquiry=inquiry)
    assert answer.data == {str(q1.pk): "はい"}
    assert answer.updated_by == council.staff


def test_submit_button_saves_then_shows_every_question_with_its_answer(council):
    inquiry = make_open(council)
    q1, q2 = inquiry.questions.order_by("position")
    client = login(council.staff)

    response = client.post(
        reverse("inquiries:answer", args=[inquiry.pk]),
        {
            "revision": 0,
            "kind": "answered",
            f"q{q1.pk}": "はい",
            f"q{q2.pk}": "例規集に掲載",
            "intent": "submit",
        },
        follow=True,
    )

    page = text_of(response)
    assert response.redirect_chain[-1][0] == reverse("inquiries:answer_submit", args=[inquiry.pk])
    assert q1.text in page and "はい" in page
    assert q2.text in page and "例規集に掲載" in page
    assert "この内容で提出する" in page
    assert not AnswerVersion.objects.exists()


def test_submit_confirmation_get_and_unconfirmed_post_change_nothing(council):
    inquiry = make_open(council)
    answer = started_answer(inquiry, council.member_org)
    services.answer_save(answer=answer, by=council.staff, revision=0, data=complete_data(inquiry))
    client = login(council.staff)
    url = reverse("inquiries:answer_submit", args=[inquiry.pk])
    before = state()

    client.get(url)
    client.post(url, {"revision": answer.revision})

    assert state() == before


def test_submit_confirmation_submits_once_confirmed(council):
    inquiry = make_open(council)
    answer = started_answer(inquiry, council.member_org)
    services.answer_save(answer=answer, by=council.staff, revision=0, data=complete_data(inquiry))

    response = login(council.staff).post(
        reverse("inquiries:answer_submit", args=[inquiry.pk]),
        {"confirm": "yes", "revision": answer.revision},
        follow=True,
    )

    assert "回答を提出しました（第1版）。" in text_of(response)
    assert AnswerVersion.objects.filter(answer=answer).count() == 1


def test_submit_confirmation_lists_missing_required_answers_and_offers_no_button(council):
    inquiry = make_open(council)
    q1 = inquiry.questions.get(code="Q1")
    answer = started_answer(inquiry, council.member_org)
    services.answer_save(answer=answer, by=council.staff, revision=0, data={})

    page = text_of(login(council.staff).get(reverse("inquiries:answer_submit", args=[inquiry.pk])))

    assert "未回答の必須設問があるため提出できません" in page
    assert q1.text[:20] in page
    assert "この内容で提出する" not in page


def test_outsider_cannot_open_another_organizations_submit_page(council):
    inquiry = make_open(council)
    answer = started_answer(inquiry, council.member_org)
    services.answer_save(answer=answer, by=council.staff, revision=0, data=complete_data(inquiry))
    before = state()

    not_a_target = login(council.observer).get(
        reverse("inquiries:answer_submit", args=[inquiry.pk])
    )
    proxy = login(council.staff).post(
        reverse("inquiries:proxy_submit", args=[inquiry.pk, council.member_org.pk]),
        {"confirm": "yes", "revision": answer.revision},
    )

    assert not_a_target.status_code == 403
    assert proxy.status_code == 403
    assert state() == before


# --- in a real browser at 320 px ------------------------------------------------------------

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

# The codes (6 digits) and names with 北海道 in the page's tables laid out on more than one
# line, and how far the page itself scrolls sideways.
LAYOUT_SCRIPT = r"""() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (!node.parentElement.closest('table') || !/^\d{6}$|北海道/.test(text)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if (range.getClientRects().length > 1) broken.push(text);
  }
  const wraps = [...document.querySelectorAll('.table-wrap')].map(w => w.scrollWidth > w.clientWidth);
  return {
    broken,
    pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    scrollingTables: wraps.filter(Boolean).length,
  };
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_progress_and_compilation_tables_scroll_in_their_box_at_320px(page, council):
    from allauth.mfa.totp.internal.auth import TOTP

    from renkei.testing import PASSWORD
    from tests.browser.fixtures import login as login_form

    inquiry = make_open(council)
    add_targets(inquiry, 60, prefecture_code="01")
    Organization.objects.filter(name__startswith="試験村").update(name="北海道上川郡東神楽町")
    answer = started_answer(inquiry, council.member_org)
    services.answer_save(answer=answer, by=council.staff, revision=0, data=complete_data(inquiry))
    services.answer_submit(answer=answer, by=council.staff, revision=answer.revision)
    TOTP.activate(council.secretariat, TOTP_SECRET)
    page.set_viewport_size({"width": 320, "height": 800})
    login_form(
        page, username=council.secretariat.username, password=PASSWORD, totp_secret=TOTP_SECRET
    )
    seen = {}
    for name in ("inquiries:progress", "inquiries:compilation", "inquiries:compilation_matrix"):
        page.goto(page.base_url + reverse(name, args=[inquiry.pk]))
        seen[name] = page.evaluate(LAYOUT_SCRIPT)

    for name, layout in seen.items():
        assert layout["broken"] == [], name
        assert layout["pageWidth"] == layout["viewport"] == 320, name
    assert seen["inquiries:progress"]["scrollingTables"] >= 1
