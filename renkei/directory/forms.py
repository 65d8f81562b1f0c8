"""Forms of the directory pages; every one re-validates on the server."""

from django import forms
from django.core.exceptions import ValidationError

from renkei.accounts.models import Role
from renkei.core.forms import Select, WarekiDateField, date_input_hint
from renkei.core.text import hiragana_to_katakana, katakana_from_halfwidth
from renkei.directory.jis_codes import validate_code
from renkei.directory.models import (
    LISTED_KINDS,
    Group,
    GroupKind,
    GroupRole,
    MembershipCategory,
    Organization,
    OrganizationKind,
    Person,
    Post,
)
from renkei.directory.prefectures import PREFECTURES
from renkei.directory.selectors import organization_lookup

PREFECTURE_CHOICES = [("", "すべて"), *PREFECTURES.items()]


def _search_field(label: str) -> forms.CharField:
    """Return the optional search box of a list's filters."""
    return forms.CharField(label=label, required=False, max_length=100, widget=forms.SearchInput)


def _prefecture_field() -> forms.ChoiceField:
    """Return the optional 都道府県 choice of a list's filters."""
    return forms.ChoiceField(
        label="都道府県", choices=PREFECTURE_CHOICES, required=False, widget=Select
    )


class OrganizationFilterForm(forms.Form):
    q = _search_field("団体名・フリガナ・団体コード")
    prefecture = _prefecture_field()
    kind = forms.ChoiceField(
        label="種別",
        choices=[("", "すべて"), *OrganizationKind.choices],
        required=False,
        widget=Select,
    )
    membership = forms.ChoiceField(
        label="会員",
        choices=[("", "すべて"), ("member", "会員のみ"), ("nonmember", "非会員のみ")],
        required=False,
        widget=Select,
    )


class PersonSearchForm(forms.Form):
    q = _search_field("氏名・フリガナ・役職・団体名・部署")
    prefecture = _prefecture_field()


class MembershipDateForm(forms.Form):
    on = WarekiDateField(label="基準日", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].help_text = date_input_hint()


class OrganizationField(forms.CharField):
    """A text field that accepts an organization's code or exact name."""

    def clean(self, value: str) -> Organization | None:  # type: ignore[override]
        value = super().clean(value)
        if not value:
            return None
        try:
            return organization_lookup(text=value)
        except Organization.DoesNotExist as exc:
            raise ValidationError(str(exc)) from exc


class MembershipStartForm(forms.Form):
    category = forms.ChoiceField(label="会員区分", choices=MembershipCategory.choices)
    joined_on = WarekiDateField(label="入会日")


class MembershipEndForm(forms.Form):
    left_on = WarekiDateField(label="退会日", help_text="この日から会員でなくなります。")


class NotificationEmailForm(forms.Form):
    notification_email = forms.EmailField(
        label="共有メールアドレス",
        required=False,
        max_length=254,
        help_text="照会やお知らせを受け取る部署の共有アドレス（例：joho@city.example.lg.jp）。"
        "空欄にすると連絡窓口の方だけに届きます。",
        error_messages={
            "invalid": "メールアドレスの形式で入力してください（例：joho@city.example.lg.jp）。"
        },
    )


class OrganizationForm(forms.ModelForm):
    """Hand-entered organizations: 一部事務組合, 広域連合, 事務局, 国の機関, 民間事業者."""

    class Meta:
        model = Organization
        fields = ["name", "kana", "kind", "code", "prefecture_code", "population"]
        labels = {"prefecture_code": "都道府県"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        listed = self.instance.pk and self.instance.kind in LISTED_KINDS
        if listed:
            # Names, codes and kinds of listed organizations come from the official list.
            for name in ("name", "kana", "kind", "code", "prefecture_code"):
                self.fields[name].disabled = True
            self.fields["kind"].choices = OrganizationKind.choices
        else:
            self.fields["kind"].choices = [
                (k.value, k.label) for k in OrganizationKind if k not in LISTED_KINDS
            ]
        self.fields["prefecture_code"] = forms.ChoiceField(
            label="都道府県",
            choices=[("", "なし"), *PREFECTURES.items()],
            required=False,
            disabled=bool(listed),
        )
        self.fields["code"].required = False

    def clean_kana(self) -> str:
        # Stored in katakana like the listed organizations', so that searches find it.
        return hiragana_to_katakana(katakana_from_halfwidth(self.cleaned_data.get("kana", "")))

    def clean_code(self) -> str | None:
        code = self.cleaned_data.get("code")
        if not code:
            return None
        try:
            return validate_code(code)
        except ValidationError:
            raise
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class AbolishForm(forms.Form):
    abolished_on = WarekiDateField(label="廃止日")
    successor = OrganizationField(
        label="承継団体（団体コードまたは団体名）", required=False, max_length=100
    )


class PersonForm(forms.Form):
    name = forms.CharField(label="氏名", max_length=100)
    kana = forms.CharField(label="フリガナ", max_length=200, required=False)
    department = forms.CharField(label="部署", max_length=100, required=False)
    title = forms.CharField(label="役職", max_length=100, required=False)
    email = forms.EmailField(label="メールアドレス", required=False)
    phone = forms.CharField(label="電話番号", max_length=30, required=False)


class TransferKind:
    TRANSFER = "transfer"
    LEAVE = "leave"


class TransferForm(forms.Form):
    kind = forms.ChoiceField(
        label="種類",
        choices=[
            (TransferKind.TRANSFER, "異動（別の団体・部署へ移る）"),
            (TransferKind.LEAVE, "退職・離任（会員団体を離れる）"),
        ],
        initial=TransferKind.TRANSFER,
        widget=forms.RadioSelect,
        required=False,
    )
    organization = OrganizationField(
        label="異動先の団体（団体コードまたは団体名）",
        max_length=100,
        required=False,
        help_text="異動のときに入力します。退職・離任のときは空欄のままにしてください。",
    )
    department = forms.CharField(label="部署", max_length=100, required=False)
    title = forms.CharField(label="役職", max_length=100, required=False)
    on = WarekiDateField(label="異動日・離任日")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].help_text = date_input_hint()

    def clean(self) -> dict:
        data = super().clean()
        data["kind"] = data.get("kind") or TransferKind.TRANSFER
        if (
            data["kind"] == TransferKind.TRANSFER
            and not data.get("organization")
            and "organization" not in self.errors
        ):
            self.add_error("organization", "異動先の団体を入力してください。")
        return data


def _department_field(label: str) -> forms.CharField:
    """Return a department input that offers the organization's departments as one types.

    The page lists them in a <datalist id="departments">; any other name starts a new one.
    """
    return forms.CharField(
        label=label,
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"list": "departments"}),
    )


def _phone_field() -> forms.CharField:
    """Return the phone number a member types for themself or their staff."""
    return forms.CharField(
        label="電話番号",
        max_length=30,
        required=False,
        help_text="例：0133-23-2111（内線 123）",
        widget=forms.TextInput(attrs={"type": "tel", "size": 30}),
    )


class StaffPersonForm(forms.Form):
    """What an organization administrator corrects in a colleague's entry."""

    department = _department_field("部署")
    title = forms.CharField(label="役職", max_length=100, required=False)
    email = forms.EmailField(
        label="メールアドレス（名簿の連絡先）",
        required=False,
        widget=forms.EmailInput(attrs={"size": 40}),
        help_text="名簿と照会の連絡に使うアドレスです。ログイン用のアドレスは本人が利用者設定で変更します。",
    )
    phone = _phone_field()


class StaffTransferForm(forms.Form):
    """A transfer inside the organization (人事異動): new department and title from a date."""

    department = _department_field("異動後の部署")
    title = forms.CharField(label="異動後の役職", max_length=100, required=False)
    on = WarekiDateField(label="異動日")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].help_text = date_input_hint()


class LeaveForm(forms.Form):
    on = WarekiDateField(label="離任日・退職日")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A departure is recorded on or after the day: the example is today.
        self.fields["on"].help_text = date_input_hint(days_ahead=0) + "（今日以前の日付）"


class ContactAssignForm(forms.Form):
    """Give one of the organization's posts to one of its current staff (or leave it vacant)."""

    post = forms.ModelChoiceField(
        label="職", queryset=Post.objects.none(), widget=forms.HiddenInput
    )
    holder = forms.ModelChoiceField(
        label="在任者", queryset=Person.objects.none(), required=False, empty_label="（空席にする）"
    )

    def __init__(self, *args, organization: Organization, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = organization.posts.all()
        self.fields["post"].error_messages["invalid_choice"] = "この団体の職ではありません。"
        self.fields["holder"].queryset = staff
        self.fields["holder"].error_messages["invalid_choice"] = (
            "選べるのはこの団体の現在の職員（利用停止中を除く）だけです。"
        )
        self.fields["holder"].label_from_instance = _staff_label


class ContactPostForm(forms.Form):
    """Set up a 連絡窓口 post where the organization has none."""

    title = forms.CharField(label="職名", max_length=100, initial="連絡窓口")
    holder = forms.ModelChoiceField(
        label="在任者", queryset=Person.objects.none(), empty_label=None
    )

    def __init__(self, *args, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = staff
        self.fields["holder"].error_messages["invalid_choice"] = (
            "選べるのはこの団体の現在の職員（利用停止中を除く）だけです。"
        )
        self.fields["holder"].label_from_instance = _staff_label


def _staff_label(person: Person) -> str:
    where = " ".join(
        p for p in (person.department.name if person.department else "", person.title) if p
    )
    return f"{person.name}（{where}）" if where else person.name


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label="氏名（表示名）",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = _phone_field()
    email = forms.EmailField(
        label="メールアドレス",
        widget=forms.EmailInput(attrs={"size": 40, "autocomplete": "email"}),
        help_text="変更すると、新しいアドレスに確認のメールを送ります。"
        "メールのリンクを開いて確定するまで、アドレスは変わりません。",
    )


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name", "kind", "description", "is_active"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "選択してください"), *GroupKind.choices]


class GroupOrganizationForm(forms.Form):
    organization = OrganizationField(label="団体（団体コードまたは団体名）", max_length=100)
    role = forms.ChoiceField(label="役割", choices=GroupRole.choices, initial=GroupRole.MEMBER)
    term_start = WarekiDateField(label="任期開始", required=False)
    term_end = WarekiDateField(label="任期終了", required=False)


class GroupPersonForm(forms.Form):
    group = forms.ModelChoiceField(
        label="グループ",
        queryset=Group.objects.filter(is_active=True),
        empty_label="選択してください",
    )
    role = forms.ChoiceField(label="役割", choices=GroupRole.choices, initial=GroupRole.MEMBER)
    term_start = WarekiDateField(label="任期開始", required=False)
    term_end = WarekiDateField(label="任期終了", required=False)


class InvitationForm(forms.Form):
    name = forms.CharField(label="氏名", max_length=100)
    email = forms.EmailField(label="メールアドレス")
    role = forms.ChoiceField(label="権限", choices=Role.choices, initial=Role.STAFF)

    def __init__(self, *args, roles: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if roles is not None:
            self.fields["role"].choices = [(r, Role(r).label) for r in roles]


class SecretariatInvitationForm(InvitationForm):
    organization = OrganizationField(label="団体（団体コードまたは団体名）", max_length=100)
    field_order = ["organization", "name", "email", "role"]


class InvitationAcceptForm(forms.Form):
    username = forms.RegexField(
        label="ユーザーID",
        max_length=150,
        regex=r"^[A-Za-z0-9._@+-]+$",
        help_text="半角英数字と . _ @ + - が使えます。",
        error_messages={"invalid": "ユーザーIDは半角英数字と . _ @ + - で入力してください。"},
    )
    kana = forms.CharField(label="フリガナ", max_length=200, required=False)
    password1 = forms.CharField(label="パスワード", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="パスワード（確認）", widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "確認用のパスワードが一致しません。")
        if data.get("password1"):
            from django.contrib.auth.password_validation import validate_password

            try:
                validate_password(data["password1"])
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="権限", choices=Role.choices)


GROUP_KIND_CHOICES = GroupKind.choices
