"""Who may see and do what: the permission functions and every inquiry URL per role."""

from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client
from django.urls import reverse

from renkei.inquiries import services
from renkei.inquiries.models import (
    Answer,
    AnswerKind,
    Inquiry,
    InquiryStatus,
    QuestionKind,
    ResultsVisibility,
)
from renkei.inquiries.permissions import (
    can_manage,
    can_view_results,
    get_answer_for,
    get_answer_for_proxy,
    get_inquiry_for,
    get_inquiry_results_for,
    results_hide_names,
    results_visible_filter,
    visible_inquiries_filter,
)
from renkei.inquiries.tests.builders import complete_data, make_draft, make_open
from renkei.testing import Council, login_client

ROLES = ("anonymous", "outsider", "observer", "staff", "representative", "board", "secretariat")


def client_for(council: Council, role: str) -> Client:
    if role == "anonymous":
        return Client()
    return login_client(council.users_by_role()[role])


@dataclass
class World:
    """A member's draft, a secretariat inquiry open to every member with 当別町's answer."""

    draft: Inquiry
    review: Inquiry
    open: Inquiry
    answer: Answer
    file_id: int
    attachment_id: int


PDF = b"%PDF-1.4\n%secret\n"
DRAFT_SECRET = "当別町の下書き回答XYZ"


def build_world(council: Council) -> World:
    draft = make_draft(council, by=council.staff)
    services.inquiry_attachment_add(
        inquiry=draft, by=council.staff, file=SimpleUploadedFile("a.pdf", PDF)
    )
    review = make_draft(council, by=council.board)
    services.inquiry_submit_for_review(inquiry=review, by=council.board)
    opened = make_draft(council)
    file_question = services.question_create(
        inquiry=opened,
        by=council.secretariat,
        draft=services.QuestionDraft(kind=QuestionKind.FILE, text="規程", required=False),
    )
    attachment = services.inquiry_attachment_add(
        inquiry=opened, by=council.secretariat, file=SimpleUploadedFile("b.pdf", PDF)
    )
    services.inquiry_open(inquiry=opened, by=council.secretariat)
    answer = get_answer_for(council.staff, opened.pk)
    q2 = opened.questions.get(code="Q2")
    services.answer_save(
        answer=answer,
        by=council.staff,
        revision=0,
        data={**complete_data(opened), str(q2.pk): DRAFT_SECRET},
        uploads={file_question.pk: SimpleUploadedFile("kitei.pdf", PDF)},
    )
    return World(
        draft=draft,
        review=review,
        open=opened,
        answer=answer,
        file_id=answer.data[str(file_question.pk)][0]["id"],
        attachment_id=attachment.pk,
    )


ALL = dict.fromkeys(ROLES[1:], 200)
NOBODY = dict.fromkeys(ROLES[1:], 403)


def only(*roles: str) -> dict[str, int]:
    return {role: 200 if role in roles else 403 for role in ROLES[1:]}


MEMBER_DRAFT_MANAGERS = only("staff", "representative", "secretariat")
OPEN_TARGETS = only("outsider", "staff", "representative", "board", "secretariat")
ANSWERERS = only("outsider", "staff", "representative", "board")

# (URL name, how to build its arguments, expected status per role) for every GET page.
GET_TABLE = [
    ("inquiries:list", lambda w, c: [], ALL),
    ("inquiries:create", lambda w, c: [], {**ALL, "observer": 403}),
    ("inquiries:detail", lambda w, c: [w.draft.pk], MEMBER_DRAFT_MANAGERS),
    ("inquiries:edit", lambda w, c: [w.draft.pk], MEMBER_DRAFT_MANAGERS),
    ("inquiries:delete", lambda w, c: [w.draft.pk], MEMBER_DRAFT_MANAGERS),
    ("inquiries:targets", lambda w, c: [w.draft.pk], MEMBER_DRAFT_MANAGERS),
    ("inquiries:attachments", lambda w, c: [w.draft.pk], MEMBER_DRAFT_MANAGERS),
    ("inquiries:questions", lambda w, c: [w.draft.pk], MEMBER_DRAFT_MANAGERS),
    (
        "inquiries:question_edit",
        lambda w, c: [w.draft.pk, w.draft.questions.first().pk],
        MEMBER_DRAFT_MANAGERS,
    ),
    (
        "inquiries:attachment_download",
        lambda w, c: [w.draft.pk, w.draft.attachments.first().pk],
        MEMBER_DRAFT_MANAGERS,
    ),
    ("inquiries:review", lambda w, c: [w.review.pk], only("secretariat")),
    ("inquiries:open", lambda w, c: [w.draft.pk], only("secretariat")),
    ("inquiries:detail", lambda w, c: [w.open.pk], OPEN_TARGETS),
    ("inquiries:edit", lambda w, c: [w.open.pk], NOBODY),
    (
        "inquiries:attachment_download",
        lambda w, c: [w.open.pk, w.attachment_id],
        OPEN_TARGETS,
    ),
    ("inquiries:progress", lambda w, c: [w.open.pk], only("secretariat")),
    ("inquiries:extend", lambda w, c: [w.open.pk], only("secretariat")),
    ("inquiries:answer", lambda w, c: [w.open.pk], ANSWERERS),
    ("inquiries:answer_confirm", lambda w, c: [w.open.pk], only("representative")),
    ("inquiries:answer_versions", lambda w, c: [w.open.pk], ANSWERERS),
    ("inquiries:answer_conditions", lambda w, c: [w.open.pk], OPEN_TARGETS),
    (
        "inquiries:answer_file",
        lambda w, c: [w.open.pk, w.file_id],
        only("staff", "representative", "secretariat"),
    ),
    (
        "inquiries:proxy_answer",
        lambda w, c: [w.open.pk, c.member_org.pk],
        only("secretariat"),
    ),
    (
        "inquiries:proxy_versions",
        lambda w, c: [w.open.pk, c.member_org.pk],
        only("secretariat"),
    ),
]

# POST-only actions: refused roles get 403 before anything happens; allowed ones a redirect.
POST_TABLE = [
    ("inquiries:submit_for_review", lambda w, c: [w.draft.pk], only("staff", "representative")),
    ("inquiries:copy", lambda w, c: [w.open.pk], {**only(), **ANSWERERS, "secretariat": 200}),
    ("inquiries:close", lambda w, c: [w.open.pk], only("secretariat")),
    ("inquiries:publish", lambda w, c: [w.open.pk], only("secretariat")),
    ("inquiries:remind", lambda w, c: [w.open.pk], only("secretariat")),
    (
        "inquiries:question_move",
        lambda w, c: [w.draft.pk, w.draft.questions.first().pk],
        MEMBER_DRAFT_MANAGERS,
    ),
    (
        "inquiries:question_delete",
        lambda w, c: [w.draft.pk, w.draft.questions.last().pk],
        MEMBER_DRAFT_MANAGERS,
    ),
    (
        "inquiries:attachment_delete",
        lambda w, c: [w.draft.pk, w.draft.attachments.first().pk],
        MEMBER_DRAFT_MANAGERS,
    ),
]


def _case_id(row: tuple) -> str:
    return row[0].split(":")[1]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", GET_TABLE, ids=[_case_id(row) for row in GET_TABLE])
def test_get_pages_per_role(council, row, role):
    name, args, expected = row
    world = build_world(council)
    url = reverse(name, args=args(world, council))

    response = client_for(council, role).get(url)

    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == expected[role], f"{role} {url}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", POST_TABLE, ids=[_case_id(row) for row in POST_TABLE])
def test_post_actions_per_role(council, row, role):
    name, args, expected = row
    world = build_world(council)
    url = reverse(name, args=args(world, council))

    # `confirm`: the confirmation page's own POST (close, publish), ignored by the others.
    response = client_for(council, role).post(url, {"direction": "up", "confirm": "yes"})

    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    elif expected[role] == 200:
        assert response.status_code == 302, f"{role} {url}"
    else:
        assert response.status_code == 403, f"{role} {url}"


@pytest.mark.parametrize("role", ["outsider", "observer", "board", "secretariat"])
def test_nobody_else_sees_an_organizations_draft_answer_through_any_page(council, role):
    world = build_world(council)
    client = client_for(council, role)
    urls = [
        reverse(name, args=args(world, council))
        for name, args, _ in GET_TABLE
        if name not in ("inquiries:proxy_answer", "inquiries:proxy_versions")
    ]
    urls += [
        reverse("inquiries:list") + f"?tab={tab}"
        for tab in ("answering", "mine", "published", "all", "review")
    ]

    for url in urls:
        response = client.get(url)
        body = response.content if hasattr(response, "content") else b""
        assert DRAFT_SECRET.encode() not in body, url
        if "answer/files" in url and role != "secretariat":
            assert response.status_code == 403


def test_submitted_but_unpublished_answer_is_hidden_from_other_members(council):
    world = build_world(council)
    services.answer_submit(answer=world.answer, by=council.staff, revision=world.answer.revision)
    services.inquiry_close(inquiry=world.open, by=council.secretariat)

    for role in ("outsider", "board", "observer"):
        user = council.users_by_role()[role]
        assert not can_view_results(user, world.open)
        with pytest.raises(PermissionDenied):
            get_inquiry_results_for(user, world.open.pk)
        response = client_for(council, role).get(
            reverse("inquiries:answer_file", args=[world.open.pk, world.file_id])
        )
        assert response.status_code == 403


# --- the permission functions ---------------------------------------------------------------


def test_get_inquiry_for_missing_inquiry_is_404(council):
    with pytest.raises(Http404):
        get_inquiry_for(council.staff, 999999)


def test_requester_sees_own_draft_others_are_refused(council):
    draft = make_draft(council, by=council.staff)

    assert get_inquiry_for(council.representative, draft.pk) == draft
    for user in (council.outsider, council.board, council.observer):
        with pytest.raises(PermissionDenied, match="権限がありません"):
            get_inquiry_for(user, draft.pk)


def test_targets_see_the_inquiry_only_once_open(council):
    draft = make_draft(council)
    with pytest.raises(PermissionDenied):
        get_inquiry_for(council.staff, draft.pk)

    services.inquiry_open(inquiry=draft, by=council.secretariat)

    assert get_inquiry_for(council.staff, draft.pk) == draft


def test_can_manage_only_while_draft_or_rejected_for_requester(council):
    inquiry = make_draft(council, by=council.staff)
    assert can_manage(council.staff, inquiry)
    assert not can_manage(council.outsider, inquiry)

    services.inquiry_submit_for_review(inquiry=inquiry, by=council.staff)
    assert not can_manage(council.staff, inquiry)
    assert can_manage(council.secretariat, inquiry)

    services.inquiry_reject(inquiry=inquiry, by=council.secretariat, note="再考を")
    assert can_manage(council.staff, inquiry)


def test_answer_is_refused_to_non_targets_and_observers(council):
    inquiry = make_open(council)

    for user in (council.observer, council.secretariat):
        with pytest.raises(PermissionDenied):
            get_answer_for(user, inquiry.pk)


def test_no_answer_is_created_once_closed(council):
    inquiry = make_open(council)
    services.inquiry_close(inquiry=inquiry, by=council.secretariat)

    with pytest.raises(PermissionDenied, match="受付を終了"):
        get_answer_for(council.staff, inquiry.pk)
    assert not Answer.objects.exists()


def test_proxy_is_secretariat_only(council):
    inquiry = make_open(council)

    with pytest.raises(PermissionDenied):
        get_answer_for_proxy(council.board, inquiry.pk, council.member_org.pk)
    answer = get_answer_for_proxy(council.secretariat, inquiry.pk, council.member_org.pk)
    assert answer.organization == council.member_org


def publish(council: Council, *, visibility: str, declined: bool = False) -> Inquiry:
    """Publish an inquiry from 深川市 to 当別町 and 和木町; 当別町 answers (or declines)."""
    inquiry = make_draft(council, by=council.board, results_visibility=visibility)
    services.inquiry_targets_set(
        inquiry=inquiry,
        by=council.board,
        spec={"mode": "pick", "organization_ids": [council.member_org.pk, council.other_org.pk]},
    )
    services.inquiry_submit_for_review(inquiry=inquiry, by=council.board)
    services.inquiry_approve(inquiry=inquiry, by=council.secretariat)
    answer = get_answer_for(council.staff, inquiry.pk)
    if declined:
        services.answer_save(
            answer=answer, by=council.staff, revision=0, kind=AnswerKind.DECLINED, reason="多忙"
        )
    else:
        services.answer_save(
            answer=answer, by=council.staff, revision=0, data=complete_data(inquiry)
        )
    services.answer_submit(answer=answer, by=council.staff, revision=answer.revision)
    services.inquiry_close(inquiry=inquiry, by=council.secretariat)
    services.inquiry_publish_results(inquiry=inquiry, by=council.secretariat)
    return inquiry


RESULTS_TABLE = [
    # visibility, role, may view results
    (ResultsVisibility.ANSWERING, "secretariat", True),
    (ResultsVisibility.ANSWERING, "board", True),  # the asking city
    (ResultsVisibility.ANSWERING, "staff", True),  # answered
    (ResultsVisibility.ANSWERING, "representative", True),
    (ResultsVisibility.ANSWERING, "outsider", False),  # target, did not answer
    (ResultsVisibility.ANSWERING, "observer", False),
    (ResultsVisibility.MEMBERS, "outsider", True),
    (ResultsVisibility.MEMBERS, "observer", True),
    (ResultsVisibility.MEMBERS_ONLY, "outsider", True),
    (ResultsVisibility.MEMBERS_ONLY, "staff", True),
    (ResultsVisibility.MEMBERS_ONLY, "secretariat", True),
    (ResultsVisibility.MEMBERS_ONLY, "observer", False),  # 総務省 does not see named answers
    (ResultsVisibility.NOBODY_ELSE, "staff", False),
    (ResultsVisibility.NOBODY_ELSE, "outsider", False),
    (ResultsVisibility.NOBODY_ELSE, "board", True),
    (ResultsVisibility.NOBODY_ELSE, "secretariat", True),
]


@pytest.mark.parametrize(("visibility", "role", "allowed"), RESULTS_TABLE)
def test_results_visibility_after_publication(council, visibility, role, allowed):
    inquiry = publish(council, visibility=visibility)
    user = council.users_by_role()[role]

    assert can_view_results(user, inquiry) is allowed
    # The list filter agrees with the object check.
    listed = Inquiry.objects.filter(results_visible_filter(user), pk=inquiry.pk).exists()
    assert listed is allowed
    if allowed:
        assert get_inquiry_results_for(user, inquiry.pk) == inquiry
        assert Inquiry.objects.filter(visible_inquiries_filter(user), pk=inquiry.pk).exists()
    else:
        with pytest.raises(PermissionDenied):
            get_inquiry_results_for(user, inquiry.pk)


def test_declining_does_not_open_the_results(council):
    inquiry = publish(council, visibility=ResultsVisibility.ANSWERING, declined=True)

    assert not can_view_results(council.staff, inquiry)


def test_results_are_not_visible_before_publication_except_to_asker(council):
    inquiry = make_open(council, results_visibility=ResultsVisibility.MEMBERS)

    assert can_view_results(council.secretariat, inquiry)
    assert not can_view_results(council.staff, inquiry)
    assert inquiry.status == InquiryStatus.OPEN


def test_hidden_names_apply_to_everyone_but_secretariat_and_requester(council):
    inquiry = publish(council, visibility=ResultsVisibility.MEMBERS)
    inquiry.hide_names = True

    assert not results_hide_names(council.secretariat, inquiry)
    assert not results_hide_names(council.board, inquiry)
    assert results_hide_names(council.staff, inquiry)
    assert results_hide_names(council.observer, inquiry)
    inquiry.hide_names = False
    assert not results_hide_names(council.staff, inquiry)


def test_colleagues_share_the_draft_answer(council):
    world = build_world(council)

    for role in ("staff", "representative"):
        page = client_for(council, role).get(reverse("inquiries:answer", args=[world.open.pk]))
        assert DRAFT_SECRET in page.content.decode()
