"""The question form: a question's kind, text and the settings its kind uses."""

from typing import Any

from django import forms

from renkei.core.forms import service_error_add
from renkei.core.question_kinds import KINDS
from renkei.inquiries.forms.common import JapaneseLabelsMixin, lines_of
from renkei.inquiries.models import (
    Inquiry,
    Question,
    QuestionKind,
)
from renkei.inquiries.services.errors import InquiryError
from renkei.inquiries.services.questions import CONDITION_KINDS, QuestionDraft, question_validate

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
            choices=lines_of(data.get("choices_text", "")),
            allow_other=data.get("allow_other", False),
            unit=data.get("unit", ""),
            table_rows=lines_of(data.get("table_rows_text", "")),
            table_columns=lines_of(data.get("table_columns_text", "")),
            table_numeric=data.get("table_numeric", False),
            condition_question=data.get("condition_question"),
            condition_value=(data.get("condition_value") or "").strip(),
        )
