import hashlib

from django import forms

from certificates.limits import IntakeBudget
from certificates.models import TaxExemptionCertificate
from certificates.pdf import read_upload, validate_pdf
from certificates.reasons import ExemptionReason
from certificates.services import CertificateUpload, certificate_details_errors
from nuvo.formatting import EMPTY_CHOICE
from nuvo.regions import REGION_CHOICES


class DateInput(forms.DateInput):
    input_type = "date"


class CertificateForm(forms.Form):
    file = forms.FileField(
        label="Certificate PDF",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    name = forms.CharField(
        label="Certificate name (optional)",
        max_length=150,
        required=False,
        help_text="Left blank, it is named after its regions and reason, "
        "e.g. “Texas resale certificate”.",
    )
    exempt_regions = forms.MultipleChoiceField(
        label="Exempt states / provinces",
        choices=REGION_CHOICES,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Hold Ctrl (⌘ on a Mac) to choose several.",
    )
    exemption_reason = forms.ChoiceField(
        label="Exemption reason", choices=[EMPTY_CHOICE, *ExemptionReason.choices]
    )
    effective_date = forms.DateField(label="Effective (signed) date", widget=DateInput)
    expiration_date = forms.DateField(
        label="Expiration date",
        required=False,
        widget=DateInput,
        help_text="Leave empty if the certificate does not expire.",
    )
    is_single_use = forms.BooleanField(label="Single-use certificate", required=False)
    po_number = forms.CharField(label="PO number", max_length=60, required=False)
    tax_id = forms.CharField(
        label="Tax ID on the certificate",
        max_length=40,
        required=False,
        help_text="Required by Avalara for certificates in Streamlined Sales Tax states.",
    )

    def __init__(self, *args, budget: IntakeBudget | None = None, named: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not named:
            del self.fields["name"]
        # The request's budget, shared with the other files of a formset; staff limits alone.
        self.budget = IntakeBudget.staff() if budget is None else budget

    def clean_file(self) -> bytes:
        uploaded = self.cleaned_data["file"]
        content = read_upload(uploaded, budget=self.budget)
        self.checked_pdf = validate_pdf(content, budget=self.budget)
        self.cleaned_data["filename"] = uploaded.name
        return content

    def clean(self):
        cleaned = super().clean()
        errors = certificate_details_errors(
            effective_date=cleaned.get("effective_date"),
            expiration_date=cleaned.get("expiration_date"),
            is_single_use=cleaned.get("is_single_use", False),
            po_number=cleaned.get("po_number", ""),
        )
        for field_name, message in errors.items():
            self.add_error(field_name, message)
        return cleaned

    def to_upload(self) -> CertificateUpload:
        data = self.cleaned_data
        return CertificateUpload(
            content=data["file"],
            filename=data["filename"],
            exempt_regions=data["exempt_regions"],
            exemption_reason=data["exemption_reason"],
            effective_date=data["effective_date"],
            expiration_date=data["expiration_date"],
            is_single_use=data["is_single_use"],
            po_number=data["po_number"],
            tax_id=data["tax_id"],
            name=data.get("name", ""),
            checked=self.checked_pdf,
        )


class BaseCertificateFormSet(forms.BaseFormSet):
    """Optional certificate uploads; a blank row is skipped, the same file twice is refused."""

    def clean(self):
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            content = getattr(form, "cleaned_data", {}).get("file")
            if not content:
                continue
            digest = hashlib.sha256(content).hexdigest()
            if digest in seen:
                form.add_error("file", "This file was added twice.")
            seen.add(digest)

    def uploads(self) -> list[CertificateUpload]:
        return [form.to_upload() for form in self.forms if form.has_changed() and form.cleaned_data]


# absolute_max caps what a crafted request can make us parse before validate_max refuses it.
CertificateFormSet = forms.formset_factory(
    CertificateForm,
    formset=BaseCertificateFormSet,
    extra=2,
    max_num=10,
    absolute_max=10,
    validate_max=True,
)


def public_certificate_formset(data=None, files=None, *, prefix: str = "certificates"):
    """The certificates of an anonymous upload: anonymous limits, one budget for all its files."""
    budget = IntakeBudget.public()
    # Customers' files are named by default; staff rename them if they like.
    formset = CertificateFormSet(
        data, files, prefix=prefix, form_kwargs={"budget": budget, "named": False}
    )
    formset.max_num = formset.absolute_max = budget.limits.files
    return formset


class CertificateDetailsForm(forms.ModelForm):
    """The details printed on a certificate, corrected after upload (the PDF stays as it was)."""

    name = CertificateForm.base_fields["name"]
    exempt_regions = CertificateForm.base_fields["exempt_regions"]
    exemption_reason = CertificateForm.base_fields["exemption_reason"]

    class Meta:
        model = TaxExemptionCertificate
        fields = [
            "name",
            "exempt_regions",
            "exemption_reason",
            "effective_date",
            "expiration_date",
            "is_single_use",
            "po_number",
            "tax_id",
        ]
        widgets = {"effective_date": DateInput, "expiration_date": DateInput}
        labels = {"effective_date": "Effective (signed) date"}

    def __init__(self, *args, focus: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if focus in self.fields:
            self.fields[focus].widget.attrs["autofocus"] = True

    def clean(self):
        cleaned = super().clean()
        errors = certificate_details_errors(
            effective_date=cleaned.get("effective_date"),
            expiration_date=cleaned.get("expiration_date"),
            is_single_use=cleaned.get("is_single_use", False),
            po_number=cleaned.get("po_number", ""),
        )
        for field_name, message in errors.items():
            self.add_error(field_name, message)
        return cleaned
