"""The answer form, built from the question-kind registry, and the steps around it."""

import copy
import functools
from typing import Any, NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from renkei.core.files import validate_upload
from renkei.core.question_kinds import (
    KINDS,
    cell_field_name,
    field_name,
    hidden_question_ids,
    kind_of,
)
from renkei.core.question_kinds.values import OTHER_TEXT_MAX_LENGTH
from renkei.inquiries.forms.common import JapaneseLabelsMixin
from renkei.inquiries.models import (
    OTHER_CHOICE,
    Answer,
    AnswerKind,
    Question,
)
from renkei.inquiries.selectors.questions import missing_required

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
