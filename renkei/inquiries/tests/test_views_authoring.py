"""Writing an inquiry through the pages: requester picker, targets by kind, question editor,
preview of the answer form."""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renkei.directory.models import Membership, Organization, OrganizationKind
from renkei.inquiries import services
from renkei.inquiries.models import Answer, Inquiry, QuestionKind
from renkei.inquiries.selectors.targets import target_description, target_organizations
from renkei.inquiries.tests.builders import future, make_draft
from renkei.testing import login_client as login
from renkei.testing import text_of


def create_data(**values) -> dict:
    data = {
        "title": "住民記録システムの標準化について",
        "deadline_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "deadline_time": "17:00",
        "results_visibility": "answering",
        "reminder_business_days": "2",
    }
    data.update(values)
    return data


def add_town(code: str, name: str, prefecture: str, kana: str = "") -> Organization:
    organization = Organization.objects.create(
        code=code, name=name, kind=OrganizationKind.TOWN, prefecture_code=prefecture, kana=kana
    )
    Membership.objects.create(organization=organization, joined_on=dt.date(2010, 4, 1))
    return organization


# --- the requester picker -------------------------------------------------------------------


def test_create_page_has_no_dropdown_of_every_organization(council):
    page = text_of(login(council.secretariat).get(reverse("inquiries:create")))

    assert '<select name="requester"' not in page
    assert 'name="requester"' in page
    assert "団体名・フリガナ・団体コード" in page


@pytest.mark.parametrize("typed", ["深川", "ふかがわ", "ﾌｶｶﾞﾜ", "012289", "０１２２８"])
def test_requester_typed_by_name_kana_or_code_is_chosen_when_one_matches(council, typed):
    response = login(council.secretariat).post(
        reverse("inquiries:create"), create_data(requester=typed)
    )

    assert response.status_code == 302
    assert Inquiry.objects.get().requester == council.board_org


def test_requester_with_several_matches_offers_candidates_and_saves_nothing(council):
    miyagi = add_town("045055", "美里町", "04", "ミサトマチ")
    saitama = add_town("113859", "美里町", "11", "ミサトマチ")
    client = login(council.secretariat)

    response = client.post(reverse("inquiries:create"), create_data(requester="美里"))

    page = text_of(response)
    assert response.status_code == 200
    assert not Inquiry.objects.exists()
    assert "「美里」に当てはまる団体が2件あります" in page
    assert f'name="requester_choice" value="{miyagi.pk}"' in page
    assert f'name="requester_choice" value="{saitama.pk}"' in page
    assert "宮城県" in page and "埼玉県" in page

    client.post(
        reverse("inquiries:create"), create_data(requester="美里", requester_choice=saitama.pk)
    )
    assert Inquiry.objects.get().requester == saitama


def test_requester_typed_with_its_prefecture_is_chosen(council):
    add_town("045055", "美里町", "04")
    saitama = add_town("113859", "美里町", "11")

    login(council.secretariat).post(
        reverse("inquiries:create"), create_data(requester="埼玉県美里町")
    )

    assert Inquiry.objects.get().requester == saitama


def test_requester_exact_name_wins_over_longer_names(council):
    add_town("011002", "深川市北町", "01")

    login(council.secretariat).post(reverse("inquiries:create"), create_data(requester="深川市"))

    assert Inquiry.objects.get().requester == council.board_org


def test_requester_unknown_gets_a_japanese_error_and_saves_nothing(council):
    response = login(council.secretariat).post(
        reverse("inquiries:create"), create_data(requester="架空村")
    )

    assert response.status_code == 200
    assert "「架空村」に当てはまる団体が見つかりません" in text_of(response)
    assert not Inquiry.objects.exists()


def test_requester_cannot_be_an_observer_even_by_a_forged_choice(council):
    client = login(council.secretariat)

    typed = client.post(reverse("inquiries:create"), create_data(requester="総務省"))
    forged = client.post(
        reverse("inquiries:create"),
        create_data(requester="深川", requester_choice=council.observer_org.pk),
    )

    assert "見つかりません" in text_of(typed)
    assert forged.status_code == 302
    assert Inquiry.objects.get().requester == council.board_org


def test_requester_left_empty_means_the_secretariat_itself(council):
    login(council.secretariat).post(reverse("inquiries:create"), create_data(requester=""))

    assert Inquiry.objects.get().requester == council.secretariat_org


def test_edit_shows_the_current_requester_and_keeps_it_when_saved_back(council):
    inquiry = make_draft(council)
    services.inquiry_update(
        inquiry=inquiry,
        by=council.secretariat,
        draft=services.InquiryDraft(title=inquiry.title, deadline=inquiry.deadline),
        requester=council.board_org,
    )
    client = login(council.secretariat)
    url = reverse("inquiries:edit", args=[inquiry.pk])

    page = text_of(client.get(url))
    assert 'name="requester" value="深川市"' in page
    assert re.search(
        rf'<input type="radio" name="requester_choice" value="{council.board_org.pk}" checked>'
        r" 深川市（北海道・012289）",
        page,
    )

    client.post(
        url,
        {
            "title": inquiry.title,
            "results_visibility": "answering",
            "requester": "深川市",
            "requester_choice": council.board_org.pk,
        },
    )
    inquiry.refresh_from_db()
    assert inquiry.requester == council.board_org


def test_requester_with_too_many_matches_shows_the_first_twenty(council):
    for number in range(25):
        add_town(f"0{number + 10:02d}00{number % 10}", f"北{number}町", "01")

    response = login(council.secretariat).post(
        reverse("inquiries:create"), create_data(requester="北")
    )

    page = text_of(response)
    assert "「北」に当てはまる団体が20件を超えます" in page
    assert page.count('name="requester_choice"') == 20
    assert not Inquiry.objects.exists()


def test_requester_candidates_fragment_says_when_nothing_matches(council):
    response = login(council.secretariat).get(
        reverse("inquiries:requester_candidates"), {"requester": "架空村"}
    )

    assert "「架空村」に当てはまる団体が見つかりません" in text_of(response)


def test_requester_candidates_fragment_follows_the_typing(council):
    response = login(council.secretariat).get(
        reverse("inquiries:requester_candidates"), {"requester": "ふかがわ"}
    )

    page = text_of(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert f'name="requester_choice" value="{council.board_org.pk}"' in page
    assert "深川市" in page


@pytest.mark.parametrize("role", ["staff", "representative", "board", "outsider", "observer"])
def test_requester_candidates_are_refused_to_all_but_the_secretariat(council, role):
    user = council.users_by_role()[role]

    response = login(user).get(reverse("inquiries:requester_candidates"), {"requester": "深川"})

    assert response.status_code == 403


def test_requester_candidates_are_refused_to_anonymous_visitors(council):
    response = Client().get(reverse("inquiries:requester_candidates"), {"requester": "深川"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- targets by kind ------------------------------------------------------------------------


def test_targets_filter_accepts_several_kinds_at_once(council):
    village = Organization.objects.create(
        code="014257", name="神恵内村", kind=OrganizationKind.VILLAGE, prefecture_code="01"
    )
    Membership.objects.create(organization=village, joined_on=dt.date(2010, 4, 1))
    inquiry = make_draft(council)

    response = login(council.secretariat).post(
        reverse("inquiries:targets", args=[inquiry.pk]),
        {"mode": "filter", "kinds": [OrganizationKind.CITY, OrganizationKind.TOWN]},
    )

    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.target_spec["kinds"] == [OrganizationKind.CITY, OrganizationKind.TOWN]
    assert "市・町" in inquiry.target_description
    reached = set(target_organizations(spec=inquiry.target_spec, exclude_id=None))
    assert reached == {council.board_org, council.member_org, council.other_org}


def test_targets_page_offers_kinds_as_checkboxes(council):
    inquiry = make_draft(council)

    page = text_of(login(council.secretariat).get(reverse("inquiries:targets", args=[inquiry.pk])))

    for kind in (OrganizationKind.CITY, OrganizationKind.TOWN, OrganizationKind.VILLAGE):
        assert f'type="checkbox" name="kinds" value="{kind}"' in page
    assert 'name="kind"' not in page


def test_targets_stored_with_one_kind_keep_working(council):
    inquiry = make_draft(council)
    Inquiry.objects.filter(pk=inquiry.pk).update(
        target_spec={"mode": "filter", "kind": OrganizationKind.CITY}
    )
    inquiry.refresh_from_db()

    page = text_of(login(council.secretariat).get(reverse("inquiries:targets", args=[inquiry.pk])))

    assert list(target_organizations(spec=inquiry.target_spec, exclude_id=None)) == [
        council.board_org
    ]
    assert target_description(inquiry.target_spec) == "会員団体のうち 市"
    assert re.search(r'<input type="checkbox" name="kinds" value="city"[^>]* checked>', page)


def test_migration_turns_stored_single_kinds_into_lists(council):
    inquiry = make_draft(council)
    Inquiry.objects.filter(pk=inquiry.pk).update(
        target_spec={"mode": "filter", "prefecture_code": "01", "kind": OrganizationKind.TOWN}
    )
    migration = importlib.import_module(
        "renkei.inquiries.migrations.0005_target_spec_kinds_as_list"
    )

    migration.kinds_as_list(apps, None)

    inquiry.refresh_from_db()
    assert inquiry.target_spec == {
        "mode": "filter",
        "prefecture_code": "01",
        "kinds": [OrganizationKind.TOWN],
    }


# --- the question editor --------------------------------------------------------------------


def settings_shown(page: str) -> set[str]:
    names = ("choices_text", "allow_other", "unit", "table_rows_text", "table_columns_text")
    return {name for name in names if f'name="{name}"' in page}


def test_question_form_shows_only_the_settings_of_its_kind(council):
    inquiry = make_draft(council)
    client = login(council.secretariat)
    number = services.question_create(
        inquiry=inquiry,
        by=council.secretariat,
        draft=services.QuestionDraft(kind=QuestionKind.NUMBER, text="職員数", unit="人"),
    )

    new = text_of(client.get(reverse("inquiries:questions", args=[inquiry.pk])))
    edit = text_of(client.get(reverse("inquiries:question_edit", args=[inquiry.pk, number.pk])))

    assert settings_shown(new) == {"choices_text", "allow_other"}
    assert settings_shown(edit) == {"unit"}


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (QuestionKind.SINGLE, {"choices_text", "allow_other"}),
        (QuestionKind.MULTIPLE, {"choices_text", "allow_other"}),
        (QuestionKind.NUMBER, {"unit"}),
        (QuestionKind.TABLE, {"table_rows_text", "table_columns_text"}),
        (QuestionKind.YES_NO, set()),
        (QuestionKind.LONG_TEXT, set()),
        (QuestionKind.FILE, set()),
    ],
)
def test_changing_the_kind_redraws_the_form_and_saves_nothing(council, kind, expected):
    inquiry = make_draft(council)

    response = login(council.secretariat).post(
        reverse("inquiries:questions", args=[inquiry.pk]),
        {"kind": kind, "text": "途中まで書いた設問文", "refresh": "1"},
    )

    page = text_of(response)
    assert response.status_code == 200
    assert settings_shown(page) == expected
    assert "途中まで書いた設問文" in page
    assert "入力内容を確認してください" not in page
    assert inquiry.questions.count() == 2


def test_htmx_redraw_of_the_kind_already_shown_changes_nothing_on_the_page(council):
    inquiry = make_draft(council)
    url = reverse("inquiries:questions", args=[inquiry.pk])
    client = login(council.secretariat)

    same = client.post(
        url,
        {"kind": "single", "settings_kind": "single", "refresh": "1"},
        headers={"HX-Request": "true"},
    )
    other = client.post(
        url,
        {"kind": "number", "settings_kind": "single", "refresh": "1"},
        headers={"HX-Request": "true"},
    )

    assert same.status_code == 204
    assert other.status_code == 200
    assert 'name="unit"' in text_of(other)
    assert 'name="settings_kind" value="number"' in text_of(other)


def test_question_form_ignores_settings_of_other_kinds(council):
    inquiry = make_draft(council)

    login(council.secretariat).post(
        reverse("inquiries:questions", args=[inquiry.pk]),
        {
            "kind": QuestionKind.NUMBER,
            "text": "職員数",
            "unit": "人",
            "choices_text": "A\nA",
            "table_rows_text": "本庁\n本庁",
        },
    )

    question = inquiry.questions.get(code="Q3")
    assert (question.kind, question.unit, question.choices, question.table_rows) == (
        QuestionKind.NUMBER,
        "人",
        [],
        [],
    )


def test_question_form_still_checks_the_settings_of_its_kind(council):
    inquiry = make_draft(council)

    response = login(council.secretariat).post(
        reverse("inquiries:questions", args=[inquiry.pk]),
        {"kind": QuestionKind.TABLE, "text": "端末台数", "table_columns_text": "台数"},
    )

    assert "表の行を1行に1つ入力してください。" in text_of(response)
    assert 'name="table_rows_text"' in text_of(response)
    assert inquiry.questions.count() == 2


def test_question_form_swaps_in_place_with_htmx(council):
    inquiry = make_draft(council)

    page = text_of(
        login(council.secretariat).get(reverse("inquiries:questions", args=[inquiry.pk]))
    )

    assert 'hx-select="#question-settings"' in page
    assert 'id="question-settings"' in page
    assert 'name="refresh"' in page


# --- the preview ----------------------------------------------------------------------------


def test_preview_shows_the_answer_form_disabled_and_writes_nothing(council):
    inquiry = make_draft(council)
    services.question_create(
        inquiry=inquiry,
        by=council.secretariat,
        draft=services.QuestionDraft(
            kind=QuestionKind.SINGLE, text="利用している製品", choices=["A社", "B社"]
        ),
    )
    before = Inquiry.objects.filter(pk=inquiry.pk).values_list("updated_at").get()

    response = login(council.secretariat).get(reverse("inquiries:preview", args=[inquiry.pk]))

    page = text_of(response)
    assert response.status_code == 200
    assert "ポリシーを公表していますか。" in page
    assert "利用している製品" in page and "B社" in page
    assert 'name="q' in page and "disabled" in page
    assert 'method="post"' not in page.split("<main", 1)[1]
    assert "会員にはこのように表示されます" in page
    assert not Answer.objects.exists()
    assert Inquiry.objects.filter(pk=inquiry.pk).values_list("updated_at").get() == before


def test_preview_of_a_request_is_open_to_the_requesting_organization(council):
    inquiry = make_draft(council, by=council.staff)

    response = login(council.staff).get(reverse("inquiries:preview", args=[inquiry.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("role", ["outsider", "observer", "board", "staff"])
def test_preview_is_refused_to_those_who_may_not_edit(council, role):
    inquiry = make_draft(council)

    response = login(council.users_by_role()[role]).get(
        reverse("inquiries:preview", args=[inquiry.pk])
    )

    assert response.status_code == 403


def test_preview_is_refused_to_anonymous_visitors(council):
    inquiry = make_draft(council)

    response = Client().get(reverse("inquiries:preview", args=[inquiry.pk]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("page_name", ["inquiries:questions", "inquiries:detail"])
def test_editor_pages_link_to_the_preview(council, page_name):
    inquiry = make_draft(council, deadline=future())

    page = text_of(login(council.secretariat).get(reverse(page_name, args=[inquiry.pk])))

    assert reverse("inquiries:preview", args=[inquiry.pk]) in page


def test_authoring_pages_speak_plainly(council):
    inquiry = make_draft(council)
    client = login(council.secretariat)

    pages = [
        text_of(client.get(reverse("inquiries:create"))),
        text_of(client.get(reverse("inquiries:targets", args=[inquiry.pk]))),
        text_of(client.get(reverse("inquiries:questions", args=[inquiry.pk]))),
    ]

    for page in pages:
        assert "Markdown" not in page
        assert "---------" not in page


def test_create_page_stays_small_and_its_queries_constant_with_many_organizations(
    council, django_assert_max_num_queries
):
    Organization.objects.bulk_create(
        Organization(code=f"{200000 + number}", name=f"試験{number}町", kind=OrganizationKind.TOWN)
        for number in range(400)
    )
    Membership.objects.bulk_create(
        Membership(organization=organization, joined_on=dt.date(2010, 4, 1))
        for organization in Organization.objects.filter(name__startswith="試験")
    )
    client = login(council.secretariat)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("inquiries:create"))
    with django_assert_max_num_queries(8):
        candidates = client.get(reverse("inquiries:requester_candidates"), {"requester": "試験"})

    assert len(page.content) < 20_000
    assert text_of(candidates).count('name="requester_choice"') == 20


def test_preview_queries_do_not_grow_with_questions(council, django_assert_max_num_queries):
    inquiry = make_draft(council)
    q1 = inquiry.questions.get(code="Q1")
    for number in range(30):
        services.question_create(
            inquiry=inquiry,
            by=council.secretariat,
            draft=services.QuestionDraft(
                kind=QuestionKind.SINGLE,
                text=f"設問{number}",
                choices=["A", "B"],
                condition_question=q1,
                condition_value="はい",
            ),
        )
    client = login(council.secretariat)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("inquiries:preview", args=[inquiry.pk]))

    assert text_of(response).count('class="inq-question"') == 33
