"""One set of real records for the authorization matrix and the accessibility sweep.

Built on the shared test council (`renkei.testing.make_council`): every record that belongs
to "another organization" really does, so a refusal in the matrix is a real refusal:

- `draft`: a 調査依頼 that 当別町's staff is still writing (with a question and a document);
- `review`: 深川市's 調査依頼 waiting for the secretariat's review;
- `open`: the secretariat's inquiry to 当別町 only, with 当別町's submitted answer and file;
- `requested`: 当別町's 調査依頼, approved and open to 和木町 and 深川市; 深川市 has answered;
- `export`: an export of `requested` that the secretariat asked for;
- `published`: a secretariat inquiry whose results are published to every member;
- `open_poll` (running), `closed_poll` (over, 深川市 voted) and `requested_poll` (当別町's
  調査依頼).
"""

import datetime as dt
from dataclasses import dataclass

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renkei.accounts.models import Role
from renkei.announcements import services as announcement_services
from renkei.announcements.models import (
    Announcement,
    AnnouncementKind,
    AudienceKind,
    Delivery,
    ExternalContact,
)
from renkei.core.fiscal_year import fiscal_year_of
from renkei.directory.models import Group, GroupKind, GroupMember, Invitation
from renkei.events import services as event_services
from renkei.events.models import (
    Audience,
    Event,
    EventKind,
    EventMaterial,
    Questionnaire,
    Registration,
)
from renkei.forum import services as forum_services
from renkei.forum.lists import services as list_services
from renkei.forum.lists.models import (
    ListAttachment,
    ListMessage,
    ListThread,
    MailingList,
    MessageStatus,
)
from renkei.forum.models import AbuseReport, Attachment, Board, Post, Thread
from renkei.inquiries import services
from renkei.inquiries.export_tasks import export_request
from renkei.inquiries.exports import ExportFormat
from renkei.inquiries.models import (
    Answer,
    AnswerFile,
    Export,
    Inquiry,
    InquiryAttachment,
    Question,
    QuestionKind,
    ResultsVisibility,
)
from renkei.inquiries.permissions import get_answer_for
from renkei.mailer.inbound import inbound_deliver
from renkei.polls.models import (
    Choice,
    Poll,
    PollStatus,
    Vote,
    VoteChoice,
    VoteScope,
    poll_today,
)
from renkei.testing import Council, make_council

PDF = b"%PDF-1.4\n%matrix\n"


@dataclass
class World:
    """The council, the secretariat's TOTP secret and the records the URLs point at."""

    council: Council
    totp_secret: str
    invitation: Invitation
    group: Group
    group_member: GroupMember
    draft: Inquiry
    draft_question: Question
    draft_attachment: InquiryAttachment
    review: Inquiry
    open: Inquiry
    answer: Answer
    answer_file: AnswerFile
    requested: Inquiry
    requested_text_question: Question
    export: Export
    published: Inquiry
    open_poll: Poll
    closed_poll: Poll
    requested_poll: Poll
    event: Event  # published, open to non-members, 当別町's staff registered
    event_draft: Event
    registration: Registration
    forum: "ForumRecords"
    lists: "ListRecords"
    # お知らせ to Hokkaido's members (当別町, 深川市), published with a delivery, and a draft.
    announcement: Announcement | None = None
    announcement_draft: Announcement | None = None
    delivery: Delivery | None = None
    external_contact: ExternalContact | None = None
    # The seminar's open post-event questionnaire and a draft; next fiscal year's open needs
    # questionnaire and a draft.
    questionnaire: Questionnaire | None = None
    needs_questionnaire: Questionnaire | None = None
    needs_questionnaire_draft: Questionnaire | None = None
    questionnaire_draft: Questionnaire | None = None
    # The seminar's documents: one for everyone who sees it, one for confirmed registrants only
    # (当別町's staff is one).
    event_material: EventMaterial | None = None
    event_material_private: EventMaterial | None = None


def _announcements(council: Council) -> dict:
    """A published お知らせ for Hokkaido (with a PDF and a delivery) and a draft one."""
    secretariat = council.secretariat
    announcement = announcement_services.announcement_create(
        by=secretariat,
        title="北海道ブロック研修会のご案内",
        body="研修会を開催します。",
        kind=AnnouncementKind.NOTICE,
        audience=AudienceKind.PREFECTURE,
        prefectures=["01"],
        files=[SimpleUploadedFile("案内.pdf", PDF)],
    )
    delivery = announcement_services.announcement_publish(announcement=announcement, by=secretariat)
    draft = announcement_services.announcement_create(
        by=secretariat,
        title="令和8年度総会の開催について（案）",
        body="総会を開催します。",
        kind=AnnouncementKind.NOTICE,
        audience=AudienceKind.ALL_MEMBERS,
    )
    external = ExternalContact.objects.create(
        organization_name="未加入町", name="情報担当", email="johotanto@example.lg.jp"
    )
    return {
        "announcement": announcement,
        "announcement_draft": draft,
        "delivery": delivery,
        "external_contact": external,
    }


@dataclass
class ListRecords:
    """The 役員会's mailing list: a thread with a file, a held message from outside, and a
    group without a list yet. Only 深川市's people and the secretariat may read the archive."""

    mailing_list: MailingList
    thread: ListThread
    message: ListMessage
    attachment: ListAttachment
    held: ListMessage
    spare_group: Group


def _list_records(council: Council, group: Group) -> ListRecords:
    mailing_list = list_services.list_create(
        group=group, local_part="yakuin", moderators=[council.secretariat], by=council.secretariat
    )
    message = list_services.message_post(
        mailing_list=mailing_list,
        subject="第2回役員会の資料",
        body="資料を添付します。",
        files=[SimpleUploadedFile("資料2.pdf", PDF, content_type="application/pdf")],
        by=council.board,
    )
    [outcome] = inbound_deliver(
        content=b"From: vendor@example.co.jp\r\nSubject: proposal\r\n\r\nHello\r\n",
        recipients=[mailing_list.address],
        envelope_from="vendor@example.co.jp",
    )
    assert outcome.reply is None
    return ListRecords(
        mailing_list=mailing_list,
        thread=message.thread,
        message=message,
        attachment=message.attachments.get(),
        held=ListMessage.objects.get(mailing_list=mailing_list, status=MessageStatus.HELD),
        spare_group=Group.objects.create(name="広報WG", kind=GroupKind.WORKING_GROUP),
    )


@dataclass
class ForumRecords:
    """The e-conference room: an open board, and the 役員会's private board whose thread, post,
    attachment and abuse report no one outside 深川市 (the group's member) and the secretariat
    may reach."""

    board: Board
    private_board: Board
    private_thread: Thread
    private_post: Post
    private_attachment: Attachment
    private_report: AbuseReport


def _forum_records(council: Council, group: Group) -> ForumRecords:
    board = forum_services.board_create(name="情報化推進全般", by=council.secretariat)
    forum_services.thread_create(
        board=board, title="CMSの導入について", body="導入事例を教えてください。", by=council.staff
    )
    private_board = forum_services.board_create(
        name="役員会の会議室", group=group, by=council.secretariat
    )
    private_thread = forum_services.thread_create(
        board=private_board,
        title="平成21年度事業計画（案）",
        body="資料を添付します。",
        files=[SimpleUploadedFile("資料1.pdf", PDF, content_type="application/pdf")],
        by=council.board,
    )
    private_post = private_thread.posts.get(number=1)
    report = forum_services.abuse_report_create(
        post=private_post, reason="確認をお願いします。", by=council.secretariat
    )
    return ForumRecords(
        board=board,
        private_board=private_board,
        private_thread=private_thread,
        private_post=private_post,
        private_attachment=private_post.attachments.get(),
        private_report=report,
    )


def _deadline(days: int = 14) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def _inquiry_with_questions(*, by, title: str, spec: dict, **fields) -> Inquiry:
    """A draft with a yes/no question and a conditional short text, sent to `spec`."""
    inquiry = services.inquiry_create(
        by=by,
        draft=services.InquiryDraft(
            title=title,
            purpose="ポリシーの**公表**状況を伺います。",
            contact="情報政策課 0123-45-6789",
            deadline=_deadline(),
            **fields,
        ),
    )
    yes_no = services.question_create(
        inquiry=inquiry,
        by=by,
        draft=services.QuestionDraft(kind=QuestionKind.YES_NO, text="ポリシーを公表していますか。"),
    )
    services.question_create(
        inquiry=inquiry,
        by=by,
        draft=services.QuestionDraft(
            kind=QuestionKind.SHORT_TEXT,
            text="公表している場所を教えてください。",
            condition_question=yes_no,
            condition_value="はい",
            required=False,
        ),
    )
    services.inquiry_targets_set(inquiry=inquiry, by=by, spec=spec)
    return inquiry


def _answers(inquiry: Inquiry) -> dict[str, str]:
    first, second = inquiry.questions.order_by("position")[:2]
    return {str(first.pk): "はい", str(second.pk): "例規集に掲載"}


def _submit(inquiry: Inquiry, user, *, uploads=None) -> Answer:
    answer = get_answer_for(user, inquiry.pk)
    services.answer_save(
        answer=answer, by=user, revision=answer.revision, data=_answers(inquiry), uploads=uploads
    )
    services.answer_submit(answer=answer, by=user, revision=answer.revision)
    answer.refresh_from_db()
    return answer


def _poll(*, question: str, start: dt.date, end: dt.date, status: str, **fields) -> Poll:
    poll = Poll.objects.create(
        question=question,
        start_date=start,
        end_date=end,
        status=status,
        vote_scope=fields.pop("vote_scope", VoteScope.ORGANIZATION),
        **fields,
    )
    Choice.objects.bulk_create(
        Choice(poll=poll, position=index, text=text)
        for index, text in enumerate(("導入済み", "導入予定", "予定なし"), start=1)
    )
    return poll


def build_world() -> World:
    """Create the council and every record the matrix and the sweep visit."""
    council = make_council()
    secretariat, staff = council.secretariat, council.staff
    totp_secret = generate_totp_secret()
    TOTP.activate(secretariat, totp_secret)

    invitation = Invitation.objects.create(
        organization=council.member_org,
        name="当別 招待",
        email="shotai@example.lg.jp",
        role=Role.STAFF,
        invited_by=council.representative,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    group = Group.objects.create(name="役員会", kind=GroupKind.BOARD)
    group_member = GroupMember.objects.create(group=group, organization=council.board_org)

    # 当別町's own 調査依頼, still a draft.
    draft = _inquiry_with_questions(
        by=staff, title="当別町からの調査依頼（下書き）", spec={"mode": "all"}
    )
    draft_attachment = services.inquiry_attachment_add(
        inquiry=draft, by=staff, file=SimpleUploadedFile("shiryo.pdf", PDF)
    )

    # 深川市's 調査依頼, waiting for review.
    review = _inquiry_with_questions(
        by=council.board, title="深川市からの調査依頼（審査待ち）", spec={"mode": "all"}
    )
    services.inquiry_submit_for_review(inquiry=review, by=council.board)

    # The secretariat's inquiry to 当別町 only, with 当別町's submitted answer and a file.
    opened = _inquiry_with_questions(
        by=secretariat,
        title="情報セキュリティポリシーについて",
        spec={"mode": "pick", "organization_ids": [council.member_org.pk]},
    )
    file_question = services.question_create(
        inquiry=opened,
        by=secretariat,
        draft=services.QuestionDraft(kind=QuestionKind.FILE, text="ポリシーの文書", required=False),
    )
    services.inquiry_open(inquiry=opened, by=secretariat)
    answer = _submit(
        opened, staff, uploads={file_question.pk: SimpleUploadedFile("policy.pdf", PDF)}
    )

    # 当別町's 調査依頼, approved: open to 和木町 and 深川市; 深川市 has answered.
    requested = _inquiry_with_questions(
        by=staff, title="当別町からの調査依頼（受付中）", spec={"mode": "all"}
    )
    services.inquiry_submit_for_review(inquiry=requested, by=staff)
    services.inquiry_approve(inquiry=requested, by=secretariat)
    _submit(requested, council.board)
    export = export_request(inquiry=requested, by=secretariat, export_format=ExportFormat.CSV_UTF8)

    # Results published to every member (observers included).
    published = _inquiry_with_questions(
        by=secretariat,
        title="庁内ネットワークの無線化について",
        spec={"mode": "all"},
        results_visibility=ResultsVisibility.MEMBERS,
    )
    services.inquiry_open(inquiry=published, by=secretariat)
    _submit(published, staff)
    _submit(published, council.board)
    services.inquiry_close(inquiry=published, by=secretariat)
    services.inquiry_publish_results(inquiry=published, by=secretariat)

    today = poll_today()
    open_poll = _poll(
        question="CMS（Content Management System）の導入について",
        start=today - dt.timedelta(days=3),
        end=today + dt.timedelta(days=7),
        status=PollStatus.APPROVED,
    )
    closed_poll = _poll(
        question="LG.JPドメインの利用について",
        start=today - dt.timedelta(days=30),
        end=today - dt.timedelta(days=10),
        status=PollStatus.APPROVED,
    )
    ballot = Vote.objects.create(
        poll=closed_poll,
        voter=council.board,
        organization=council.board_org,
        voter_key=f"organization:{council.board_org.pk}",
    )
    VoteChoice.objects.create(vote=ballot, choice=closed_poll.choices.first())
    requested_poll = _poll(
        question="情報システム運用課題と仮想化技術導入について",
        start=today + dt.timedelta(days=5),
        end=today + dt.timedelta(days=20),
        status=PollStatus.REQUESTED,
        requesting_organization=council.member_org,
    )

    event = event_services.event_create(
        by=secretariat,
        draft=event_services.EventDraft(
            title="トピックスセミナー",
            kind=EventKind.SEMINAR,
            starts_at=_deadline(30),
            ends_at=_deadline(30) + dt.timedelta(hours=3),
            description="地方公共団体の事例を中心としたセミナーです。",
            venue="東京国際フォーラム",
            capacity=80,
            audience=Audience.OPEN,
        ),
    )
    event_services.event_publish(event=event, by=secretariat)
    registration = event_services.member_register(event=event, person=staff.person, by=staff)
    event_draft = event_services.event_create(
        by=secretariat,
        draft=event_services.EventDraft(
            title="情報政策担当者研修会（準備中）",
            kind=EventKind.TRAINING,
            starts_at=_deadline(60),
            ends_at=_deadline(60) + dt.timedelta(hours=5),
            description="セキュリティ総合の研修です。",
        ),
    )
    materials = {
        name: event_services.material_add(
            event=event,
            by=secretariat,
            title=f"講演資料（{name}）",
            file=SimpleUploadedFile("kouen.pdf", PDF, content_type="application/pdf"),
            registrants_only=name == "event_material_private",
        )
        for name in ("event_material", "event_material_private")
    }
    questionnaires = {}
    # Next fiscal year's needs questionnaires belong to its training catalogue, not to an event.
    next_year = fiscal_year_of(timezone.localdate()) + 1
    for name, kind, taking_answers in (
        ("questionnaire", "post_event", True),
        ("needs_questionnaire", "needs", True),
        ("questionnaire_draft", "post_event", False),
        ("needs_questionnaire_draft", "needs", False),
    ):
        if kind == "needs":
            questionnaire = event_services.needs_questionnaire_create(
                fiscal_year=next_year, by=secretariat, title=f"研修ニーズ調査（{name}）"
            )
        else:
            questionnaire = event_services.questionnaire_create(
                event=event, by=secretariat, title=f"アンケート（{name}）"
            )
        event_services.questions_set(
            questionnaire=questionnaire,
            by=secretariat,
            questions=[
                event_services.QuestionDraft(
                    text="満足度", kind="single", required=True, choices=("満足", "不満")
                )
            ],
        )
        if taking_answers:
            event_services.questionnaire_open(questionnaire=questionnaire, by=secretariat)
        questionnaires[name] = questionnaire

    return World(
        council=council,
        totp_secret=totp_secret,
        invitation=invitation,
        group=group,
        group_member=group_member,
        draft=draft,
        draft_question=draft.questions.order_by("position").first(),
        draft_attachment=draft_attachment,
        review=review,
        open=opened,
        answer=answer,
        answer_file=AnswerFile.objects.get(answer=answer),
        requested=requested,
        requested_text_question=requested.questions.get(kind=QuestionKind.SHORT_TEXT),
        export=export,
        published=published,
        open_poll=open_poll,
        closed_poll=closed_poll,
        requested_poll=requested_poll,
        event=event,
        event_draft=event_draft,
        registration=registration,
        **materials,
        **_announcements(council),
        forum=_forum_records(council, group),
        lists=_list_records(council, group),
        **questionnaires,
    )
