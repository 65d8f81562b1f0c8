"""Forms of the mailing lists; every rule is checked again by the services."""

from django import forms
from django.core.validators import RegexValidator

from renkei.accounts.models import User
from renkei.directory.models import Group
from renkei.forum.forms import AttachmentsField
from renkei.forum.lists.models import MailingList, NonMemberPolicy, list_domain
from renkei.forum.lists.services import MAX_BODY, MAX_SUBJECT

LOCAL_PART = RegexValidator(
    r"^[a-z0-9][a-z0-9-]*$", "半角英小文字・数字・ハイフンで入力してください（例: yakuin）。"
)
FILES_HELP = "PDF・Excel・Word・PowerPoint・CSV・テキスト・ZIP・画像。1ファイル10MB、5個まで。"


class ModeratorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name() or obj.get_username()
        return f"{name}（{obj.email}）" if obj.email else name


class ListForm(forms.Form):
    group = forms.ModelChoiceField(
        label="グループ", queryset=Group.objects.none(), empty_label="選んでください"
    )
    local_part = forms.CharField(
        label="アドレス（@より前）", max_length=60, validators=[LOCAL_PART]
    )
    subject_prefix = forms.CharField(
        label="件名の接頭辞",
        max_length=40,
        required=False,
        help_text="空欄にすると「[グループ名]」になります。",
    )
    description = forms.CharField(
        label="説明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    nonmember_policy = forms.ChoiceField(
        label="構成員以外からのメール",
        choices=NonMemberPolicy.choices,
        widget=forms.RadioSelect,
        initial=NonMemberPolicy.HOLD,
    )
    moderators = ModeratorChoiceField(
        label="管理者（モデレーター）",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="保留されたメールを承認・却下する人。事務局はいつでも承認・却下できます。",
    )
    is_active = forms.BooleanField(label="利用中", required=False, initial=True)

    def __init__(self, *args, mailing_list: MailingList | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["local_part"].help_text = f"@{list_domain()} の前の部分です。例: yakuin"
        self.fields["moderators"].queryset = (
            User.objects.filter(is_active=True).exclude(email="").order_by("username")
        )
        if mailing_list is None:
            self.fields["group"].queryset = Group.objects.filter(
                is_active=True, mailing_list__isnull=True
            )
        else:
            del self.fields["group"]
            self.initial.update(
                local_part=mailing_list.local_part,
                subject_prefix=mailing_list.subject_prefix,
                description=mailing_list.description,
                nonmember_policy=mailing_list.nonmember_policy,
                moderators=list(mailing_list.moderators.all()),
                is_active=mailing_list.is_active,
            )


class MessageForm(forms.Form):
    subject = forms.CharField(label="件名", max_length=MAX_SUBJECT)
    body = forms.CharField(
        label="本文",
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="テキストのまま、グループの全員にメールで届き、アーカイブに残ります。",
    )
    files = AttachmentsField(label="添付ファイル", required=False, help_text=FILES_HELP)


class SearchForm(forms.Form):
    q = forms.CharField(label="件名で絞り込み", required=False, max_length=100)


class ReceivingForm(forms.Form):
    receiving = forms.TypedChoiceField(
        label="メールの受け取り",
        choices=[("1", "メールで受け取る"), ("0", "受け取らない（サイトで読む）")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
