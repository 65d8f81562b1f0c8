"""Forms of the inquiry pages; every rule is checked again here on the server."""

import copy
import datetime as dt
import functools
from typing import Any, NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils import timezone

from renkei.core.files import (  # noqa: F401 (re-exported for the inquiry forms and tests)
    ALLOWED_EXTENSIONS,
    MACRO_EXTENSIONS,
    MAX_UPLOAD_BYTES,
    validate_upload,
)
from renkei.core.forms import Select, WarekiDateField, service_error_add
from renkei.core.question_kinds import KINDS, cell_field_name, field_name, kind_of
from renkei.core.question_kinds.values import OTHER_TEXT_MAX_LENGTH, parse_number
from renkei.core.wareki import format_date
from renkei.directory.models import Group, Organization, OrganizationKind
from renkei.directory.organization_picker import OrganizationPickerField
from renkei.directory.prefectures import PREFECTURES
from renkei.inquiries.models import (
    OTHER_CHOICE,
    Answer,
    AnswerKind,
    Inquiry,
    Question,
    QuestionKind,
)
from renkei.inquiries.selectors import (
    PROGRESS_STATUSES,
    hidden_question_ids,
    missing_required,
    organizations_lookup,
    requester_organizations,
    suggested_deadline,
    target_kinds,
)
from renkei.inquiries.services import (
    CONDITION_KINDS,
    InquiryDraft,
    InquiryError,
    QuestionDraft,
    question_validate,
)

DEFAULT_DEADLINE_TIME = dt.time(17, 0)
SUGGESTED_BUSINESS_DAYS = 10


def deadline_combine(day: dt.date, time: dt.time | None) -> dt.datetime:
    """Return the deadline as an aware datetime in the site's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, time or DEFAULT_DEADLINE_TIME))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class JapaneseLabelsMixin:
    """Labels without Django's trailing colon, which reads oddly after Japanese text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DeadlineFieldsMixin:
    """A date typed in the era or western calendar and a time, checked to be ahead."""

    def _deadline_clean(self, cleaned: dict[str, Any], *, required: bool) -> None:
        day, time = cleaned.get("deadline_date"), cleaned.get("deadline_time")
        if day is None:
            if required and "deadline_date" not in self.errors:
                self.add_error("deadline_date", "回答期限の日付を入力してください。")
            cleaned["deadline"] = None
            return
        deadline = deadline_combine(day, time)
        if deadline <= timezone.now():
            self.add_error("deadline_date", "回答期限には現在より後の日時を指定してください。")
        cleaned["deadline"] = deadline


class InquiryForm(JapaneseLabelsMixin, DeadlineFieldsMixin, forms.ModelForm):
    """The text and settings of an inquiry."""

    deadline_date = WarekiDateField(label="回答期限（日付）", required=False)
    deadline_time = forms.TimeField(
        label="回答期限（時刻）",
        required=False,
        initial=DEFAULT_DEADLINE_TIME,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="空欄の場合は17:00です。",
    )
    requester = OrganizationPickerField(
        label="照会団体",
        queryset=Organization.objects.none(),
        required=False,
        help_text="会員団体に代わって事務局が照会する場合に、団体名・フリガナ・団体コードを"
        "入力します（例：深川、ふかがわ、012289）。空欄の場合は事務局が照会団体になります。",
    )

    class Meta:
        model = Inquiry
        fields = [
            "title",
            "purpose",
            "contact",
            "requires_confirmation",
            "results_visibility",
            "hide_names",
            "reminder_business_days",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 8}),
            "contact": forms.Textarea(attrs={"rows": 3}),
            "results_visibility": forms.RadioSelect,
        }
        help_texts = {
            "purpose": "行頭に「- 」を付けると箇条書き、「**」で囲むと太字になります"
            "（例：**重要**）。URL はそのままリンクになります。",
            "contact": "部署名・担当者・電話番号・メールアドレスなど",
            "requires_confirmation": "回答の提出前に、各団体の団体管理者（所属長）の確認を必須にします。",
            "hide_names": "結果を公開するとき、事務局と照会団体以外には団体名を伏せます。",
            "reminder_business_days": "未提出の団体へ、期限のこの営業日数前に自動で督促メールを送ります。"
            "空欄にすると自動督促しません。",
        }

    def __init__(self, *args: Any, secretariat: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reminder_business_days"].widget.attrs.update({"min": 0, "max": 20})
        suggested = suggested_deadline(business_days=SUGGESTED_BUSINESS_DAYS)
        self.fields[
            "deadline_date"
        ].help_text = (
            f"例：{format_date(suggested)}（{SUGGESTED_BUSINESS_DAYS}営業日後。新規作成時の既定値）"
        )
        if self.instance.pk and self.instance.deadline:
            local = timezone.localtime(self.instance.deadline)
            self.initial.setdefault("deadline_date", local.date())
            self.initial.setdefault("deadline_time", local.time())
        else:
            self.initial.setdefault("deadline_date", suggested)
        if secretariat:
            requester = self.fields["requester"]
            requester.queryset = requester_organizations()
            requester.widget.suggest_url = reverse("inquiries:requester_candidates")
            if self.instance.pk:
                self.initial.setdefault("requester", self.instance.requester_id)
        else:
            del self.fields["requester"]

    def clean_reminder_business_days(self) -> int | None:
        value = self.cleaned_data.get("reminder_business_days")
        if value is not None and value > 20:
            raise ValidationError("自動督促は20営業日前までの範囲で指定してください。")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._deadline_clean(cleaned, required=False)
        return cleaned

    def draft(self) -> InquiryDraft:
        """Return what was typed as inquiry_create / inquiry_update take it."""
        data = self.cleaned_data
        return InquiryDraft(
            title=data.get("title", ""),
            purpose=data.get("purpose", ""),
            contact=data.get("contact", ""),
            deadline=data.get("deadline"),
            requires_confirmation=data.get("requires_confirmation", False),
            results_visibility=data.get("results_visibility", ""),
            hide_names=data.get("hide_names", False),
            reminder_business_days=data.get("reminder_business_days"),
        )


class TargetForm(JapaneseLabelsMixin, forms.Form):
    """How the targets of an inquiry are chosen."""

    mode = forms.ChoiceField(
        label="照会先の選び方",
        choices=[
            ("all", "全会員団体"),
            ("group", "グループ"),
            ("filter", "条件で絞り込む（都道府県・種別・人口）"),
            ("pick", "団体を個別に指定する"),
        ],
        widget=forms.RadioSelect,
    )
    group = forms.ModelChoiceField(
        label="グループ",
        queryset=Group.objects.filter(is_active=True),
        required=False,
        empty_label="選択してください",
    )
    prefecture_code = forms.ChoiceField(
        label="都道府県", choices=[("", "指定しない"), *PREFECTURES.items()], required=False
    )
    kinds = forms.MultipleChoiceField(
        label="団体の種別",
        choices=[
            (value, label)
            for value, label in OrganizationKind.choices
            if value not in (OrganizationKind.SECRETARIAT, OrganizationKind.NATIONAL)
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="複数選べます（例：市と町と村）。選ばない場合は種別で絞り込みません。",
    )
    population_min = forms.CharField(
        label="人口（以上）", required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    population_max = forms.CharField(
        label="人口（以下）", required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    organizations = forms.CharField(
        label="団体（1行に1団体）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="団体コード（6桁または5桁）か団体名を1行に1つ。"
        "同名の団体がある場合は「宮城県美里町」のように都道府県名を付けてください。",
    )

    def __init__(self, *args: Any, spec: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        spec = spec or {}
        if spec and not self.is_bound:
            self.initial.update(
                {
                    "mode": spec.get("mode"),
                    "group": spec.get("group_id"),
                    "prefecture_code": spec.get("prefecture_code", ""),
                    "kinds": target_kinds(spec),
                    "population_min": spec.get("population_min") or "",
                    "population_max": spec.get("population_max") or "",
                    "organizations": "\n".join(
                        f"{code or ''} {name}".strip()
                        for code, name in Organization.objects.filter(
                            pk__in=spec.get("organization_ids") or []
                        ).values_list("code", "name")
                    ),
                }
            )

    def _population(self, name: str) -> int | None:
        text = self.cleaned_data.get(name) or ""
        if not text.strip():
            return None
        try:
            value = parse_number(text)
        except ValidationError as error:
            self.add_error(name, error)
            return None
        if not isinstance(value, int) or value < 0:
            self.add_error(name, "人口は0以上の整数で入力してください。")
            return None
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        mode = cleaned.get("mode")
        spec: dict[str, Any] = {"mode": mode}
        if mode == "group":
            if cleaned.get("group") is None:
                self.add_error("group", "グループを選んでください。")
            else:
                spec["group_id"] = cleaned["group"].pk
        elif mode == "filter":
            low, high = self._population("population_min"), self._population("population_max")
            if low is not None and high is not None and low > high:
                self.add_error("population_max", "人口の上限は下限以上にしてください。")
            spec.update(
                {
                    "prefecture_code": cleaned.get("prefecture_code") or "",
                    "kinds": [
                        value
                        for value, _ in self.fields["kinds"].choices
                        if value in (cleaned.get("kinds") or [])
                    ],
                    "population_min": low,
                    "population_max": high,
                }
            )
            if not any(spec[key] not in ("", None, []) for key in list(spec)[1:]):
                self.add_error(
                    "prefecture_code",
                    "絞り込みの条件を1つ以上指定してください（全会員に照会する場合は「全会員団体」を選びます）。",
                )
        elif mode == "pick":
            lines = _lines(cleaned.get("organizations", ""))
            if not lines:
                self.add_error("organizations", "団体を1行に1つ入力してください。")
            else:
                lookup = organizations_lookup(lines)
                problems = []
                if lookup.unknown:
                    problems.append("次の団体が見つかりません：" + "、".join(lookup.unknown))
                for entry, candidates in lookup.ambiguous:
                    names = "、".join(
                        f"{PREFECTURES.get(c.prefecture_code, '')}{c.name}（{c.code or 'コードなし'}）"
                        for c in candidates
                    )
                    problems.append(
                        f"「{entry}」に当てはまる団体が複数あります（{names}）。団体コードか都道府県名付きで指定してください。"
                    )
                for problem in problems:
                    self.add_error("organizations", problem)
                spec["organization_ids"] = [organization.pk for organization in lookup.found]
        cleaned["spec"] = spec
        return cleaned


class AttachmentForm(JapaneseLabelsMixin, forms.Form):
    """A document to attach to an inquiry."""

    file = forms.FileField(
        label="資料ファイル",
        help_text="PDF・Excel（.xlsx）・Word・PowerPoint・CSV・テキスト・ZIP・PNG・JPEG、1ファイル10MBまで。"
        "マクロ付きのファイル（.xlsm など）は添付できません。",
    )

    def clean_file(self) -> UploadedFile:
        file = self.cleaned_data["file"]
        validate_upload(file)
        return file


FIELD_OF_SETTING = {
    "choices": "choices_text",
    "table_rows": "table_rows_text",
    "table_columns": "table_columns_text",
}
# The settings each kind of question uses (question_kinds); the form shows and reads only these.
SETTINGS_OF_KIND: dict[str, tuple[str, ...]] = {
    kind: kind_type.settings for kind, kind_type in KINDS.items() if kind_type.settings
}
KIND_SETTINGS = frozenset(name for names in SETTINGS_OF_KIND.values() for name in names)


class QuestionForm(JapaneseLabelsMixin, forms.Form):
    """One question: its kind, text and the settings its kind uses."""

    code = forms.CharField(
        label="設問番号",
        max_length=20,
        required=False,
        help_text="空欄の場合は Q1, Q2… と自動で付けます。年度をまたいで比べる場合は同じ番号にします。",
    )
    kind = forms.ChoiceField(label="回答の形式", choices=QuestionKind.choices)
    text = forms.CharField(label="設問文", widget=forms.Textarea(attrs={"rows": 3}))
    help_text = forms.CharField(
        label="補足説明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    required = forms.BooleanField(label="回答を必須にする", required=False, initial=True)
    choices_text = forms.CharField(
        label="選択肢（1行に1つ）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    allow_other = forms.BooleanField(
        label="「その他（自由記述）」を設ける",
        required=False,
        help_text="選択肢の最後に「その他」と記入欄を加えます。",
    )
    unit = forms.CharField(
        label="単位", max_length=20, required=False, help_text="例：人、千円、台"
    )
    table_rows_text = forms.CharField(
        label="表の行（1行に1つ）", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    table_columns_text = forms.CharField(
        label="表の列（1行に1つ）", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    table_numeric = forms.BooleanField(
        label="表の値は数値",
        required=False,
        initial=True,
        help_text="チェックを外すと、各欄に文字も入力できます。",
    )
    condition_question = forms.ModelChoiceField(
        label="表示条件：この設問の回答が",
        queryset=Question.objects.none(),
        required=False,
        empty_label="（条件なし：常に表示）",
    )
    condition_value = forms.CharField(
        label="表示条件：次の値のとき表示",
        max_length=200,
        required=False,
        help_text="選んだ設問の選択肢のいずれか（はい／いいえの設問なら「はい」か「いいえ」）。",
    )

    def __init__(
        self,
        *args: Any,
        inquiry: Inquiry,
        question: Question | None = None,
        **kwargs: Any,
    ) -> None:
        self.inquiry = inquiry
        self.question = question
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": question.code,
                "kind": question.kind,
                "text": question.text,
                "help_text": question.help_text,
                "required": question.required,
                "choices_text": "\n".join(question.choices),
                "allow_other": question.allow_other,
                "unit": question.unit,
                "table_rows_text": "\n".join(question.table_rows),
                "table_columns_text": "\n".join(question.table_columns),
                "table_numeric": question.table_numeric,
                "condition_question": question.condition_question_id,
                "condition_value": question.condition_value,
            }
        super().__init__(*args, **kwargs)
        self.kind = self._chosen_kind()
        for name in KIND_SETTINGS - set(SETTINGS_OF_KIND.get(self.kind, ())):
            del self.fields[name]
        controllers = inquiry.questions.filter(kind__in=CONDITION_KINDS)
        if question is not None:
            controllers = controllers.filter(position__lt=question.position)
        self.fields["condition_question"].queryset = controllers.order_by("position")
        self.fields["condition_question"].label_from_instance = lambda q: f"{q.code} {q.text[:40]}"

    def _chosen_kind(self) -> str:
        """Return the kind whose settings to show: as posted, as stored, or the first."""
        kind = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        return kind if kind in QuestionKind.values else QuestionKind.SINGLE

    def redrawn(self) -> "QuestionForm":
        """Return the form again, unbound, with what was typed: the kind changed, no errors."""
        return QuestionForm(
            # A setting of the new kind was not on the page; it starts from its default.
            initial={
                bound.name: bound.data
                for bound in self
                if bound.name not in KIND_SETTINGS or bound.name in self.data
            },
            inquiry=self.inquiry,
            question=self.question,
        )

    @property
    def kind_value(self) -> str:
        """Return the chosen kind's value, whose settings the form shows."""
        return str(self.kind)

    @property
    def kind_label(self) -> str:
        """Return the chosen kind as shown: 単一選択, 数値…"""
        return QuestionKind(self.kind).label

    def kind_settings(self) -> list[forms.BoundField]:
        """Return the settings of the chosen kind, for the template."""
        return [self[name] for name in SETTINGS_OF_KIND.get(self.kind, ())]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            question_validate(
                inquiry=self.inquiry,
                draft=self.draft(),
                question=self.question
                or Question(inquiry=self.inquiry, position=self._next_position()),
            )
        except InquiryError as error:
            service_error_add(self, error, aliases=FIELD_OF_SETTING)
        return cleaned

    def _next_position(self) -> int:
        last = self.inquiry.questions.order_by("-position").first()
        return (last.position if last else 0) + 1

    def draft(self) -> QuestionDraft:
        """Return the question as the services take it."""
        data = self.cleaned_data
        return QuestionDraft(
            kind=data.get("kind") or "",
            text=data.get("text", ""),
            code=data.get("code", ""),
            help_text=data.get("help_text", ""),
            required=data.get("required", False),
            choices=_lines(data.get("choices_text", "")),
            allow_other=data.get("allow_other", False),
            unit=data.get("unit", ""),
            table_rows=_lines(data.get("table_rows_text", "")),
            table_columns=_lines(data.get("table_columns_text", "")),
            table_numeric=data.get("table_numeric", False),
            condition_question=data.get("condition_question"),
            condition_value=(data.get("condition_value") or "").strip(),
        )


class ReviewForm(JapaneseLabelsMixin, forms.Form):
    """The secretariat's decision on a 調査依頼."""

    decision = forms.ChoiceField(
        label="審査結果",
        choices=[("approve", "承認して照会先へ送信する"), ("reject", "差し戻す")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="コメント",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="差し戻す場合は理由を必ず書いてください。照会団体に伝わります。",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("note") or "").strip():
            self.add_error("note", "差し戻す場合は理由を入力してください。")
        return cleaned


class DeadlineForm(JapaneseLabelsMixin, DeadlineFieldsMixin, forms.Form):
    """A new, later deadline."""

    deadline_date = WarekiDateField(label="新しい回答期限（日付）")
    deadline_time = forms.TimeField(
        label="新しい回答期限（時刻）",
        required=False,
        initial=DEFAULT_DEADLINE_TIME,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="空欄の場合は17:00です。",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._deadline_clean(cleaned, required=True)
        return cleaned


class ProgressFilterForm(forms.Form):
    """The filters of the progress page, read from the address (GET)."""

    status = forms.ChoiceField(
        label="状況", required=False, choices=[("", "すべて"), *PROGRESS_STATUSES], widget=Select
    )
    prefecture = forms.ChoiceField(
        label="都道府県",
        required=False,
        choices=[("", "すべて"), *PREFECTURES.items()],
        widget=Select,
    )
    kind = forms.ChoiceField(
        label="種別",
        required=False,
        choices=[("", "すべて"), *OrganizationKind.choices],
        widget=Select,
    )
    q = forms.CharField(
        label="団体名・コード", required=False, max_length=100, widget=forms.SearchInput
    )

    def filters(self) -> dict[str, str]:
        """Return the valid filters as progress_targets takes them (unknown values ignored)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "status": data.get("status", ""),
            "prefecture_code": data.get("prefecture", ""),
            "kind": data.get("kind", ""),
            "query": data.get("q", ""),
        }


REMIND_ALL = "all"
REMIND_SELECTED = "selected"


class RemindForm(JapaneseLabelsMixin, forms.Form):
    """Whom to remind: every non-submitting organization, or those chosen on the page."""

    scope = forms.ChoiceField(
        choices=[(REMIND_ALL, "未提出の団体すべて"), (REMIND_SELECTED, "選んだ団体")],
        widget=forms.HiddenInput,
    )
    organizations = forms.ModelMultipleChoiceField(
        label="督促する団体",
        required=False,
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="未提出の団体の通知先（連絡窓口と共有メールアドレス）に、回答用リンクを付けてメールを送ります。",
    )
    # Only the confirmation page sends it: without it the view shows that page and sends nothing.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organization_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = Organization.objects.filter(
            pk__in=organization_ids
        ).order_by("code", "name")
        self.fields["organizations"].error_messages["invalid_choice"] = (
            "提出済みの団体、または照会先でない団体が含まれています。画面を開き直してください。"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("scope") == REMIND_SELECTED and not data.get("organizations"):
            raise ValidationError("督促する団体を1つ以上選んでください。")
        return data


# --- the answer form ------------------------------------------------------------------------

SAVE = "save"
REQUEST_CONFIRMATION = "request_confirmation"
SUBMIT = "submit"
INTENTS = (SAVE, REQUEST_CONFIRMATION, SUBMIT)


class QuestionSpec(NamedTuple):
    """Everything the form fields of a question are built from; hashable, so they can be kept."""

    pk: int
    kind: str
    code: str
    text: str
    help_text: str
    required: bool
    options: tuple[str, ...]
    allow_other: bool
    unit: str
    table_rows: tuple[str, ...]
    table_columns: tuple[str, ...]
    table_numeric: bool
    condition_code: str | None
    condition_value: str

    @classmethod
    def of(cls, question: Question) -> "QuestionSpec":
        controller = question.condition_question if question.condition_question_id else None
        return cls(
            pk=question.pk,
            kind=question.kind,
            code=question.code,
            text=question.text,
            help_text=question.help_text,
            required=question.required,
            options=tuple(question.options),
            allow_other=question.allow_other,
            unit=question.unit,
            table_rows=tuple(question.table_rows),
            table_columns=tuple(question.table_columns),
            table_numeric=question.table_numeric,
            condition_code=controller.code if controller is not None else None,
            condition_value=question.condition_value,
        )


question_field_name = field_name


def _question_label(spec: QuestionSpec) -> str:
    label = f"{spec.code}　{spec.text}" + KINDS[spec.kind].label_suffix(spec)
    if spec.required:
        label += "（必須）"
    return label


def _question_help(spec: QuestionSpec) -> str:
    parts = [spec.help_text] if spec.help_text else []
    if spec.condition_code is not None:
        parts.append(
            f"{spec.condition_code}で「{spec.condition_value}」と回答した場合のみ回答してください。"
        )
    return " ".join(parts)


def _question_fields_build(spec: QuestionSpec) -> tuple[tuple[str, forms.Field], ...]:
    """Build the form fields of one question: one field, a table of them, or one plus その他."""
    common = {"label": _question_label(spec), "help_text": _question_help(spec), "required": False}
    other = None
    if spec.allow_other:
        other = forms.CharField(
            label=f"{spec.code} 「{OTHER_CHOICE}」の内容",
            required=False,
            max_length=OTHER_TEXT_MAX_LENGTH,
        )
    return KINDS[spec.kind].form_fields(spec, common, other)


@functools.lru_cache(maxsize=32)
def _fields_built(
    specs: tuple[QuestionSpec, ...],
) -> tuple[tuple[tuple[str, forms.Field], ...], ...]:
    # Keyed by everything the fields are built from, so a changed question never meets stale
    # fields. Shared between forms: each form deep-copies them, as Django does its own.
    return tuple(_question_fields_build(spec) for spec in specs)


def question_fields(questions: list[Question]) -> tuple[tuple[tuple[str, forms.Field], ...], ...]:
    """Return, for each question, its (name, field) pairs; shared, so deep-copy before use.

    The fields of the last few question sets are kept as prototypes: copying one with
    copy.deepcopy (the copy Django makes of a form's declared fields) is faster than
    building it again, and gives every form fields and widgets of its own.
    """
    return _fields_built(tuple(QuestionSpec.of(question) for question in questions))


class AnswerForm(JapaneseLabelsMixin, forms.Form):
    """An organization's answer: one field (or a table of fields) per question.

    Drafts may be incomplete; required questions are checked only when the answer is sent
    on (submitted or passed to the representative). Questions hidden by their condition
    are neither checked nor kept.
    """

    use_required_attribute = False

    revision = forms.IntegerField(widget=forms.HiddenInput)
    intent = forms.ChoiceField(
        choices=[(value, value) for value in INTENTS], required=False, widget=forms.HiddenInput
    )
    kind = forms.ChoiceField(
        label="回答区分",
        choices=AnswerKind.choices,
        widget=forms.RadioSelect,
        initial=AnswerKind.ANSWERED,
        help_text="該当しない場合や回答できない場合も、その旨を回答として提出してください。",
    )
    reason = forms.CharField(
        label="回答辞退の理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="「回答辞退」を選んだ場合に入力してください。",
    )

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        answer: Answer,
        **kwargs: Any,
    ) -> None:
        self.questions = questions
        self.answer = answer
        if not args and "data" not in kwargs:
            # A bound form shows what was posted; the stored answer only fills an unbound one.
            kwargs.setdefault("initial", {})
            kwargs["initial"].update(self._initial_from(answer))
        super().__init__(*args, **kwargs)
        for question, fields in zip(questions, question_fields(questions), strict=True):
            for name, field in fields:
                self.fields[name] = copy.deepcopy(field)
            if kind_of(question).upload:
                self._file_removal_add(question)

    # Initial values from the stored answer.

    def _initial_from(self, answer: Answer) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "revision": answer.revision,
            "kind": answer.kind,
            "reason": answer.reason,
        }
        data = answer.data or {}
        for question in self.questions:
            name = question_field_name(question)
            initial.update(kind_of(question).initial(question, data.get(str(question.pk))))
            if question.allow_other:
                initial[f"{name}_other"] = data.get(f"{question.pk}_other", "")
        return initial

    def _file_removal_add(self, question: Question) -> None:
        """Offer to remove the files this organization attached to a file question."""
        existing = (self.answer.data or {}).get(str(question.pk)) or []
        if existing:
            self.fields[f"{question_field_name(question)}_remove"] = forms.MultipleChoiceField(
                label=f"{question.code} 添付済みファイルの削除",
                choices=[(str(item["id"]), item["name"]) for item in existing],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text="削除するファイルにチェックを入れて保存します。",
            )

    # Reading the answer back.

    def table_rows(self, question: Question) -> list[tuple[str, list[forms.BoundField]]]:
        """Return the bound cell fields of a table question, row by row, for the template."""
        return [
            (
                row,
                [self[cell_field_name(question, r, c)] for c in range(len(question.table_columns))],
            )
            for r, row in enumerate(question.table_rows)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        data: dict[str, Any] = {}
        uploads: dict[int, UploadedFile] = {}
        removals: list[int] = []
        for question in self.questions:
            name = question_field_name(question)
            kind = kind_of(question)
            if kind.upload:
                upload = cleaned.get(name)
                if upload:
                    try:
                        validate_upload(upload)
                        uploads[question.pk] = upload
                    except ValidationError as error:
                        self.add_error(name, error)
                removals += [int(pk) for pk in cleaned.get(f"{name}_remove") or []]
                continue
            value = kind.form_value(question, self.cleaned_data, self.add_error)
            if value is not None:
                data[str(question.pk)] = value
            other = (cleaned.get(f"{name}_other") or "").strip()
            if question.allow_other and other:
                data[f"{question.pk}_other"] = other
        cleaned["data"] = data
        cleaned["uploads"] = uploads
        cleaned["remove_file_ids"] = removals
        hidden = hidden_question_ids(self.questions, data)
        for question in self.questions:
            # A choice other than 「その他」 makes a typed その他 text meaningless.
            value = data.get(str(question.pk))
            chosen = value if isinstance(value, list) else [value]
            if f"{question.pk}_other" in data and OTHER_CHOICE not in chosen:
                self.add_error(
                    f"{question_field_name(question)}_other",
                    f"「{OTHER_CHOICE}」を選んだ場合に入力してください。",
                )
        kind = cleaned.get("kind")
        if kind == AnswerKind.DECLINED and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "回答を辞退する理由を入力してください。")
        if cleaned.get("intent") in (SUBMIT, REQUEST_CONFIRMATION) and kind == AnswerKind.ANSWERED:
            self._required_check(data, uploads, removals, hidden)
        return cleaned

    def _required_check(
        self,
        data: dict[str, Any],
        uploads: dict[int, UploadedFile],
        removals: list[int],
        hidden: set[int],
    ) -> None:
        """Mark each required, shown question without an answer."""
        complete = dict(data)
        stored = self.answer.data or {}
        for question in self.questions:
            if not kind_of(question).upload:
                continue
            kept = [i for i in stored.get(str(question.pk)) or [] if i.get("id") not in removals]
            if kept or question.pk in uploads:
                complete[str(question.pk)] = kept or [{"id": 0, "name": "new"}]
        for question in missing_required(self.questions, complete):
            value = complete.get(str(question.pk))
            if OTHER_CHOICE in (value if isinstance(value, list) else [value]):
                field_name = f"{question_field_name(question)}_other"
                message = f"{question.code}：「{OTHER_CHOICE}」の内容を入力してください。"
            else:
                field_name, message = kind_of(question).missing(question, value)
            if field_name in self.fields and field_name not in self.errors:
                self.add_error(field_name, message)


class ConfirmForm(JapaneseLabelsMixin, forms.Form):
    """The representative's confirmation of the answer as shown (所属長確認)."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[("confirm", "確認する"), ("confirm_submit", "確認して提出する")],
        widget=forms.HiddenInput,
    )


class AnswerLinkStartForm(JapaneseLabelsMixin, forms.Form):
    """Who is answering through an organization's answer link; kept in the audit log."""

    respondent = forms.CharField(
        label="お名前",
        max_length=100,
        help_text="回答する方のお名前（例：情報政策課 当別 太郎）。記録に残ります。",
        error_messages={"required": "お名前を入力してください。"},
    )

    def clean_respondent(self) -> str:
        """Refuse a name made only of spaces."""
        value = " ".join(self.cleaned_data["respondent"].split())
        if not value:
            raise forms.ValidationError("お名前を入力してください。")
        return value
