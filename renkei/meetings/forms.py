"""Forms of the meeting pages; the rules themselves live in services.py."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from renkei.core.fiscal_year import fiscal_year_of, format_fiscal_year
from renkei.core.forms import Select, WarekiDateField
from renkei.directory.models import Group, Organization, Person
from renkei.meetings.models import (
    InviteeCapacity,
    MaterialSeries,
    MeetingKind,
    MeetingScope,
    Publication,
    Reply,
)
from renkei.meetings.selectors import inquiry_exists
from renkei.meetings.services import MEETING_FIELDS


def _host_field() -> forms.ModelChoiceField:
    """Return the 主催 choice: an active group, or the council as a whole when left empty."""
    return forms.ModelChoiceField(
        label="主催",
        queryset=Group.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label="本会（協議会全体）",
    )


class MeetingForm(forms.Form):
    title = forms.CharField(label="会議名", max_length=200)
    kind = forms.ChoiceField(label="種類", choices=MeetingKind.choices)
    group = _host_field()
    date = WarekiDateField(label="開催日")
    start_time = forms.TimeField(label="開始時刻", widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(
        label="終了時刻", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    venue = forms.CharField(label="場所", max_length=200, required=False)
    online_url = forms.URLField(label="オンライン参加用URL", required=False, assume_scheme="https")
    scope = forms.ChoiceField(label="閲覧範囲", choices=MeetingScope.choices)
    notes = forms.CharField(
        label="連絡事項", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start:
            zone = timezone.get_current_timezone()
            data["starts_at"] = dt.datetime.combine(day, start, tzinfo=zone)
            data["ends_at"] = dt.datetime.combine(day, end, tzinfo=zone) if end else None
            if end and end <= start:
                self.add_error("end_time", "終了時刻は開始時刻より後にしてください。")
        return data

    def meeting_fields(self) -> dict:
        return {key: self.cleaned_data[key] for key in MEETING_FIELDS}


class InviteesForm(forms.Form):
    organizations = forms.CharField(
        label="招集する団体（団体コードまたは団体名を1行に1つ）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    people = forms.CharField(
        label="招集する人（ユーザーIDまたはメールアドレスを1行に1つ）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    group = forms.ModelChoiceField(
        label="招集するグループ",
        queryset=Group.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label="（選ばない）",
    )
    capacity = forms.ChoiceField(label="区分", choices=InviteeCapacity.choices)
    category = forms.CharField(
        label="出席者の呼び方（出席者欄の「役員」「情報交換会議出席者」など）",
        max_length=50,
        required=False,
    )

    def clean_organizations(self) -> list[Organization]:
        lines = [line.strip() for line in self.cleaned_data["organizations"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > 2000:
            raise ValidationError("一度に招集できる団体は2,000団体までです。")
        found = {
            key: org
            for org in Organization.objects.filter(code__in=lines)
            | Organization.objects.filter(name__in=lines)
            for key in (org.code, org.name)
        }
        unknown = [line for line in lines if line not in found]
        if unknown:
            raise ValidationError("見つからない団体があります：" + "、".join(unknown[:10]))
        return list({found[line].pk: found[line] for line in lines}.values())

    def clean_people(self) -> list[Person]:
        lines = [line.strip() for line in self.cleaned_data["people"].splitlines() if line.strip()]
        if len(lines) > 500:
            raise ValidationError("一度に招集できる人は500人までです。")
        people = Person.objects.filter(
            Q(user__username__in=lines) | Q(email__in=lines), organization__isnull=False
        ).select_related("user")
        found: dict[str, Person] = {}
        for person in people:
            for key in (person.email, person.user.username if person.user else None):
                if key:
                    found.setdefault(key, person)
        unknown = [line for line in lines if line not in found]
        if unknown:
            raise ValidationError("見つからない人がいます：" + "、".join(unknown[:10]))
        return list({found[line].pk: found[line] for line in lines}.values())

    def clean(self):
        data = super().clean()
        if not self.errors and not (
            data.get("organizations") or data.get("people") or data.get("group")
        ):
            raise ValidationError("招集する団体、人またはグループを指定してください。")
        return data


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(label="出欠", choices=Reply.choices, widget=forms.RadioSelect)
    deputy_name = forms.CharField(label="代理出席者の氏名", max_length=100, required=False)


class AgendaItemForm(forms.Form):
    title = forms.CharField(label="議題", max_length=300)
    presenter = forms.CharField(label="説明者（団体名または役職）", max_length=100, required=False)
    inquiry_id = forms.IntegerField(
        label="関連する照会の番号（照会の画面のURLの数字）", required=False, min_value=1
    )

    def clean_inquiry_id(self) -> int | None:
        inquiry_id = self.cleaned_data["inquiry_id"]
        if inquiry_id is not None and not inquiry_exists(inquiry_id):
            raise ValidationError(f"番号{inquiry_id}の照会はありません。")
        return inquiry_id


class MaterialForm(forms.Form):
    series = forms.ChoiceField(label="区分", choices=MaterialSeries.choices)
    title = forms.CharField(label="資料名", max_length=200)
    agenda_item = forms.TypedChoiceField(label="議題", coerce=int, required=False, empty_value=None)
    file = forms.FileField(label="ファイル（PDF、Excel、Word、PowerPoint など。10MBまで）")

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = [("", "（議題を選ばない）")] + [
            (item.pk, f"{item.position}. {item.title}") for item in items
        ]


class RequirementForm(forms.Form):
    fiscal_year = forms.IntegerField(label="年度（西暦）", min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label="会議の種類", choices=MeetingKind.choices)
    group = _host_field()
    required_count = forms.IntegerField(label="必要な開催回数", min_value=1, max_value=99)
    basis = forms.CharField(label="根拠（規約・細則など）", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"fiscal_year": fiscal_year_of(timezone.localdate())})
        super().__init__(*args, **kwargs)


class MinutesTextForm(forms.Form):
    text = forms.CharField(
        label="会議録の本文（既存の会議録を貼り付けることもできます）",
        widget=forms.Textarea(attrs={"rows": 30, "class": "minutes-text"}),
        max_length=400_000,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="訂正の理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    text = forms.CharField(label="意見", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class PublishForm(forms.Form):
    publication = forms.ChoiceField(
        label="公開の範囲", choices=Publication.choices, widget=forms.RadioSelect
    )


class ResolutionFilterForm(forms.Form):
    """The fiscal year and body the resolutions (決定事項一覧) are narrowed by."""

    fy = forms.TypedChoiceField(
        label="年度", coerce=int, required=False, empty_value=None, widget=Select
    )
    body = forms.TypedChoiceField(
        label="主催", coerce=int, required=False, empty_value=None, widget=Select
    )

    def __init__(self, *args, bodies: list[Group], **kwargs):
        super().__init__(*args, **kwargs)
        this_year = fiscal_year_of(timezone.localdate())
        self.fields["fy"].choices = [("", "すべて")] + [
            (str(year), format_fiscal_year(year))
            for year in range(this_year + 1, this_year - 8, -1)
        ]
        # 0 is the council itself (本会): meetings without a group.
        self.fields["body"].choices = [("", "すべて"), ("0", "本会")] + [
            (str(group.pk), group.name) for group in bodies
        ]


class MeetingFilterForm(ResolutionFilterForm):
    """The fiscal year, kind and body the meeting list is narrowed by."""

    kind = forms.ChoiceField(
        label="種類", required=False, choices=[("", "すべて"), *MeetingKind.choices], widget=Select
    )
    field_order = ["fy", "kind", "body"]


class VersionCompareForm(forms.Form):
    """The two confirmed versions of the minutes to compare."""

    a = forms.TypedChoiceField(label="比較元", coerce=int, required=False, empty_value=None)
    b = forms.TypedChoiceField(label="比較先", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            self.fields[name].choices = [(str(number), f"第{number}版") for number in numbers]
