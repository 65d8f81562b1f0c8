"""The poll pages in a real browser: voting with the keyboard, and no serious axe findings."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from renkei.polls.models import PollStatus, Vote, VoteChoice, VoteScope
from renkei.testing import PASSWORD
from tests.browser.fixtures import login, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_votes_with_the_keyboard_and_reads_an_accessible_chart(
    page,
    council,
    make_poll,
    today,
):
    running = make_poll(vote_scope=VoteScope.PERSON)
    closed = make_poll(
        question="LG.JPドメインの利用について",
        start=today - timedelta(days=20),
        end=today - timedelta(days=6),
    )
    ballot = Vote.objects.create(poll=closed, voter=council.board, voter_key="person:0")
    VoteChoice.objects.create(vote=ballot, choice=closed.choices.first())
    make_poll(
        question="仮想化技術導入について",
        status=PollStatus.REQUESTED,
        requesting_organization=council.member_org,
        start=today + timedelta(days=3),
    )
    login(page, username=council.staff.username, password=PASSWORD)

    page.goto(page.base_url + "/polls/")
    assert page.get_by_role("heading", name="調査コーナー", level=1).is_visible()
    assert serious_violations(page) == []

    page.goto(page.base_url + f"/polls/{running.pk}/")
    group = page.get_by_role("group", name=running.question)
    group.get_by_label("導入予定").focus()
    page.keyboard.press("Space")
    assert group.get_by_label("導入予定").is_checked()
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("投票を受け付けました。").is_visible()
    chart = page.get_by_role("img", name=f"「{running.question}」の調査結果")
    assert chart.count() == 1
    assert page.get_by_role("cell", name="1票中1票（100.0%）").is_visible()
    assert serious_violations(page) == []

    page.goto(page.base_url + "/polls/request/")
    page.get_by_role("button", name="依頼を送る").click()
    expect(page.get_by_text("調査項目を入力してください。")).to_be_visible()
    assert serious_violations(page) == []


def test_poll_request_form_puts_each_label_above_its_input(page, council):
    login(page, username=council.staff.username, password=PASSWORD)

    page.goto(page.base_url + "/polls/request/")

    rows = page.evaluate(
        """() => [...document.querySelectorAll('main form label[for]')]
            .map(label => [label, document.getElementById(label.htmlFor)])
            // Checkbox and radio labels sit beside their box, by design.
            .filter(([label, input]) => !label.classList.contains('label--inline')
                                        && !label.contains(input))
            .map(([label, input]) => {
              const l = label.getBoundingClientRect(), i = input.getBoundingClientRect();
              return {text: label.textContent, labelBottom: l.bottom, inputTop: i.top,
                      labelLeft: l.left, inputLeft: i.left};
            })"""
    )
    assert len(rows) >= 5
    for row in rows:
        assert row["labelBottom"] <= row["inputTop"], row
        assert abs(row["labelLeft"] - row["inputLeft"]) < 2, row
    required = page.locator("main form label", has_text="調査項目")
    expect(required.locator(".required-mark")).to_have_text("必須")
    assert serious_violations(page) == []
