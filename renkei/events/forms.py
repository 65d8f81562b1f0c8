"""Forms of seminars and trainings; services check the rules again on saving."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from renkei.core.fiscal_year import format_fiscal_year
from renkei.core.forms import Select, WarekiDateField, date_input_hint
from renkei.core.question_kinds import field_name, kind_of
from renkei.core.question_kinds.definitions import OTHER_CHOICE
from renkei.core.question_kinds.values import OTHER_TEXT_MAX_LENGTH
from renkei.events.models import (
    QUESTIONNAIRE_KINDS,
    Audience,
    Delivery,
    EventKind,
    Level,
    MaterialTiming,
    QuestionnaireQuestion,
    RegistrationStatus,
    Theme,
)
from renkei.events.services import EventDraft, QuestionDraft, Registrant, SessionDraft


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


def _time_field(*, label: str, example: str) -> forms.TimeField:
    """Return a required time of day typed like the example, refused in Japanese."""
    return forms.TimeField(
        label=label,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={
            "required": f"{label}を入力してください。",
            "invalid": f"時刻は{example}のように入力してください。",
        },
    )


class EventForm(forms.Form):
    """What the secretariat writes about a seminar or training."""

    title = forms.CharField(
        label="名称",
        max_length=200,
        help_text="例：トピックスセミナー「共同化による情報システムの最適化」",
        error_messages={"required": "名称を入力してください。"},
    )
    kind = forms.ChoiceField(label="種類", choices=EventKind.choices)
    description = forms.CharField(
        label="概要",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="目的や対象者など。空行で段落を分けられます。",
    )
    day = WarekiDateField(label="開催日", error_messages={"required": "開催日を入力してください。"})
    start_time = _time_field(label="開始時刻", example="13:30")
    end_time = _time_field(label="終了時刻", example="17:00")
    venue = forms.CharField(
        label="会場", max_length=200, required=False, help_text="例：東京国際フォーラム ホールD7"
    )
    delivery = forms.ChoiceField(label="開催方法", choices=Delivery.choices)
    online_url = forms.URLField(
        label="オンライン参加のURL",
        assume_scheme="https",
        required=False,
        help_text="オンライン・併用のとき。参加確定した人にだけ表示されます。",
        error_messages={"invalid": "URLは https:// から始まる形で入力してください。"},
    )
    capacity = forms.IntegerField(
        label="定員",
        required=False,
        min_value=1,
        help_text="定員を超えた申込はキャンセル待ちになります。定員なしは空欄。",
        error_messages={
            "min_value": "定員は1名以上にしてください。",
            "invalid": "定員は数字で入力してください。",
        },
    )
    audience = forms.ChoiceField(
        label="対象",
        choices=Audience.choices,
        help_text="「会員以外の団体も参加可」にすると、未加入の市町村もメールアドレスの確認を経て申し込めます（加入促進）。",
    )
    registration_closes_on = WarekiDateField(
        label="申込締切日",
        required=False,
        help_text="この日の17:00まで受け付けます。空欄なら開催の開始まで。",
    )
    theme = forms.ChoiceField(label="研修テーマ", choices=Theme.choices, required=False)
    level = forms.ChoiceField(label="対象レベル", choices=Level.choices, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["day"].help_text = date_input_hint(days_ahead=30)

    def draft(self) -> EventDraft:
        """Return the cleaned form as the service's input."""
        data = self.cleaned_data
        closes = data.get("registration_closes_on")
        return EventDraft(
            title=data["title"].strip(),
            kind=data["kind"],
            description=data.get("description", ""),
            starts_at=_at(data["day"], data["start_time"]),
            ends_at=_at(data["day"], data["end_time"]),
            venue=data.get("venue", ""),
            delivery=data["delivery"],
            online_url=data.get("online_url", ""),
            capacity=data.get("capacity"),
            audience=data["audience"],
            registration_closes_at=_at(closes, dt.time(17, 0)) if closes else None,
            theme=data.get("theme", ""),
            level=data.get("level", ""),
        )

    @classmethod
    def initial_of(cls, event: Any) -> dict[str, Any]:
        """Return the form's initial values for an existing event."""
        local = timezone.localtime
        return {
            "title": event.title,
            "kind": event.kind,
            "description": event.description,
            "day": local(event.starts_at).date(),
            "start_time": local(event.starts_at).time(),
            "end_time": local(event.ends_at).time(),
            "venue": event.venue,
            "delivery": event.delivery,
            "online_url": event.online_url,
            "capacity": event.capacity,
            "audience": event.audience,
            "registration_closes_on": local(event.registration_closes_at).date()
            if event.registration_closes_at
            else None,
            "theme": event.theme,
            "level": event.level,
        }


class SessionForm(forms.Form):
    """One row of the program."""

    label = forms.CharField(label="区分", max_length=40, required=False)
    starts_at = forms.TimeField(
        label="開始", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends_at = forms.TimeField(
        label="終了", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    theme = forms.CharField(label="演題", max_length=200, required=False)
    speaker_name = forms.CharField(label="講師", max_length=100, required=False)
    speaker_affiliation = forms.CharField(label="所属", max_length=200, required=False)
    speaker_title = forms.CharField(label="役職", max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        filled = any(data.get(name) for name in ("label", "speaker_name", "speaker_affiliation"))
        if filled and not (data.get("theme") or "").strip():
            self.add_error("theme", "演題を入力してください（行を使わない場合はすべて空欄に）。")
        return data

    def draft(self) -> SessionDraft | None:
        data = self.cleaned_data
        if not (data.get("theme") or "").strip():
            return None
        return SessionDraft(
            theme=data["theme"].strip(),
            label=data.get("label", ""),
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            speaker_name=data.get("speaker_name", ""),
            speaker_affiliation=data.get("speaker_affiliation", ""),
            speaker_title=data.get("speaker_title", ""),
        )


SessionFormSet = forms.formset_factory(SessionForm, extra=3, max_num=40, validate_max=True)


class PublicRegistrationForm(forms.Form):
    """A non-member's registration: who, from where, and the address to confirm."""

    organization_name = forms.CharField(
        label="団体名",
        max_length=200,
        help_text="例：○○町",
        error_messages={"required": "団体名を入力してください。"},
    )
    department = forms.CharField(
        label="所属", max_length=200, required=False, help_text="例：総務課 情報係"
    )
    name = forms.CharField(
        label="氏名", max_length=100, error_messages={"required": "氏名を入力してください。"}
    )
    email = forms.EmailField(
        label="メールアドレス",
        help_text="このアドレスに確認のメールを送ります。メールのリンクを開くと申込が完了します。",
        error_messages={
            "required": "メールアドレスを入力してください。",
            "invalid": "メールアドレスの形式が正しくありません。",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def registrant(self) -> Registrant:
        data = self.cleaned_data
        return Registrant(
            name=data["name"].strip(),
            organization_name=data["organization_name"].strip(),
            department=data.get("department", "").strip(),
            email=data["email"].strip(),
        )


class MaterialForm(forms.Form):
    """A document of the event: its kind, title, file and who may open it."""

    timing = forms.ChoiceField(
        label="区分",
        choices=MaterialTiming.choices,
        initial=MaterialTiming.BEFORE,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label="資料名", max_length=200, required=False, help_text="空欄ならファイル名になります。"
    )
    file = forms.FileField(label="ファイル（PDF、Excel、Word、PowerPoint など。10MBまで）")
    registrants_only = forms.BooleanField(
        label="参加が確定した方と事務局だけが開ける資料にする", required=False
    )


class EventFilterForm(forms.Form):
    """The fiscal year, kind and words the event list is narrowed by."""

    year = forms.TypedChoiceField(
        label="年度", coerce=int, required=False, empty_value=None, widget=Select
    )
    kind = forms.ChoiceField(
        label="種類", required=False, choices=[("", "すべて"), *EventKind.choices], widget=Select
    )
    q = forms.CharField(label="キーワード", required=False, max_length=100)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "すべて")] + [
            (str(year), format_fiscal_year(year)) for year in years
        ]


class RegistrationFilterForm(forms.Form):
    """The status, membership and words the registration list is narrowed by."""

    status = forms.ChoiceField(
        label="状態",
        required=False,
        choices=[("", "すべて"), *RegistrationStatus.choices],
        widget=Select,
    )
    member = forms.ChoiceField(
        label="会員区分",
        required=False,
        choices=[("", "すべて"), ("member", "会員"), ("non_member", "会員外")],
        widget=Select,
    )
    q = forms.CharField(label="氏名・団体名", required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ProspectFilterForm(forms.Form):
    """The words the non-member organizations (加入促進) are narrowed by."""

    q = forms.CharField(label="団体名", required=False, max_length=100, widget=forms.SearchInput)


# --- questionnaires -------------------------------------------------------------------------


class QuestionnaireForm(forms.Form):
    """A new questionnaire: an event's 事後アンケート or a fiscal year's 研修ニーズ調査 (where it is
    created decides which)."""

    title = forms.CharField(
        label="名称",
        max_length=200,
        help_text="例：トピックスセミナー 参加者アンケート、令和9年度 研修ニーズ調査",
        error_messages={"required": "名称を入力してください。"},
    )
    description = forms.CharField(
        label="説明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class QuestionForm(forms.Form):
    """One question of a questionnaire; its kind is one of the question-kind registry's."""

    text = forms.CharField(label="設問", max_length=500, required=False)
    kind = forms.ChoiceField(label="形式", choices=QUESTIONNAIRE_KINDS, initial="single")
    choices = forms.CharField(
        label="選択肢（1行に1つ）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="単一選択・複数選択のとき。例：満足／やや満足／やや不満／不満",
    )
    allow_other = forms.BooleanField(label="「その他」（自由記入）を加える", required=False)
    unit = forms.CharField(label="単位（数値のとき）", max_length=20, required=False)
    required = forms.BooleanField(label="回答を必須にする", required=False)

    def draft(self) -> QuestionDraft | None:
        data = self.cleaned_data
        if not (data.get("text") or "").strip():
            return None
        return QuestionDraft(
            text=data["text"].strip(),
            kind=data["kind"],
            required=data.get("required", False),
            choices=tuple(line.strip() for line in data.get("choices", "").splitlines()),
            allow_other=data.get("allow_other", False),
            unit=data.get("unit", ""),
        )


QuestionFormSet = forms.formset_factory(QuestionForm, extra=2, max_num=60, validate_max=True)


class QuestionnaireAnswerForm(forms.Form):
    """One person's answer; each question's fields and reading are its registry kind's."""

    def __init__(self, *args: Any, questions: list[QuestionnaireQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            kind = kind_of(question)
            label = f"{question.code}　{question.text}{kind.label_suffix(question)}"
            if question.required:
                label += "（必須）"
            other = None
            if question.allow_other:
                other = forms.CharField(
                    label=f"{question.code} 「{OTHER_CHOICE}」の内容",
                    required=False,
                    max_length=OTHER_TEXT_MAX_LENGTH,
                )
            common = {"label": label, "help_text": "", "required": False}
            for name, field in kind.form_fields(question, common, other):
                self.fields[name] = field

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        data: dict[str, Any] = {}
        for question in self.questions:
            kind = kind_of(question)
            value = kind.form_value(question, cleaned, self.add_error)
            if kind.is_unanswered(question, value):
                if question.required:
                    self.add_error(*kind.missing(question, value))
                continue
            data[str(question.pk)] = value
            other = (cleaned.get(f"{field_name(question)}_other") or "").strip()
            if question.allow_other and other:
                data[f"{question.pk}_other"] = other
        self.answer_data = data
        return cleaned
