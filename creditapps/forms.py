from decimal import Decimal

from django import forms

from creditapps.approval_queue import NEEDS_MY_APPROVAL
from creditapps.models import CreditApplication, Customer, TradeReference
from creditapps.selectors import APPLICATION_SORTS, DEFAULT_APPLICATION_SORT, ApplicationFilters
from creditapps.services import ApplicationData, TradeReferenceData
from nuvo.formatting import EMPTY_CHOICE
from nuvo.models import Organization
from nuvo.regions import REGION_CHOICES
from nuvo.widgets import RegionPicker

Terms = CreditApplication.Terms

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
LIMIT_WHOLE_DIGITS = "Enter a credit limit below $10,000,000,000"


# Not a status of its own: in review, and sent for approval.
WAITING_FOR_APPROVAL = "awaiting_approval"


def _status_choices():
    statuses = list(CreditApplication.Status.choices)
    in_review = statuses.index((CreditApplication.Status.IN_REVIEW, "In review"))
    statuses.insert(in_review + 1, (WAITING_FOR_APPROVAL, "Waiting for approval"))
    return [("", "All statuses"), *statuses]


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label="Search customers", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=_status_choices)
    analyst = forms.ChoiceField(label="Analyst", required=False)
    view = forms.ChoiceField(
        required=False,
        choices=[("", "All applications"), (NEEDS_MY_APPROVAL, "Needs my approval")],
        widget=forms.HiddenInput,
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("-submitted", "Newest first"),
            ("submitted", "Oldest first"),
            ("customer", "Customer A to Z"),
            ("-customer", "Customer Z to A"),
            ("-limit", "Largest request"),
            ("limit", "Smallest request"),
        ],
    )

    def __init__(self, data=None, *args, analysts=(), **kwargs):
        # Labels without a trailing colon, like every other label here.
        kwargs.setdefault("label_suffix", "")
        super().__init__(_old_waiting_checkbox_as_status(data), *args, **kwargs)
        self.fields["analyst"].choices = [
            ("", "Anyone"),
            ("unassigned", "Unassigned"),
            *[(str(user.pk), user.get_full_name() or user.username) for user in analysts],
        ]

    def to_filters(self) -> ApplicationFilters:
        if not self.is_valid():
            return ApplicationFilters()
        data = self.cleaned_data
        analyst = data.get("analyst") or ""
        sort = data.get("sort") or DEFAULT_APPLICATION_SORT
        status = data.get("status") or ""
        return ApplicationFilters(
            status="" if status == WAITING_FOR_APPROVAL else status,
            analyst_id=int(analyst) if analyst.isdigit() else None,
            unassigned=analyst == "unassigned",
            awaiting_approval=status == WAITING_FOR_APPROVAL,
            needs_my_approval=data.get("view") == NEEDS_MY_APPROVAL,
            search=(data.get("q") or "").strip(),
            sort=sort if sort in APPLICATION_SORTS else DEFAULT_APPLICATION_SORT,
        )


def _old_waiting_checkbox_as_status(data):
    """Links saved before "Waiting for approval" became a status (`?awaiting_approval=on`)."""
    asked = (data or {}).get("awaiting_approval", "")
    if data is None or asked.lower() in ("", "false", "0", "off") or data.get("status"):
        return data
    data = data.copy()
    data["status"] = WAITING_FOR_APPROVAL
    return data


class CustomerForm(forms.ModelForm):
    ship_to_states = forms.MultipleChoiceField(
        label="Ship-to states / provinces",
        choices=REGION_CHOICES,
        required=False,
        widget=RegionPicker,
    )
    region = forms.ChoiceField(
        label="State / province",
        choices=[EMPTY_CHOICE, *REGION_CHOICES],
        required=False,
        widget=forms.Select(attrs={"autocomplete": "address-level1"}),
    )

    class Meta:
        model = Customer
        fields = Customer.DETAIL_FIELDS
        # Browsers fill these in (and phones show the right keyboard) from the autocomplete
        # tokens of the HTML standard.
        widgets = {
            "legal_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(
                attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}
            ),
            "address_line1": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "address_line2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
        }
        error_messages = {
            "legal_name": {"required": "Enter the customer's legal name"},
            "email": {"invalid": EMAIL_FORMAT},
        }


class PublicCustomerForm(CustomerForm):
    """What a customer fills in on the public form: contact details are required there."""

    REQUIRED_MESSAGES = {
        "legal_name": "Enter your business's legal name",
        "contact_name": "Enter the name of the person we should contact",
        "email": "Enter the email address we should write to",
        "address_line1": "Enter the first line of your business address",
        "city": "Enter the city or town of your business address",
        "region": "Choose the state or province of your business address",
        "postal_code": "Enter the ZIP or postal code of your business address",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.REQUIRED_MESSAGES.items():
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message


# Someone else's number (a bank, a trade reference): the phone keypad, not the user's own number.
PHONE = {"type": "tel", "inputmode": "tel", "autocomplete": "off"}


class ApplicationTermsForm(forms.Form):
    requested_credit_limit = forms.DecimalField(
        label="Requested credit limit (USD)",
        min_value=Decimal("1"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": "Enter the credit limit you are asking for",
            "invalid": "Enter the credit limit as a number, like 25000",
            "min_value": "Enter a credit limit of at least $1",
            "max_digits": LIMIT_WHOLE_DIGITS,
            "max_whole_digits": LIMIT_WHOLE_DIGITS,
            "max_decimal_places": "Enter the credit limit in dollars and cents, like 25000.50",
        },
    )
    requested_terms = forms.ChoiceField(
        label="Requested terms",
        choices=Terms.choices,
        error_messages={"required": "Choose the payment terms you are asking for"},
    )
    bank_name = forms.CharField(label="Bank name", max_length=200, required=False)
    bank_contact_name = forms.CharField(label="Bank contact", max_length=200, required=False)
    bank_phone = forms.CharField(
        label="Bank phone", max_length=40, required=False, widget=forms.TextInput(attrs=PHONE)
    )
    bank_account_type = forms.CharField(
        label="Account type", max_length=40, required=False, help_text="e.g. Business checking"
    )


class TradeReferenceForm(forms.Form):
    company_name = forms.CharField(
        label="Company",
        max_length=200,
        error_messages={"required": "Enter the name of the company you buy from"},
    )
    contact_name = forms.CharField(label="Contact", max_length=200, required=False)
    phone = forms.CharField(
        label="Phone", max_length=40, required=False, widget=forms.TextInput(attrs=PHONE)
    )
    email = forms.EmailField(
        label="Email", required=False, error_messages={"invalid": EMAIL_FORMAT}
    )


# One block to start with; "Add another reference" adds more, up to the cap.
TradeReferenceFormSet = forms.formset_factory(
    TradeReferenceForm,
    extra=1,
    max_num=TradeReference.MAX_PER_APPLICATION,
    absolute_max=TradeReference.MAX_PER_APPLICATION,
    validate_max=True,
)


class TaxExemptForm(forms.Form):
    """ "Are your purchases tax-exempt?": the certificate blocks count only after a Yes.

    Unanswered (a browser without script shows the certificate blocks anyway) means Yes when a
    certificate block was filled in, else No.
    """

    tax_exempt = forms.ChoiceField(
        label="Are your purchases tax-exempt?",
        choices=[("yes", "Yes"), ("no", "No")],
        required=False,
        widget=forms.RadioSelect,
    )

    def declines(self, certificates) -> bool:
        answer = self.cleaned_data.get("tax_exempt", "") if self.is_valid() else ""
        return answer == "no" or (answer == "" and not certificates.filled_forms())

    def require_a_certificate(self, certificates) -> bool:
        """After a Yes with no certificate: say so on the first block's file; False then."""
        if certificates.filled_forms():
            return True
        if certificates.forms:  # none only with a tampered formset, refused on its own
            certificates.forms[0].add_error("file", NO_CERTIFICATE)
        return False


NO_CERTIFICATE = (
    "Choose a PDF of your exemption certificate, or answer No to "
    "\u201cAre your purchases tax-exempt?\u201d"
)


def application_data(terms_form: ApplicationTermsForm, references) -> ApplicationData:
    data = terms_form.cleaned_data
    return ApplicationData(
        requested_credit_limit=data["requested_credit_limit"],
        requested_terms=data["requested_terms"],
        bank_name=data["bank_name"],
        bank_contact_name=data["bank_contact_name"],
        bank_phone=data["bank_phone"],
        bank_account_type=data["bank_account_type"],
        trade_references=[
            TradeReferenceData(**form.cleaned_data)
            for form in references.forms
            if form.has_changed() and form.cleaned_data
        ],
    )


class InfoResponseForm(forms.Form):
    message = forms.CharField(
        label="Message",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything else you want to tell us, such as trade or bank references.",
    )


class CertificateSettingsForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["expiry_window_days", "request_renewals_automatically"]
        help_texts = {
            "expiry_window_days": "Certificates expiring this soon show as expiring (1 to 365).",
            "request_renewals_automatically": "Every day, ask each customer whose certificate "
            "is expiring for a renewed one, once per certificate.",
        }
