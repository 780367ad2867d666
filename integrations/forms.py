from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from integrations.models import AvalaraConnection

Environment = AvalaraConnection.Environment

ENVIRONMENT_HINTS = {
    Environment.SANDBOX: "Avalara's test environment: try the integration without touching your "
    "live customers and certificates.",
    Environment.PRODUCTION: "Your live Avalara account: customers and certificates sent here are "
    "real.",
}


class EnvironmentChoice(forms.RadioSelect):
    """Each environment with a line saying what choosing it means (the hint is its description)."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        options = [option for _, group, _ in context["optgroups"] for option in group]
        rows = format_html_join(
            "",
            '<div class="choice"><input type="radio" name="{}" value="{}"{}> '
            '<label for="{}">{}</label> <small class="help" id="{}_hint">{}</small></div>',
            (
                (
                    option["name"],
                    option["value"],
                    flatatt(
                        {**option["attrs"], "aria-describedby": f"{option['attrs']['id']}_hint"}
                    ),
                    option["attrs"]["id"],
                    option["label"],
                    option["attrs"]["id"],
                    ENVIRONMENT_HINTS.get(option["value"], ""),
                )
                for option in options
            ),
        )
        return format_html('<div id="{}">{}</div>', context["attrs"]["id"], rows)


class AvalaraCredentialsForm(forms.Form):
    environment = forms.ChoiceField(
        label="Environment",
        choices=AvalaraConnection.Environment.choices,
        initial=AvalaraConnection.Environment.SANDBOX,
        widget=EnvironmentChoice,
        help_text="Sandbox and production are separate Avalara accounts, each with its own "
        "credentials.",
    )
    username = forms.CharField(
        label="Username/Account ID",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the Avalara username or account ID"},
    )
    password = forms.CharField(
        label="Password/License Key",
        max_length=500,
        strip=False,
        error_messages={"required": "Enter the Avalara password or license key"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
    )
