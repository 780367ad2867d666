"""The review dialogs' forms: Request Info, Send for approval, Approve, Decline, Assign."""

from collections.abc import Sequence
from decimal import Decimal

from django import forms

from creditapps.approval import ApprovalOption
from creditapps.forms import EMAIL_FORMAT
from creditapps.models import CreditApplication, InfoRequest
from creditapps.services.duties import limit_reason_refusal

Terms = CreditApplication.Terms


class RequestInfoForm(forms.Form):
    items = forms.MultipleChoiceField(
        label="What do you need?",
        choices=InfoRequest.Item.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose what the customer should send"},
    )
    recipient_email = forms.EmailField(
        label="Send to",
        error_messages={
            "required": "Enter the email address to send the request to",
            "invalid": EMAIL_FORMAT,
        },
    )
    message = forms.CharField(
        label="Message to the customer",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class RequestApprovalForm(forms.Form):
    note = forms.CharField(
        label="Note for the approver",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ApproveForm(forms.Form):
    credit_limit = forms.DecimalField(
        label="Approved credit limit (USD)",
        min_value=Decimal("1"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "data-approved-limit": ""}),
        error_messages={
            "required": "Enter the approved credit limit",
            "invalid": "Enter the credit limit as a number, like 25000",
        },
    )
    terms = forms.ChoiceField(label="Terms", choices=Terms.choices)
    limit_reason = forms.CharField(
        label="Reason for approving more than requested",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    comment = forms.CharField(
        label="Comment", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args,
        application: CreditApplication,
        options: Sequence[ApprovalOption] = (),
        defaults=None,
        **kwargs,
    ):
        """`options` are the approval options offered (creditapps.approval), as switches."""
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["limit_reason"].help_text = (
            "Needed only if the approved limit is above the requested "
            f"${application.requested_credit_limit:,.2f}."
        )
        self.option_names = [option.name for option in options]
        for option in options:
            self.fields[option.name] = forms.BooleanField(
                label=option.label,
                required=False,
                help_text=option.help_text,
                widget=forms.CheckboxInput(attrs={"role": "switch"}),
            )
            self.initial.setdefault(option.name, (defaults or {}).get(option.name, False))

    def clean(self):
        cleaned = super().clean()
        refusal = limit_reason_refusal(
            application=self.application,
            credit_limit=cleaned.get("credit_limit"),
            reason=cleaned.get("limit_reason", ""),
        )
        if refusal:
            self.add_error("limit_reason", refusal)
        return cleaned

    def option_choices(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in self.option_names}


class DeclineForm(forms.Form):
    comment = forms.CharField(
        label="Reason for declining",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for declining"},
    )


class AssignForm(forms.Form):
    analyst = forms.ChoiceField(label="Assigned analyst", required=False)

    def __init__(self, *args, analysts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.analysts = {str(user.pk): user for user in analysts}
        self.fields["analyst"].choices = [
            ("", "Unassigned"),
            *[(pk, user.get_full_name() or user.username) for pk, user in self.analysts.items()],
        ]

    def selected_analyst(self):
        return self.analysts.get(self.cleaned_data.get("analyst") or "")
