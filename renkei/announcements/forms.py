"""Forms of the お知らせ pages; every rule is checked here on the server."""

import csv
import datetime as dt
import io
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from renkei.announcements.models import (
    AnnouncementKind,
    AnnouncementStatus,
    AudienceKind,
    ExternalContact,
)
from renkei.core.files import validate_upload
from renkei.core.fiscal_year import fiscal_year_label, fiscal_year_of
from renkei.core.forms import Select, WarekiDateField, date_input_hint
from renkei.directory.models import LISTED_KINDS, Group, OrganizationKind
from renkei.directory.prefectures import PREFECTURES

MAX_FILES = 5
MAX_IMPORT_ROWS = 5000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked for size and type."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in files]
        if len(cleaned) > MAX_FILES:
            raise ValidationError(f"添付ファイルは一度に{MAX_FILES}件までにしてください。")
        for upload in cleaned:
            validate_upload(upload)
        return cleaned


class AnnouncementForm(forms.Form):
    """Title, body, kind, audience and attachments of an お知らせ."""

    title = forms.CharField(label="件名", max_length=200)
    body = forms.CharField(
        label="本文",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="空行で段落を分けます。行頭の「- 」で箇条書き、「### 」で見出しになります。",
    )
    kind = forms.ChoiceField(
        label="種類",
        choices=AnnouncementKind.choices,
        widget=forms.RadioSelect,
        initial=AnnouncementKind.NOTICE,
        help_text="メールマガジンは受け取った方が配信を停止できます。"
        "必ず届けるお知らせは、配信停止した方にも届きます。",
    )
    audience = forms.ChoiceField(
        label="対象",
        choices=AudienceKind.choices,
        widget=forms.RadioSelect,
        initial=AudienceKind.ALL_MEMBERS,
    )
    group = forms.ModelChoiceField(
        label="対象グループ（対象が「グループ」のとき）",
        queryset=Group.objects.filter(is_active=True),
        required=False,
        empty_label="選択してください",
    )
    kinds = forms.MultipleChoiceField(
        label="団体の種別（対象が「団体の種別」のとき）",
        choices=[(k.value, k.label) for k in OrganizationKind if k in LISTED_KINDS]
        + [
            (OrganizationKind.ASSOCIATION.value, OrganizationKind.ASSOCIATION.label),
            (OrganizationKind.UNION.value, OrganizationKind.UNION.label),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    prefectures = forms.MultipleChoiceField(
        label="都道府県（対象が「都道府県」のとき）",
        choices=list(PREFECTURES.items()),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        required=False,
        help_text="Ctrl キー（Mac は command キー）を押しながら選ぶと、複数選べます。",
    )
    include_external = forms.BooleanField(
        label="会員外の送付先にもメールを送る",
        required=False,
        help_text="事務局が登録した会員外の送付先（加入を呼びかける市町村など）にも送ります。",
    )
    send_mail = forms.BooleanField(
        label="公開と同時にメールでも配信する", required=False, initial=True
    )
    files = MultipleFileField(
        label="添付ファイル",
        required=False,
        help_text="PDF、Excel、Word、PowerPoint、CSV、テキスト、ZIP、画像（1ファイル10MBまで、"
        f"一度に{MAX_FILES}件まで）。",
    )

    def __init__(self, *args: Any, attachments: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if attachments:
            self.fields["remove_attachments"] = forms.ModelMultipleChoiceField(
                label="削除する添付ファイル",
                queryset=attachments,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        audience = cleaned.get("audience")
        if audience == AudienceKind.GROUP and not cleaned.get("group"):
            self.add_error("group", "対象のグループを選んでください。")
        if audience == AudienceKind.ORGANIZATION_KIND and not cleaned.get("kinds"):
            self.add_error("kinds", "対象の団体の種別を1つ以上選んでください。")
        if audience == AudienceKind.PREFECTURE and not cleaned.get("prefectures"):
            self.add_error("prefectures", "対象の都道府県を1つ以上選んでください。")
        if audience == AudienceKind.EXTERNAL_ONLY and not cleaned.get("send_mail"):
            self.add_error(
                "send_mail",
                "会員外の送付先だけが対象のお知らせは、メールで配信しないと誰にも届きません。",
            )
        return cleaned


class ScheduleForm(forms.Form):
    """When a scheduled お知らせ is published (and delivered)."""

    day = WarekiDateField(label="公開日")
    time = forms.TimeField(
        label="公開時刻",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        initial=dt.time(9, 0),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["day"].help_text = date_input_hint(days_ahead=1)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        day, time = cleaned.get("day"), cleaned.get("time")
        if day and time:
            at = timezone.make_aware(dt.datetime.combine(day, time))
            if at <= timezone.now():
                self.add_error("day", "公開予定日時には、これから先の日時を指定してください。")
            cleaned["at"] = at
        return cleaned


class ExternalContactForm(forms.ModelForm):
    """One non-member address, typed in."""

    class Meta:
        model = ExternalContact
        fields = ["organization_name", "name", "email", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if ExternalContact.objects.filter(email__iexact=email).exists():
            raise ValidationError("このメールアドレスはすでに登録されています。")
        return email


class ExternalImportForm(forms.Form):
    """Non-member addresses pasted or uploaded as CSV: 団体名,氏名,メールアドレス."""

    text = forms.CharField(
        label="貼り付け（1行に「団体名,氏名,メールアドレス」）",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    file = forms.FileField(
        label="または CSV ファイル（UTF-8 または Shift_JIS）",
        required=False,
        help_text="1行目が見出し（団体名,氏名,メールアドレス）でも構いません。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        text = cleaned.get("text") or ""
        upload = cleaned.get("file")
        if upload:
            if upload.size > 2 * 1024 * 1024:
                raise ValidationError("CSV ファイルは2MBまでにしてください。")
            raw = upload.read()
            for encoding in ("utf-8-sig", "cp932"):
                try:
                    text = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise ValidationError(
                    "CSV ファイルの文字コードを読み取れません。UTF-8 か Shift_JIS で保存してください。"
                )
        if not text.strip():
            raise ValidationError("送付先を貼り付けるか、CSV ファイルを選んでください。")
        rows, errors = [], []
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            cells = [cell.strip() for cell in row]
            if not any(cells):
                continue
            if number == 1 and "メール" in "".join(cells):
                continue  # the heading
            if len(cells) != 3:
                errors.append(
                    f"{number}行目：「団体名,氏名,メールアドレス」の3項目にしてください。"
                )
                continue
            try:
                validate_email(cells[2])
            except ValidationError:
                errors.append(
                    f"{number}行目：「{cells[2]}」はメールアドレスとして正しくありません。"
                )
                continue
            rows.append((cells[0][:100], cells[1][:100], cells[2]))
        if len(rows) > MAX_IMPORT_ROWS:
            errors.append(f"一度に取り込めるのは{MAX_IMPORT_ROWS:,}件までです。")
        if errors:
            # All or nothing: one bad row stops the whole import, named so it can be fixed.
            raise ValidationError(errors[:20])
        cleaned["rows"] = rows
        return cleaned


# --- the filters above the lists (GET) ---------------------------------------------------


class AnnouncementFilterForm(forms.Form):
    """The words and fiscal year the members' お知らせ list is narrowed by."""

    q = forms.CharField(label="キーワード", required=False)
    fy = forms.TypedChoiceField(
        label="年度", coerce=int, required=False, empty_value=None, widget=Select
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = fiscal_year_of(timezone.localdate())
        self.fields["fy"].choices = [("", "すべて")] + [
            (str(year), fiscal_year_label(year)) for year in range(this_year, this_year - 5, -1)
        ]


class ManagedFilterForm(forms.Form):
    """The words and status the secretariat's お知らせ list is narrowed by."""

    q = forms.CharField(label="キーワード", required=False)
    status = forms.ChoiceField(
        label="状態",
        required=False,
        choices=[("", "すべて"), *AnnouncementStatus.choices],
        widget=Select,
    )


class DeliveryFilterForm(forms.Form):
    """The address or name and status a delivery's recipients are narrowed by."""

    q = forms.CharField(label="宛先（アドレス・宛名）", required=False)
    status = forms.ChoiceField(label="状態", required=False, widget=Select)

    def __init__(self, *args: Any, statuses: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "すべて"), *statuses]


class ExternalFilterForm(forms.Form):
    """The words the non-member addresses (会員外の送付先) are searched by."""

    q = forms.CharField(label="団体名・アドレス", required=False)
