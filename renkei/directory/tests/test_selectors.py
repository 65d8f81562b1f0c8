"""Reading the directory: memberships on a date, searches, lookups."""

import datetime as dt

import pytest

from renkei.accounts.models import Role
from renkei.directory import selectors
from renkei.directory.models import (
    Group,
    GroupKind,
    GroupMember,
    Invitation,
    MembershipCategory,
    Organization,
    OrganizationKind,
    Person,
)
from renkei.directory.services import person_create
from renkei.testing import make_organization

ON = dt.date(2026, 4, 1)


def test_membership_summary_counts_the_members_on_the_date(council, history):
    summary = selectors.membership_summary(on=ON)
    assert summary.on == ON
    # 深川市; 千代田区; 当別町, 和木町; 占冠村. 総務省 observes and is not counted.
    assert summary.total == 5
    assert summary.by_kind == [("市", 1), ("特別区", 1), ("町", 2), ("村", 1)]
    assert summary.sentence == "5団体（市1、特別区1、町2、村1）"
    rows = {row["name"]: (row["counts"], row["total"]) for row in summary.by_prefecture}
    assert rows == {
        "北海道": ([1, 0, 1, 1], 3),
        "東京都": ([0, 1, 0, 0], 1),
        "山口県": ([0, 0, 1, 0], 1),
    }


def test_membership_summary_the_day_before_and_after(council, history):
    before = selectors.membership_summary(on=ON - dt.timedelta(days=1))
    after = selectors.membership_summary(on=ON + dt.timedelta(days=1))
    assert before.sentence == "5団体（市2、町2、村1）"
    assert after.sentence == "5団体（市2、特別区1、町2）"


def test_membership_summary_with_no_members_has_no_parentheses(db):
    summary = selectors.membership_summary(on=ON)
    assert summary.sentence == "0団体"
    assert summary.by_prefecture == []


def test_membership_summary_writes_thousands_with_commas():
    summary = selectors.MembershipSummary(
        on=ON,
        total=1403,
        by_kind=[("市", 691), ("町", 616), ("村", 96)],
        by_prefecture=[],
        kinds=[],
    )
    assert summary.sentence == "1,403団体（市691、町616、村96）"


def test_member_organizations_by_category(council):
    regular = selectors.member_organizations(categories=[MembershipCategory.REGULAR])
    assert "総務省" not in {o.name for o in regular}
    assert "総務省" in {o.name for o in selectors.member_organizations()}
    assert "全国市町村情報管理主管課長会事務局" not in {
        o.name for o in selectors.member_organizations()
    }


def test_organization_lookup_by_code_with_or_without_check_digit(council):
    assert selectors.organization_lookup(text="012289") == council.board_org
    assert selectors.organization_lookup(text="01228") == council.board_org
    assert selectors.organization_lookup(text="０１２２８９") == council.board_org
    assert selectors.organization_lookup(text=" 深川市 ") == council.board_org


def test_organization_lookup_with_two_organizations_of_the_same_name_asks_for_the_code(council):
    make_organization(
        code="072133", name="伊達市", kind=OrganizationKind.CITY, prefecture_code="07"
    )
    make_organization(
        code="012335", name="伊達市", kind=OrganizationKind.CITY, prefecture_code="01"
    )
    with pytest.raises(Organization.DoesNotExist) as error:
        selectors.organization_lookup(text="伊達市")
    assert str(error.value) == "「伊達市」という団体は複数あります。団体コードで指定してください。"
    assert selectors.organization_lookup(text="072133").prefecture_code == "07"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("999999", "団体コード「999999」の団体が見つかりません。"),
        ("架空市", "「架空市」という団体が見つかりません。"),
    ],
)
def test_organization_lookup_not_found(council, text, message):
    with pytest.raises(Organization.DoesNotExist) as error:
        selectors.organization_lookup(text=text)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("深川", ["深川市"]),
        ("ふかがわ", ["深川市"]),
        ("ﾌｶｶﾞﾜ", ["深川市"]),
        ("フカガワ", ["深川市"]),
        ("0122", ["深川市"]),
        ("０１２２", ["深川市"]),
        ("町", ["当別町", "和木町", "全国市町村情報管理主管課長会事務局"]),
        ("チョウ", ["当別町", "和木町"]),
    ],
)
def test_organization_search(council, q, expected):
    assert [o.name for o in selectors.organization_search(q=q, on=ON)] == expected


def test_organization_search_marks_members_on_the_date(council, history):
    found = {o.name: (o.is_member, o.member_category) for o in selectors.organization_search(on=ON)}
    assert found["千歳市"] == (False, None)
    assert found["苫小牧市"] == (False, None)
    assert found["占冠村"] == (True, MembershipCategory.REGULAR)
    assert found["千代田区"] == (True, MembershipCategory.SPECIAL)
    assert found["総務省"] == (True, MembershipCategory.OBSERVER)


def test_organization_search_lists_coded_organizations_first(council):
    names = [o.name for o in selectors.organization_search(on=ON)]
    assert names[:3] == ["深川市", "当別町", "和木町"]
    assert set(names[3:]) == {"全国市町村情報管理主管課長会事務局", "総務省"}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # Kana of any kind and width, with or without the space, family or given name first.
        ("とうべつむ", "当別 六子"),
        ("トウベツ ムツコ", "当別 六子"),
        ("とうべつむつこ", "当別 六子"),
        ("ﾄｳﾍﾞﾂ ﾑﾂｺ", "当別 六子"),
        ("むつこ", "当別 六子"),
        ("むつこ とうべつ", "当別 六子"),
        # Family and given name with any space in either order.
        ("小林隆", "小林 隆"),
        ("小林　隆", "小林 隆"),
        ("小林 隆", "小林 隆"),
        ("隆 小林", "小林 隆"),
        ("隆小林", "小林 隆"),
        ("隆　小林", "小林 隆"),
        (" 小林\u3000隆 ", "小林 隆"),
        ("こばやし たかし", "小林 隆"),
    ],
)
def test_people_search_by_name_or_kana_ignores_kana_kind_width_spaces_and_order(
    council, q, expected
):
    for name, kana in [
        ("当別 六子", "トウベツ　ムツコ"),
        ("小林 隆", "コバヤシ　タカシ"),
        ("小林 花子", "コバヤシ　ハナコ"),
    ]:
        person_create(by=council.secretariat, organization=council.member_org, name=name, kana=kana)

    found = selectors.people_search(people=Person.objects.all(), q=q)

    assert [p.name for p in found] == [expected]


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("渡邊 桧子", "渡辺 檜子"),
        ("渡邉 桧子", "渡辺桧子"),
        ("齋藤 一", "斉藤一"),
        ("齊藤 一", "斎藤 一"),
        ("髙橋 一", "高橋一"),
        ("山﨑 一", "山崎 一"),
        ("ﾔﾏﾀﾞ 一", "ヤマダ一"),
        ("ＡＢＣ 一", "abc一"),
    ],
)
def test_people_search_folds_variant_kanji_width_and_kana(council, stored, typed):
    person_create(by=council.secretariat, organization=council.member_org, name=stored, kana="")

    found = selectors.people_search(people=Person.objects.all(), q=typed)

    assert [p.name for p in found] == [stored]


def test_people_search_narrows_with_every_word(council):
    person_create(
        by=council.secretariat, organization=council.member_org, name="小林 隆", title="課長"
    )
    person_create(
        by=council.secretariat, organization=council.member_org, name="小林 花子", title="主査"
    )

    found = selectors.people_search(people=Person.objects.all(), q="小林 課長")

    assert [p.name for p in found] == ["小林 隆"]


def test_people_search_finds_people_by_a_folded_organization_name(council):
    org = make_organization(
        code="082082", name="龍ケ崎市", kana="リュウガサキシ", kind=OrganizationKind.CITY
    )
    person_create(by=council.secretariat, organization=org, name="龍ケ崎 一郎")
    person_create(by=council.secretariat, organization=council.member_org, name="別所 二郎")

    found = selectors.people_search(people=Person.objects.all(), q="竜ヶ崎市")

    assert [p.name for p in found] == ["龍ケ崎 一郎"]


@pytest.mark.parametrize("q", ["竜ヶ崎", "竜ケ崎市", "龍が崎", "竜ガ崎", "りゅうがさき", "ﾘｭｳｶﾞｻｷ"])
def test_organization_search_folds_place_name_variants(council, q):
    make_organization(
        code="082082", name="龍ケ崎市", kana="リュウガサキシ", kind=OrganizationKind.CITY
    )

    assert [o.name for o in selectors.organization_search(q=q, on=ON)] == ["龍ケ崎市"]


def test_organization_search_follows_a_renamed_organization(council):
    org = make_organization(code="082082", name="竜ケ崎市", kind=OrganizationKind.CITY)
    org.name = "檜原村"
    org.save()

    assert [o.name for o in selectors.organization_search(q="桧原", on=ON)] == ["檜原村"]
    assert not selectors.organization_search(q="竜ケ崎", on=ON).exists()


def test_people_search_follows_a_corrected_kana(council):
    person = person_create(
        by=council.secretariat,
        organization=council.member_org,
        name="当別 六子",
        kana="トウベツ　ロクコ",
    )
    person.kana = "トウベツ　ムツコ"
    person.save()

    assert [
        p.name for p in selectors.people_search(people=Person.objects.all(), q="とうべつむつこ")
    ] == ["当別 六子"]
    assert not selectors.people_search(people=Person.objects.all(), q="とうべつろくこ").exists()


def test_people_search_by_name_title_organization_and_prefecture(council):
    people = Person.objects.filter(organization__isnull=False)
    by_title = selectors.people_search(people=people, q="課長", prefecture_code="01")
    assert {p.name for p in by_title} == {
        "当別 太郎",
        "深川 一郎",
    }
    assert {p.name for p in selectors.people_search(people=people, q="和木町")} == {"和木 三郎"}
    assert {p.name for p in selectors.people_search(people=people, prefecture_code="01")} == {
        "当別 太郎",
        "当別 次郎",
        "深川 一郎",
    }
    by_org = selectors.people_search(people=people, organization_id=council.board_org.pk)
    assert [p.name for p in by_org] == ["深川 一郎"]


def test_group_organization_ids_reach_member_and_people_organizations(council):
    group = Group.objects.create(name="幹事会", kind=GroupKind.STEERING)
    GroupMember.objects.create(group=group, organization=council.other_org)
    GroupMember.objects.create(group=group, person=council.board.person)
    GroupMember.objects.create(
        group=group, organization=council.member_org, term_end=dt.date(2026, 3, 31)
    )
    assert selectors.group_organization_ids(group_id=group.pk, on=ON) == {
        council.other_org.pk,
        council.board_org.pk,
    }
    assert council.member_org.pk in selectors.group_organization_ids(
        group_id=group.pk, on=dt.date(2026, 3, 31)
    )


def test_group_organization_ids_leave_out_terms_not_yet_begun(council):
    group = Group.objects.create(name="幹事会", kind=GroupKind.STEERING)
    GroupMember.objects.create(group=group, organization=council.other_org, term_start=ON)
    GroupMember.objects.create(
        group=group, organization=council.board_org, term_start=dt.date(2027, 4, 1)
    )
    assert selectors.group_organization_ids(group_id=group.pk, on=ON) == {council.other_org.pk}


def test_invitations_pending_leaves_out_accepted_and_revoked(council):
    from django.utils import timezone

    def invite(email, **extra):
        return Invitation.objects.create(
            organization=council.member_org,
            name="招待",
            email=email,
            role=Role.STAFF,
            expires_at=timezone.now() + dt.timedelta(days=7),
            **extra,
        )

    pending = invite("a@example.lg.jp")
    invite("b@example.lg.jp", accepted_at=timezone.now())
    invite("c@example.lg.jp", revoked_at=timezone.now())
    other = Invitation.objects.create(
        organization=council.other_org,
        name="招待",
        email="d@example.lg.jp",
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    assert list(selectors.invitations_pending(organization=council.member_org)) == [pending]
    assert set(selectors.invitations_pending()) == {pending, other}


def test_groups_with_counts_count_current_members(council):
    from django.utils import timezone

    today = timezone.localdate()
    group = Group.objects.create(name="幹事会", kind=GroupKind.STEERING)
    Group.objects.create(name="役員会", kind=GroupKind.BOARD)
    GroupMember.objects.create(group=group, organization=council.other_org)
    GroupMember.objects.create(group=group, organization=council.board_org, term_end=today)
    GroupMember.objects.create(
        group=group, organization=council.member_org, term_end=today - dt.timedelta(days=1)
    )
    GroupMember.objects.create(
        group=group, person=council.board.person, term_start=today + dt.timedelta(days=1)
    )
    counts = {g.name: g.member_count for g in selectors.groups_with_counts()}
    assert counts == {"幹事会": 2, "役員会": 0}
