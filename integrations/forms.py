from django import forms

from integrations.models import AvalaraConnection


class AvalaraCredentialsForm(forms.Form):
    environment = forms.ChoiceField(
        label="Environment",
        choices=AvalaraConnection.Environment.choices,
        initial=AvalaraConnection.Environment.PRODUCTION,
        widget=forms.RadioSelect,
        help_text="Sandbox and production are separate Avalara accounts, each with its own "
        "credentials.",
    )
    username = forms.CharField(
        label="Username/Account ID",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password/License Key",
        max_length=500,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
    )
