"""Answering through an organization's answer link, without an account, and its limits."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renkei.audit.models import Action, AuditEvent
from renkei.inquiries import mailings, services
from renkei.inquiries.models import Answer, AnswerLink, AnswerStatus, Inquiry
from renkei.inquiries.tests.builders import answer_post, make_open
from renkei.mailer.models import OutboxMessage
from renkei.testing import login_client as login
from renkei.testing import text_of
from tests.browser.fixtures import serious_violations


@pytest.fixture(autouse=True)
def every_target_has_a_contact(contacts):
    """Links are issued with the mail: every target needs an address to get one."""
    return contacts


def link_of(inquiry: Inquiry, organization) -> AnswerLink:
    return AnswerLink.objects.get(inquiry=inquiry, organization=organization, revoked_at=None)


def path_of(link: AnswerLink) -> str:
    return reverse("answer_link:open", args=[mailings.answer_link_token(link)])


def started(inquiry: Inquiry, organization, *, name: str = "当別 窓口") -> Client:
    """Return an anonymous browser that opened the organization's link and gave a name."""
    client = Client()
    link = link_of(inquiry, organization)
    response = client.post(path_of(link), {"respondent": name})
    assert response.status_code == 302
    assert response["Location"] == reverse("answer_link:answer")
    return client


def test_link_page_names_the_inquiry_and_organization_and_changes_nothing(council):
    inquiry = make_open(council)

    response = Client().get(path_of(link_of(inquiry, council.member_org)))

    page = text_of(response)
    assert response.status_code == 200
    assert "当別町の回答" in page
    assert inquiry.title in page
    assert not Answer.objects.filter(inquiry=inquiry).exists()
    assert AuditEvent.objects.filter(action=Action.ANSWER_LINK_USED, detail__step="open").exists()


def test_anonymous_recipient_answers_and_submits_through_the_link(council):
    inquiry = make_open(council)
    client = started(inquiry, council.member_org)

    form = client.get(reverse("answer_link:answer"))
    assert form.status_code == 200
    assert "回答：当別町" in text_of(form)
    assert not Answer.objects.filter(inquiry=inquiry).exists()  # opening the form saves nothing
    unsaved = Answer(inquiry=inquiry, organization=council.member_org)
    response = client.post(reverse("answer_link:answer"), answer_post(inquiry, unsaved, "submit"))

    # 提出する saves and shows the whole answer first (確認画面); nothing is sent yet.
    assert response["Location"] == reverse("answer_link:submit")
    answer = Answer.objects.get(inquiry=inquiry, organization=council.member_org)
    assert answer.status == AnswerStatus.DRAFT
    confirm = client.get(reverse("answer_link:submit"))
    assert "提出内容の確認" in text_of(confirm)
    assert "回答者：当別 窓口" in text_of(confirm)
    response = client.post(
        reverse("answer_link:submit"), {"confirm": "yes", "revision": answer.revision}
    )

    assert response["Location"] == reverse("answer_link:answer")
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.SUBMITTED
    assert answer.submitted_by is None
    steps = list(
        AuditEvent.objects.filter(action=Action.ANSWER_LINK_USED)
        .order_by("pk")
        .values_list("detail__step", flat=True)
    )
    assert steps == ["start", "view", "save", "confirm", "submit v1"]
    event = AuditEvent.objects.filter(action=Action.ANSWER_LINK_USED).last()
    assert event.detail["respondent"] == "当別 窓口"
    assert event.detail["organization"] == council.member_org.pk
    assert OutboxMessage.objects.filter(template="inquiry_answer_received").exists()


def test_link_needs_the_respondents_name(council):
    inquiry = make_open(council)

    response = Client().post(path_of(link_of(inquiry, council.member_org)), {"respondent": "　"})

    assert response.status_code == 400
    assert "お名前を入力してください。" in text_of(response)
    assert not AuditEvent.objects.filter(detail__step="start").exists()


def test_link_session_reaches_no_other_page(council):
    inquiry = make_open(council)
    other = make_open(council)
    client = started(inquiry, council.member_org)

    for path in [
        reverse("home"),
        reverse("inquiries:list"),
        reverse("inquiries:detail", args=[inquiry.pk]),
        reverse("inquiries:answer", args=[inquiry.pk]),
        reverse("inquiries:answer", args=[other.pk]),
        reverse("inquiries:progress", args=[inquiry.pk]),
        reverse("inquiries:proxy_answer", args=[inquiry.pk, council.other_org.pk]),
        reverse("directory:person_list"),
        reverse("directory:organization_notification", args=[council.member_org.pk]),
    ]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("account_login")), path


def test_link_cannot_answer_for_another_organization_or_inquiry(council):
    inquiry = make_open(council)
    other = make_open(council)
    client = started(inquiry, council.member_org)
    client.get(reverse("answer_link:answer"))
    unsaved = Answer(inquiry=inquiry, organization=council.member_org)

    client.post(reverse("answer_link:answer"), answer_post(inquiry, unsaved, "save"))

    # The session's one answer changed; nothing of the other organization or inquiry exists.
    assert set(Answer.objects.values_list("inquiry_id", "organization_id")) == {
        (inquiry.pk, council.member_org.pk)
    }
    assert other.pk != inquiry.pk


def test_a_forged_or_tampered_token_is_refused(council):
    inquiry = make_open(council)
    token = mailings.answer_link_token(link_of(inquiry, council.member_org))

    for bad in [token[:-2] + "xx", "abc", token.replace(":", "", 1)]:
        response = Client().get(reverse("answer_link:open", args=[bad]))
        assert response.status_code == 403
        assert "正しくありません" in text_of(response)


def test_link_expires_at_the_deadline_and_works_again_after_an_extension(council):
    inquiry = make_open(council)
    client = started(inquiry, council.member_org)
    Inquiry.objects.filter(pk=inquiry.pk).update(deadline=timezone.now() - dt.timedelta(hours=1))

    assert client.get(reverse("answer_link:answer")).status_code == 403
    link_path = path_of(link_of(inquiry, council.member_org))
    assert "受付を終了" in text_of(Client().get(link_path))

    inquiry.refresh_from_db()
    services.inquiry_close(inquiry=inquiry, by=council.secretariat)
    services.inquiry_extend_deadline(
        inquiry=inquiry, by=council.secretariat, deadline=timezone.now() + dt.timedelta(days=7)
    )
    assert Client().get(link_path).status_code == 200
    assert client.get(reverse("answer_link:answer")).status_code == 200


def test_secretariat_revokes_one_organizations_link_with_confirmation(council):
    inquiry = make_open(council)
    client = started(inquiry, council.member_org)
    other_path = path_of(link_of(inquiry, council.other_org))
    secretariat = login(council.secretariat)
    url = reverse("inquiries:answer_links_revoke", args=[inquiry.pk])

    confirm = secretariat.get(url, {"organization": council.member_org.pk})
    assert "当別町の回答用リンクを取り消します" in text_of(confirm)
    assert AnswerLink.objects.filter(revoked_at__isnull=False).count() == 0
    secretariat.post(f"{url}?organization={council.member_org.pk}")

    assert client.get(reverse("answer_link:answer")).status_code == 403
    assert Client().get(other_path).status_code == 200
    event = AuditEvent.objects.get(action=Action.ANSWER_LINK_REVOKED)
    assert event.actor == council.secretariat
    assert event.detail == {"organization": council.member_org.pk, "count": 1}


def test_secretariat_revokes_every_link_of_the_inquiry(council):
    inquiry = make_open(council)
    paths = [path_of(link) for link in AnswerLink.objects.filter(inquiry=inquiry)]

    login(council.secretariat).post(reverse("inquiries:answer_links_revoke", args=[inquiry.pk]))

    assert paths
    for path in paths:
        assert Client().get(path).status_code == 403
    assert AuditEvent.objects.get(action=Action.ANSWER_LINK_REVOKED).detail["count"] == 3


def test_reissued_link_replaces_the_old_one_and_is_mailed(council):
    inquiry = make_open(council)
    old_path = path_of(link_of(inquiry, council.other_org))
    OutboxMessage.objects.all().delete()

    login(council.secretariat).post(
        reverse("inquiries:answer_link_reissue", args=[inquiry.pk, council.other_org.pk])
    )

    new_link = link_of(inquiry, council.other_org)
    assert Client().get(old_path).status_code == 403
    assert Client().get(path_of(new_link)).status_code == 200
    [mail] = OutboxMessage.objects.filter(template="inquiry_answer_link")
    assert mail.to_email == council.outsider.email
    [token] = re.findall(r"/answer/([^/\s]+)/", mail.body_text)
    assert services.answer_link_resolve(token=token) == new_link
    assert AuditEvent.objects.filter(action=Action.ANSWER_LINK_ISSUED).exists()


def test_a_revoked_organization_gets_no_link_in_reminders(council):
    inquiry = make_open(council)
    services.answer_link_revoke(
        inquiry=inquiry, by=council.secretariat, organization=council.other_org
    )
    OutboxMessage.objects.all().delete()

    services.inquiry_remind(inquiry=inquiry, by=council.secretariat)

    [mail] = OutboxMessage.objects.filter(to_email=council.outsider.email)
    assert "/answer/" not in mail.body_text
    assert "/answer/" in OutboxMessage.objects.get(to_email=council.staff.email).body_text


@pytest.mark.parametrize("who", ["outsider", "staff", "representative", "board", "anonymous"])
def test_only_the_secretariat_may_revoke_or_reissue_links(council, who):
    inquiry = make_open(council)
    client = Client() if who == "anonymous" else login(getattr(council, who))
    urls = [
        reverse("inquiries:answer_links_revoke", args=[inquiry.pk]),
        reverse("inquiries:answer_link_reissue", args=[inquiry.pk, council.member_org.pk]),
    ]

    for url in urls:
        for response in (client.get(url), client.post(url)):
            assert response.status_code in (302, 403), url
            if who == "anonymous":
                assert response["Location"].startswith(reverse("account_login"))
    assert not AnswerLink.objects.filter(revoked_at__isnull=False).exists()


def test_answer_form_without_a_link_session_is_refused(council):
    make_open(council)

    for client in (Client(), login(council.staff)):
        assert client.get(reverse("answer_link:answer")).status_code == 403
        assert client.get(reverse("answer_link:conditions")).status_code == 403


def test_ending_the_session_closes_the_answer_form(council):
    inquiry = make_open(council)
    client = started(inquiry, council.member_org)

    client.post(reverse("answer_link:end"))

    assert client.get(reverse("answer_link:answer")).status_code == 403


def test_link_answer_to_an_inquiry_requiring_confirmation_needs_the_heads_approval(council):
    inquiry = make_open(council, requires_confirmation=True)
    client = started(inquiry, council.member_org)
    client.get(reverse("answer_link:answer"))
    unsaved = Answer(inquiry=inquiry, organization=council.member_org)

    client.post(reverse("answer_link:answer"), answer_post(inquiry, unsaved, "submit"))
    answer = Answer.objects.get(inquiry=inquiry)
    assert "所属長の確認を得ました" in text_of(client.get(reverse("answer_link:submit")))

    refused = client.post(
        reverse("answer_link:submit"), {"confirm": "yes", "revision": answer.revision}, follow=True
    )
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.DRAFT
    assert "所属長の確認を得てから" in text_of(refused)

    client.post(
        reverse("answer_link:submit"),
        {"confirm": "yes", "revision": answer.revision, "head_confirmed": "1"},
    )
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.SUBMITTED
    assert answer.confirmed_at is not None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_recipient_without_account_answers_by_link_in_the_browser(page, council):
    inquiry = make_open(council)
    q2 = inquiry.questions.get(code="Q2")
    page.set_viewport_size({"width": 375, "height": 800})

    page.goto(page.base_url + path_of(link_of(inquiry, council.member_org)))
    found = serious_violations(page)
    page.get_by_label("お名前").fill("情報政策課 当別 窓口")
    page.get_by_role("button", name="回答を始める").click()
    page.get_by_role("heading", name="回答：当別町").wait_for()
    found += serious_violations(page)
    page.get_by_label("はい").check()
    page.locator(f"#question-{q2.pk}").wait_for(state="visible")  # the link's own conditions
    page.get_by_label("公表している場所を教えてください。").fill("例規集に掲載")
    page.get_by_role("button", name="提出する").click()
    page.get_by_role("heading", name="提出内容の確認").wait_for()
    found += serious_violations(page)
    page.get_by_text("例規集に掲載").wait_for()
    page.get_by_role("button", name="この内容で提出する").click()
    page.get_by_text("回答を提出しました（第1版）。").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")

    assert found == []
    assert width == 375
    answer = Answer.objects.get(inquiry=inquiry, organization=council.member_org)
    assert answer.status == AnswerStatus.SUBMITTED
