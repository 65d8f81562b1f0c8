"""Forms of the progress page: filtering organizations and choosing whom to remind."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from renkei.core.forms import Select
from renkei.directory.models import Organization, OrganizationKind
from renkei.directory.prefectures import PREFECTURES
from renkei.inquiries.forms.common import JapaneseLabelsMixin
from renkei.inquiries.selectors.progress import PROGRESS_STATUSES


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
