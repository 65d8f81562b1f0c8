"""Forms of the portal's pages."""

from django import forms


class LoginWaitFilterForm(forms.Form):
    """The user ID the throttled logins are narrowed by."""

    username = forms.CharField(label="ユーザーID", required=False, max_length=150)
