"""Forms of the e-conference room; every rule is checked again on the server."""

from django import forms
from django.core.exceptions import ValidationError

from renkei.core.files import validate_upload
from renkei.directory.models import Group
from renkei.forum.models import Board, DeliveryMode
from renkei.forum.services import BODY_MAX_LENGTH

MAX_FILES = 5
BODY_HELP = (
    "見出し・箇条書き・リンクなどの書式が使えます（「> 」で始まる行は引用になります）。"
    "HTML のタグは表示されません。"
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to MAX_FILES files, each checked for size, type and content."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise ValidationError(f"添付ファイルは{MAX_FILES}個までにしてください。")
        for file in files:
            validate_upload(file)
        return list(files)


class PostForm(forms.Form):
    body = forms.CharField(
        label="本文",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=BODY_MAX_LENGTH,
        help_text=BODY_HELP,
    )
    files = AttachmentsField(
        label="添付ファイル",
        required=False,
        help_text="PDF・Excel・Word・PowerPoint・CSV・テキスト・ZIP・画像。1ファイル10MB、5個まで。",
    )


class ThreadForm(PostForm):
    title = forms.CharField(label="題名", max_length=200)

    field_order = ["title", "body", "files"]


class EditForm(forms.Form):
    body = forms.CharField(
        label="本文",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=BODY_MAX_LENGTH,
        help_text="編集前の本文は編集履歴に残り、閲覧者も確認できます。",
    )


class SearchForm(forms.Form):
    q = forms.CharField(label="キーワード", required=False, max_length=100)
    board = forms.ModelChoiceField(
        label="会議室", queryset=Board.objects.none(), required=False, empty_label="すべての会議室"
    )

    def __init__(self, *args, boards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards if boards is not None else Board.objects.none()


class ThreadFilterForm(forms.Form):
    q = forms.CharField(label="題名で絞り込む", required=False, max_length=100)
    unread = forms.BooleanField(label="未読のあるスレッドだけ", required=False)


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label="フォロー中の新しい投稿のメール",
        choices=DeliveryMode.choices,
        widget=forms.RadioSelect,
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="報告の理由",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="事務局にだけ届きます。投稿者には知らされません。",
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label="非表示にする理由",
        max_length=200,
        help_text="投稿の代わりに表示されます。",
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(label="対応", max_length=200, required=False)


class MoveForm(forms.Form):
    board = forms.ModelChoiceField(
        label="移動先の会議室", queryset=Board.objects.none(), empty_label="選択してください"
    )

    def __init__(self, *args, current: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = Board.objects.exclude(pk=current.pk).order_by(
            "position", "id"
        )


class BoardForm(forms.ModelForm):
    group = forms.ModelChoiceField(
        label="参加できるグループ",
        queryset=Group.objects.filter(is_active=True),
        required=False,
        empty_label="全会員に公開",
        help_text="グループを選ぶと、その構成員と事務局だけが読み書きできる非公開の会議室になります。",
    )

    class Meta:
        model = Board
        fields = ["name", "description", "group", "position", "is_active"]
