"""Account forms."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.mfa.base.forms import AuthenticateForm
from django import forms

from renkei.accounts.models import DateStyle


class PreferencesForm(forms.Form):
    date_style = forms.ChoiceField(
        label="日付の表示", choices=DateStyle.choices, widget=forms.RadioSelect
    )


class LoginForm(AllauthLoginForm):
    """The allauth login form with the labels councils use: user ID and password."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "ユーザーID"
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        # The first thing to type; after a failure the error takes the focus instead.
        self.fields["login"].widget.attrs["autofocus"] = True
        self.fields["password"].label = "パスワード"
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""
        self.fields.pop("remember", None)


class TwoFactorForm(AuthenticateForm):
    """The code step of the login, in the council's words, with the focus on the code."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = "認証コード（6桁）"
        code.widget.attrs.pop("placeholder", None)
        code.widget.attrs.update({"autofocus": True, "inputmode": "numeric"})
