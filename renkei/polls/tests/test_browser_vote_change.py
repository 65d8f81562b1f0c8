"""A 1団体1票 poll in a real browser: turnout in organizations, and a colleague's change."""

import pytest

from renkei.polls.models import VoteScope
from renkei.polls.services import vote_cast
from renkei.testing import PASSWORD
from tests.browser.fixtures import login, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_colleague_changes_the_organization_vote_and_reads_the_turnout(page, council, make_poll):
    poll = make_poll(vote_scope=VoteScope.ORGANIZATION)
    first = poll.choices.order_by("position").first()
    vote_cast(poll=poll, voter=council.staff, choice_ids=[first.pk])
    login(page, username=council.representative.username, password=PASSWORD)

    page.goto(page.base_url + f"/polls/{poll.pk}/")
    assert page.get_by_text("投票した団体（投票率）：3団体中1団体（33.3%）").is_visible()
    assert page.get_by_role("cell", name="1団体中1団体（100.0%）").is_visible()
    group = page.get_by_role("group", name="投票を変更する")
    assert group.get_by_label("導入済み").is_checked()
    group.get_by_label("予定なし").check()
    with page.expect_navigation():
        page.get_by_role("button", name="投票を変更する").click()

    assert page.get_by_text("投票を変更しました。").is_visible()
    assert page.get_by_text("選択した回答：予定なし").is_visible()
    assert page.get_by_text("当別町は当別 太郎さんが投票済みです").is_visible()
    assert serious_violations(page) == []
