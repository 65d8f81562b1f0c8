"""The filters above the inquiry list and the compilation pages, read from the address (GET)."""

from typing import Any

from django import forms

from renkei.core.forms import Select
from renkei.inquiries.models import Inquiry, InquiryStatus


class InquiryFilterForm(forms.Form):
    """The status and words the secretariat's すべての照会 tab is narrowed by."""

    # The tab the filters belong to, sent again with them.
    tab = forms.CharField(required=False, initial="all", widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label="状態",
        required=False,
        choices=[("", "すべて"), *InquiryStatus.choices],
        widget=Select,
    )
    q = forms.CharField(label="件名・照会団体", required=False, widget=forms.SearchInput)


class MatrixFilterForm(forms.Form):
    """The prefecture and kind the answer matrix is narrowed by: those among its submitters."""

    prefecture = forms.ChoiceField(
        label="都道府県",
        required=False,
        widget=Select,
        error_messages={"invalid_choice": "指定された都道府県の回答はありません。"},
    )
    kind = forms.ChoiceField(
        label="種別",
        required=False,
        widget=Select,
        error_messages={"invalid_choice": "指定された種別の回答はありません。"},
    )

    def __init__(
        self,
        *args: Any,
        prefectures: list[tuple[str, str]],
        kinds: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [("", "すべて"), *prefectures]
        self.fields["kind"].choices = [("", "すべて"), *kinds]


class CompareForm(forms.Form):
    """The inquiry whose results are compared with this one's.

    A number, not a choice of the listed candidates: an older inquiry the user may see can
    still be compared through its link, and one the user may not see is refused by the view.
    """

    other = forms.IntegerField(label="比較する照会", required=False, widget=Select)

    def __init__(self, *args: Any, candidates: list[Inquiry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].widget.choices = [("", "選んでください")] + [
            (str(candidate.pk), f"{candidate.title}（照会{candidate.pk}）")
            for candidate in candidates
        ]
