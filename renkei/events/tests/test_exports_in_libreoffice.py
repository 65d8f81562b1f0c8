"""The participant workbook, downloaded and opened in LibreOffice Calc as the secretariat would."""

import pytest

from renkei.events.tests.builders import participants_download
from tests.libreoffice import requires_soffice

pytestmark = pytest.mark.django_db


@requires_soffice
def test_participant_workbook_in_calc_shows_titles_text_and_wareki_dates(
    council, seminar, libreoffice
):
    workbook, _ = participants_download(
        council=council, event=seminar, outsider_name="=1+1 & <研究所>"
    )

    rows = libreoffice.sheets_as_shown(workbook, name="participants.xlsx")["参加者"]

    assert rows[0][0] == seminar.title
    assert rows[2][:7] == ["No.", "団体名", "所属", "氏名", "メールアドレス", "会員区分", "状態"]
    assert rows[3][:7] == [
        "1",
        "上砂川町",
        "",
        "'=1+1 & <研究所>",
        "x@example.lg.jp",
        "会員外",
        "メール確認待ち",
    ]
    assert rows[4][:7] == [
        "2",
        "当別町",
        "情報政策課",
        "当別 次郎",
        council.staff.email,
        "会員",
        "参加確定",
    ]
    assert rows[3][7].startswith("令和") and rows[3][8] == ""
    assert rows[4][8].startswith("令和") and "年" in rows[4][8]
    assert len(rows) == 5
