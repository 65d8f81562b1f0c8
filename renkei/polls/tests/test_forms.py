from datetime import date, timedelta

from renkei.core.wareki import format_wareki
from renkei.polls.forms import FiscalYearForm, PollForm, VoteForm


def poll_data(today, **overrides) -> dict[str, str]:
    return {
        "question": "CMSの導入について",
        "choices": "導入済み\n導入予定\n予定なし",
        "start_date": format_wareki(today + timedelta(days=1)),
        "end_date": "R20.8.21",
        "vote_scope": "organization",
        "results_visibility": "after_voting",
    } | overrides


def test_poll_form_reads_era_dates_and_one_choice_a_line(today):
    form = PollForm(poll_data(today, choices="導入済み\r\n\r\n導入予定\r\n"))
    assert form.is_valid(), form.errors
    draft = form.to_draft()
    assert draft.start_date == today + timedelta(days=1)
    assert draft.end_date == date(2038, 8, 21)
    assert list(draft.choices) == ["導入済み", "導入予定"]
    assert draft.multiple_choice is False


def test_poll_form_reports_every_problem_at_once(today):
    form = PollForm(
        poll_data(
            today,
            question="",
            choices="はい",
            start_date=(today - timedelta(days=1)).isoformat(),
            end_date="2000年1月1日",
            vote_scope="everyone",
        )
    )
    assert not form.is_valid()
    assert form.errors["question"] == ["調査項目を入力してください。"]
    assert form.errors["choices"] == ["選択肢は2個以上入力してください（現在1個）。"]
    assert form.errors["start_date"][0].startswith("開始日は今日（")
    assert form.errors["end_date"] == ["終了日は開始日以降の日付にしてください。"]
    assert form.errors["vote_scope"] == ["投票単位を選び直してください。"]


def test_poll_form_labels_take_no_colon(today):
    assert "調査項目:" not in PollForm().as_div()


def test_vote_form_offers_radios_or_checkboxes(make_poll):
    single = make_poll()
    multiple = make_poll(multiple_choice=True)
    assert 'type="radio"' in str(VoteForm(poll=single, choices=list(single.choices.all())))
    assert 'type="checkbox"' in str(VoteForm(poll=multiple, choices=list(multiple.choices.all())))


def test_vote_form_returns_the_marked_choice_ids(make_poll):
    poll = make_poll(multiple_choice=True)
    ids = list(poll.choices.values_list("pk", flat=True))
    form = VoteForm(
        {"choices": [str(ids[0]), str(ids[2])]}, poll=poll, choices=list(poll.choices.all())
    )
    assert form.is_valid()
    assert form.choice_ids() == [ids[0], ids[2]]


def test_vote_form_refuses_a_choice_it_did_not_offer(make_poll):
    poll = make_poll()
    form = VoteForm({"choices": "999999"}, poll=poll, choices=list(poll.choices.all()))
    assert not form.is_valid()
    assert form.errors["choices"] == ["選択肢が正しくありません。画面を読み込み直してください。"]


def test_fiscal_year_form_accepts_only_listed_years():
    assert FiscalYearForm({"year": "2025"}, years=[2026, 2025]).is_valid()
    form = FiscalYearForm({"year": "1999"}, years=[2026, 2025])
    assert not form.is_valid()
    assert form.errors["year"] == ["指定された年度の調査はありません。"]
