"""An organization administrator records a colleague's departure and gives the 連絡窓口 to
someone else, in Chromium, without JavaScript doing the work."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from renkei.directory.models import Assignment, Post
from renkei.testing import PASSWORD, make_council
from tests.browser.fixtures import login, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def council(db):
    council = make_council()
    person = council.staff.person
    Assignment.objects.create(
        person=person,
        organization=council.member_org,
        department=person.department,
        department_name=person.department.name,
        title=person.title,
        started_on=dt.date(2024, 4, 1),
    )
    Post.objects.create(
        organization=council.member_org, title="情報化担当窓口", is_contact=True, holder=person
    )
    return council


def test_administrator_records_a_departure_and_reassigns_the_contact(page, council):
    login(page, username="tobetsu-kanri", password=PASSWORD)
    manage = reverse("directory:organization_staff_manage", args=[council.member_org.pk])
    page.goto(page.base_url + manage)
    expect(page.get_by_role("heading", name="職員の管理：当別町")).to_be_visible()

    row = page.get_by_role("row").filter(has_text="当別 次郎")
    row.get_by_role("link", name="離任・退職").click()
    page.get_by_label("離任日・退職日").fill("R8.3.31")
    page.get_by_role("button", name="確認画面へ進む").click()

    expect(page.get_by_role("heading", name="離任・退職の確認：当別 次郎")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("令和8年3月31日")
    expect(main).to_contain_text("ログインできなくなります")
    expect(main).to_contain_text("情報化担当窓口")
    assert serious_violations(page) == []
    page.get_by_role("button", name="離任を確定する").click()

    expect(page.get_by_text("当別 次郎 さんの離任を登録しました。")).to_be_visible()
    assert page.get_by_role("row").filter(has_text="当別 次郎").count() == 0
    expect(main).to_contain_text("情報化担当窓口：空席")

    page.get_by_role("link", name="連絡窓口・職の担当を変更する").click()
    page.get_by_label("情報化担当窓口の在任者").select_option(label="当別 太郎（情報政策課 課長）")
    page.get_by_role("button", name="この人にする").click()
    expect(page.get_by_text("「情報化担当窓口」を当別 太郎 さんにしました。")).to_be_visible()
    assert serious_violations(page) == []

    page.goto(
        page.base_url + reverse("directory:organization_detail", args=[council.member_org.pk])
    )
    contacts = page.locator("main")
    expect(contacts).to_contain_text("情報化担当窓口：当別 太郎")
    expect(contacts).not_to_contain_text("当別 次郎")
    post = Post.objects.get(title="情報化担当窓口")
    assert post.holder == council.representative.person
    council.staff.refresh_from_db()
    assert not council.staff.is_active
