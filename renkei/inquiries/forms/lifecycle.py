"""Forms of the lifecycle: the secretariat's review and a new deadline."""

from typing import Any

from django import forms

from renkei.core.forms import WarekiDateField
from renkei.inquiries.forms.common import (
    DeadlineFieldsMixin,
    JapaneseLabelsMixin,
    deadline_time_field,
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
    deadline_time = deadline_time_field(label="新しい回答期限（時刻）")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._deadline_clean(cleaned, required=True)
        return cleaned
