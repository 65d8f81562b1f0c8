"""The minutes reader on the two real minutes (seeds 001, 004) and on layouts it never saw."""

from pathlib import Path

import pytest

from renkei.meetings.minutes_text import minutes_parse, minutes_render

# Copies of seeds 001 and 004 (published minutes); the demo data loads them too.
SEED_DIR = Path(__file__).resolve().parents[2] / "devdata" / "minutes"


def _seed(name: str) -> str:
    return next(SEED_DIR.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def test_board_minutes_seed_001_header_sections_statements_and_resolutions():
    parsed = minutes_parse(_seed("001"))
    assert parsed.title == "総会 平成23年度全国市町村情報管理主管課長会 役員会 会議録"
    assert parsed.held_on == "平成23年6月20日 12:00~13:00"
    assert parsed.venue == "地方自治情報センター センター会議室"
    assert parsed.attendance == "役員6名(6団体)、事務局"
    assert parsed.materials == "役員会結果"
    assert [s.kind for s in parsed.sections] == [
        "opening", "greeting", "proceedings", "item", "item", "item", "item", "closing",
    ]  # fmt: skip
    items = parsed.items()
    assert [i.heading for i in items] == [
        "本会の概要について",
        "平成23年度 事業実施について",
        "新旧役員会及び情報交換会議の開催日程について",
        "情報交換会議の議題及び参加団体の選定方法について",
    ]
    assert all(i.resolution == "approved" for i in items)
    assert "原案のとおり承認" in items[1].resolution_text
    assert [s.speaker for s in items[0].statements] == ["多治見市", "事務局"]
    assert items[0].statements[0].text == "本会の会員は全市町村ではないのか。"
    assert items[1].statements == []
    speakers = [s.speaker for s in items[3].statements]
    assert speakers.count("会長") == 2 and speakers[0] == "多治見市"
    # The secretariat's long answer keeps its three paragraphs in one statement.
    assert len(items[3].statements[8].lines) == 3
    assert len(parsed.sections[1].body) == 3  # three greetings


def test_exchange_minutes_seed_004_presentations_inquiries_observer():
    parsed = minutes_parse(_seed("004"))
    assert parsed.attendance == (
        "役員10名(10団体)、情報交換会議出席者9名(9団体)、総務省(オブザーバ)、傍聴(2名)及び事務局"
    )
    assert parsed.sections[2].kind == "introduction"
    headings = [i.heading for i in parsed.items()]
    assert headings[0] == "他団体に紹介・情報提供したい取組み、施策等について"
    assert (
        "町田市:1.仮想化技術の利用による「共用システム基盤」の紹介\n"
        "2.複数のベンダで成立つ情報システム群を「地域情報プラットフォーム」に準拠させる実践紹介"
    ) in headings
    assert "早島町:1.クラウド利用の際のシステム改修経費\n2.シンクライアントの導入" in headings
    assert headings[-1] == "意見交換・質疑応答"
    platform = next(i for i in parsed.items() if i.heading.startswith("町田市:地域情報"))
    soumu = next(s for s in platform.statements if s.speaker == "総務省")
    assert len(soumu.lines) == 6
    school = next(i for i in parsed.items() if i.heading.startswith("当別町:学校"))
    # The narrative between two statements keeps its place, without a speaker.
    assert [s.speaker for s in school.statements][:3] == ["事務局", "", "事務局"]
    assert school.statements[1].text.startswith("当別町から照会事項の趣旨について説明")
    assert parsed.sections[-2].kind == "other" and "追加資料2" in parsed.sections[-2].body[0]
    total = sum(len(s.statements) for s in parsed.sections if s.kind == "item")
    assert total >= 50


@pytest.mark.parametrize("seed", ["001", "004"])
def test_page_chrome_and_footer_are_shown_as_unplaced_not_used(seed):
    parsed = minutes_parse(_seed(seed))
    reasons = {u.text: u.reason for u in parsed.unplaced}
    assert reasons["本文へジャンプ"] == "表題より前の行"
    assert "電話番号: 03-5214-8004" in reasons
    assert all("03-5214" not in line for s in parsed.sections for line in s.body)


@pytest.mark.parametrize("seed", ["001", "004"])
def test_rendered_text_reads_back_to_the_same_structure(seed):
    parsed = minutes_parse(_seed(seed))
    again = minutes_parse(minutes_render(parsed))

    def shape(p):
        return [
            (s.kind, s.heading, s.body, [(x.speaker, x.lines) for x in s.statements], s.resolution)
            for s in p.sections
        ]

    assert shape(again) == shape(parsed)
    assert again.unplaced == []


OTHER_COUNCIL = """\
第2回 ○○県市町村情報化推進協議会 幹事会 議事録

１ 開催日時：令和6年7月10日（水）14:00～15:30
２ 場所：県自治会館 301会議室
３ 出席者
幹事12名、事務局

（１）開会
事務局長から開会のあいさつがあった。

（２）議事
議題1 令和6年度事業計画（案）について
事務局から資料1により説明があり、審議の結果、修正のうえ承認された。
【質疑】
○山田委員　研修の日程は決まっているか。
○事務局長　9月に2回開催する予定である。
議題2 セキュリティ研修の報告
事務局から資料2により報告があり、報告のとおり了承された。
【意見】
佐藤委員：オンラインでの開催も検討してほしい。
事務局：検討する。

（３）閉会
"""


def test_an_unseen_layout_numbered_items_marks_and_colons():
    parsed = minutes_parse(OTHER_COUNCIL)
    assert parsed.title.startswith("第2回")
    assert parsed.held_on == "令和6年7月10日(水)14:00~15:30"
    assert parsed.venue == "県自治会館 301会議室"
    assert parsed.attendance == "幹事12名、事務局"
    assert [s.kind for s in parsed.sections] == [
        "opening",
        "proceedings",
        "item",
        "item",
        "closing",
    ]
    first, second = parsed.items()
    assert first.heading == "令和6年度事業計画(案)について"
    assert first.resolution == "amended"
    assert [(s.speaker, s.text) for s in first.statements] == [
        ("山田委員", "研修の日程は決まっているか。"),
        ("事務局長", "9月に2回開催する予定である。"),
    ]
    assert second.resolution == "noted"
    assert [s.speaker for s in second.statements] == ["佐藤委員", "事務局"]
    assert parsed.unplaced == []


def test_full_width_parentheses_and_a_speaker_without_words_is_reported():
    text = "\n".join(
        [
            "役員会 会議録",
            "日時",
            "令和7年5月1日",
            "開会",
            "事務局が開会を宣した。",
            "議題",
            "会費について",
            "事務局から、資料1に基づき説明が行われ、継続審議とされた。",
            "（多治見市）",
            "会費はいくらか。",
            "（事務局）",
            "閉会",
            "散会した。",
        ]
    )
    parsed = minutes_parse(text)
    item = parsed.items()[0]
    assert item.resolution == "continued"
    assert [s.speaker for s in item.statements] == ["多治見市"]
    assert [(u.text, u.reason) for u in parsed.unplaced] == [
        ("(事務局)", "「会費について」の発言者に発言がない")
    ]


def test_text_before_any_section_is_not_guessed_into_one():
    parsed = minutes_parse("理事会 議事要旨\n日時：令和7年4月1日\n")
    assert parsed.held_on == "令和7年4月1日"
    parsed = minutes_parse("理事会 議事要旨\n前回の会議のあと、次の点が話し合われた。\n開会\n")
    assert [u.reason for u in parsed.unplaced] == ["見出し（日時・場所・開会など）の外の行"]
