"""A meeting page shows the compiled results of the inquiry an agenda item points at.

Meetings and inquiries do not import each other (import-linter); they meet through
renkei.core.summaries, whose "inquiry" provider the inquiries app registers. This test
uses both apps, so it lives with the cross-app tests rather than in either app.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from renkei.core import summaries
from renkei.core.summaries import RecordSummary, record_summaries, summary_register
from renkei.inquiries import services as inquiry_services
from renkei.inquiries.models import Inquiry, ResultsVisibility
from renkei.inquiries.permissions import get_answer_for_proxy
from renkei.meetings import services as meeting_services
from renkei.meetings.models import AgendaItem, InviteeCapacity, Meeting, MeetingKind, MeetingScope
from renkei.testing import login_client

pytestmark = pytest.mark.django_db


def _board_meeting(council, inquiry: Inquiry) -> Meeting:
    """A 役員会 of 深川市 with 総務省 observing, whose second item discusses the inquiry."""
    by = council.secretariat
    meeting = meeting_services.meeting_create(
        by=by,
        title="役員会",
        kind=MeetingKind.BOARD,
        starts_at=timezone.now() + dt.timedelta(days=7),
        scope=MeetingScope.BOARD,
    )
    meeting_services.invitees_add(meeting=meeting, by=by, organizations=[council.board_org])
    meeting_services.invitees_add(
        meeting=meeting,
        by=by,
        organizations=[council.observer_org],
        capacity=InviteeCapacity.OBSERVER,
    )
    meeting_services.agenda_item_add(meeting=meeting, by=by, title="開会")
    meeting_services.agenda_item_add(
        meeting=meeting, by=by, title="生成AIの利用状況調査の結果について", inquiry_id=inquiry.pk
    )
    return meeting


def _page(user, meeting: Meeting):
    return login_client(user).get(reverse("meetings:detail", args=[meeting.pk]))


def test_the_meeting_page_shows_the_compiled_numbers_of_the_referenced_inquiry(
    council, published_inquiry
):
    inquiry = published_inquiry(council)
    meeting = _board_meeting(council, inquiry)

    page = _page(council.board, meeting).content.decode()

    assert "照会「" in page and "生成AIの利用状況について" in page
    assert f'href="{reverse("inquiries:detail", args=[inquiry.pk])}"' in page
    assert "提出 3団体（うち回答 3団体）" in page
    # Q1: はい 2 of 3, いいえ 1 of 3, as the 集計 page counts them.
    assert '<th scope="row">はい</th><td class="num">2</td><td class="num">66.7%</td>' in page
    assert '<th scope="row">いいえ</th><td class="num">1</td><td class="num">33.3%</td>' in page
    # Q2: 12, 30 and 6 staff: total 48, mean 16, median 12.
    assert (
        '<th scope="row">3</th><td class="num">16</td><td class="num">12</td>'
        '<td class="num">6</td><td class="num">30</td><td class="num">48</td>'
    ) in page
    # No organization's own answer is named in the meeting.
    assert "当別町" not in page and "和木町" not in page


def test_an_invitee_who_may_not_see_the_results_gets_the_title_and_a_note(
    council, published_inquiry
):
    inquiry = published_inquiry(council)  # results for the organizations that answered
    meeting = _board_meeting(council, inquiry)

    page = _page(council.observer, meeting)  # 総務省 observes the meeting, did not answer

    assert page.status_code == 200
    html = page.content.decode()
    assert "生成AIの利用状況について" in html
    assert "集計結果を閲覧する権限がないため" in html
    assert "66.7%" not in html and "48" not in html.split("議事次第")[1].split("会議録")[0]
    assert (
        login_client(council.observer)
        .get(reverse("inquiries:compilation", args=[inquiry.pk]))
        .status_code
        == 403
    )


def test_the_meeting_stays_closed_to_an_outsider_whatever_the_inquiry_shows(
    council, published_inquiry
):
    inquiry = published_inquiry(council, visibility=ResultsVisibility.MEMBERS)
    meeting = _board_meeting(council, inquiry)

    assert _page(council.outsider, meeting).status_code in (403, 404)
    response = login_client(council.outsider).get(
        reverse("inquiries:compilation", args=[inquiry.pk])
    )
    assert response.status_code == 200  # the inquiry's results are open to them, the meeting not
    anonymous = Client().get(reverse("meetings:detail", args=[meeting.pk]))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_the_page_reads_every_referenced_inquiry_in_a_constant_number_of_queries(
    council, published_inquiry
):
    inquiry = published_inquiry(council)
    meeting = _board_meeting(council, inquiry)
    client = login_client(council.board)
    url = reverse("meetings:detail", args=[meeting.pk])
    client.get(url)  # compiles and caches the summary
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(5):
        other = published_inquiry(council)
        meeting_services.agenda_item_add(
            meeting=meeting, by=council.secretariat, title=f"議題{n}", inquiry_id=other.pk
        )
    client.get(url)  # compiles the new ones once
    with CaptureQueriesContext(connection) as six:
        page = client.get(url).content.decode()
    assert page.count("照会「") == 6
    assert len(six) == len(one)
    assert AgendaItem.objects.filter(meeting=meeting, inquiry__isnull=False).count() == 6


def test_an_answer_submitted_after_the_page_was_seen_shows_on_the_next_view(
    council, published_inquiry
):
    # Open, answered by 当別町 only: the secretariat sees its results while it runs.
    inquiry = published_inquiry(council, answering=("member_org",), publish=False)
    meeting = _board_meeting(council, inquiry)
    client = login_client(council.secretariat)
    url = reverse("meetings:detail", args=[meeting.pk])
    assert "提出 1団体（うち回答 1団体）" in client.get(url).content.decode()

    by = council.secretariat
    answer = get_answer_for_proxy(by, inquiry.pk, council.other_org.pk)
    used, staff = inquiry.questions.order_by("position")
    answer = inquiry_services.answer_save(
        answer=answer,
        by=by,
        revision=answer.revision,
        data={str(used.pk): "いいえ", str(staff.pk): 4},
        proxy=True,
    )
    inquiry_services.answer_submit(answer=answer, by=by, revision=answer.revision, proxy=True)

    page = client.get(url).content.decode()
    assert "提出 2団体（うち回答 2団体）" in page
    assert '<th scope="row">いいえ</th><td class="num">1</td><td class="num">50.0%</td>' in page


def test_a_kind_without_provider_and_a_missing_record_are_left_out(council, monkeypatch):
    monkeypatch.setattr(summaries, "_PROVIDERS", dict(summaries._PROVIDERS))
    summary_register(
        kind="test-kind",
        provider=lambda *, user, ids: {
            pk: RecordSummary(kind_label="テスト", title=f"記録{pk}") for pk in ids if pk != 2
        },
    )
    found = record_summaries(
        user=council.board, refs=[("test-kind", 1), ("test-kind", 2), ("nobody", 1)]
    )
    assert list(found) == [("test-kind", 1)]
    assert found[("test-kind", 1)].title == "記録1"
