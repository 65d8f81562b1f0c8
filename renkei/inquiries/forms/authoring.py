"""Forms of writing an inquiry: the inquiry itself, its targets, its attachments."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils import timezone

from renkei.core.files import validate_upload
from renkei.core.forms import WarekiDateField
from renkei.core.question_kinds.values import parse_number
from renkei.core.wareki import format_date
from renkei.directory.models import Group, Organization, OrganizationKind
from renkei.directory.organization_picker import OrganizationPickerField
from renkei.directory.prefectures import PREFECTURES
from renkei.inquiries.forms.common import (
    DeadlineFieldsMixin,
    JapaneseLabelsMixin,
    deadline_time_field,
    lines_of,
)
from renkei.inquiries.models import Inquiry
from renkei.inquiries.selectors.lists import suggested_deadline
from renkei.inquiries.selectors.targets import (
    organizations_lookup,
    requester_organizations,
    target_kinds,
)
from renkei.inquiries.services.authoring import InquiryDraft

SUGGESTED_BUSINESS_DAYS = 10


class InquiryForm(JapaneseLabelsMixin, DeadlineFieldsMixin, forms.ModelForm):
    """The text and settings of an inquiry."""

    deadline_date = WarekiDateField(label="回答期限（日付）", required=False)
    deadline_time = deadline_time_field(label="回答期限（時刻）")
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
            lines = lines_of(cleaned.get("organizations", ""))
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
