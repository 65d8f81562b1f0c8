"""The event form's own refusals, before any rule of the services is asked."""

from renkei.events.forms import EventForm


def test_event_times_are_refused_in_japanese_with_an_example():
    form = EventForm({"start_time": "25:99"})

    assert not form.is_valid()
    assert form.errors["start_time"] == ["時刻は13:30のように入力してください。"]
    assert form.errors["end_time"] == ["終了時刻を入力してください。"]
