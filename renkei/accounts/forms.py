"""Account forms."""

from allauth.account.forms import LoginForm as AllauthLoginForm
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
        self.fields["password"].label = "パスワード"
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""
        self.fields.pop("remember", None)
