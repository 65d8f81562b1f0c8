from django.test import Client
from django.urls import reverse

from renkei.devdata.demo import demo_load
from renkei.meetings.models import Meeting, Minutes, MinutesStatus, Publication, Section


def test_demo_holds_the_seed_minutes_confirmed_and_the_next_board_meeting(db):
    demo_load()
    board = Minutes.objects.get(meeting__title="平成23年度 役員会")
    exchange = Minutes.objects.get(meeting__title="平成24年度 情報交換会議")
    assert board.status == exchange.status == MinutesStatus.CONFIRMED
    assert (board.publication, exchange.publication) == (Publication.PUBLIC, Publication.MEMBERS)
    assert board.attendance_text == "役員6名(6団体)、事務局"
    assert Section.objects.filter(minutes=board, resolution="approved").count() == 4
    upcoming = Meeting.objects.get(title="令和8年度 第1回役員会")
    assert [m.label for m in upcoming.materials.order_by("number")] == [
        "資料1", "資料2", "資料3", "資料4",
    ]  # fmt: skip
    page = Client().get(reverse("meetings:public_minutes", args=[board.pk]))
    assert "本会の会員は全市町村ではないのか。" in page.content.decode()
