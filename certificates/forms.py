import hashlib

from django import forms

from certificates.kept_files import (
    pending_upload_checked,
    pending_upload_content,
    pending_upload_find,
    pending_upload_keep,
    pending_uploads_discard,
)
from certificates.limits import IntakeBudget
from certificates.models import PendingUpload, TaxExemptionCertificate
from certificates.pdf import read_upload, too_large_together, validate_pdf
from certificates.reasons import ExemptionReason
from certificates.services import CertificateUpload, certificate_details_errors
from certificates.widgets import KEPT_SUFFIX, KeptFileInput
from nuvo.formatting import EMPTY_CHOICE
from nuvo.regions import REGION_CHOICES
from nuvo.widgets import RegionPicker


class DateInput(forms.DateInput):
    input_type = "date"


EFFECTIVE_DATE_FORMAT = "Enter the effective date as a real date, like 2026-03-01"
EXPIRATION_DATE_FORMAT = "Enter the expiration date as a real date, like 2027-03-01"


class CertificateForm(forms.Form):
    file = forms.FileField(
        label="Certificate PDF",
        widget=KeptFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={
            "required": "Choose a PDF of the certificate",
            "empty": "The chosen file is empty. Choose a PDF of the certificate",
        },
    )
    name = forms.CharField(
        label="Certificate name",
        max_length=150,
        required=False,
        help_text="Left blank, it is named after its regions and reason, "
        "e.g. “Texas resale certificate”.",
    )
    exempt_regions = forms.MultipleChoiceField(
        label="Exempt states / provinces",
        choices=REGION_CHOICES,
        widget=RegionPicker,
        help_text="Tick each state or province the certificate covers.",
        error_messages={
            "required": "Choose the states or provinces the certificate covers",
            "invalid_choice": "Choose states or provinces from the list",
        },
    )
    exemption_reason = forms.ChoiceField(
        label="Exemption reason",
        choices=[EMPTY_CHOICE, *ExemptionReason.choices],
        error_messages={
            "required": "Choose the exemption reason printed on the certificate",
            "invalid_choice": "Choose an exemption reason from the list",
        },
    )
    effective_date = forms.DateField(
        label="Effective (signed) date",
        widget=DateInput,
        error_messages={
            "required": "Enter the effective date printed on the certificate",
            "invalid": EFFECTIVE_DATE_FORMAT,
        },
    )
    expiration_date = forms.DateField(
        label="Expiration date",
        required=False,
        widget=DateInput,
        help_text="Leave empty if the certificate does not expire.",
        error_messages={"invalid": EXPIRATION_DATE_FORMAT},
    )
    is_single_use = forms.BooleanField(label="Single-use certificate", required=False)
    po_number = forms.CharField(label="PO number", max_length=60, required=False)
    tax_id = forms.CharField(
        label="Tax ID on the certificate",
        max_length=40,
        required=False,
        help_text="Required by Avalara for certificates in Streamlined Sales Tax states.",
    )

    def __init__(
        self,
        *args,
        budget: IntakeBudget | None = None,
        owner: str = "",
        named: bool = True,
        **kwargs,
    ):
        """`owner` (certificates.kept_files.kept_file_owner) lets the form keep its file across
        a failed submit; without one a failed submit asks for the file again. `named=False`
        drops the name field (a customer's file is named by default)."""
        super().__init__(*args, **kwargs)
        if not named:
            del self.fields["name"]
        # The request's budget, shared with the other files of a formset; staff limits alone.
        self.budget = IntakeBudget.staff() if budget is None else budget
        self.owner = owner
        self.kept: PendingUpload | None = None
        self.uses_kept_file = False
        if self.is_bound and owner:
            key = self.data.get(self.add_prefix("file") + KEPT_SUFFIX, "")
            self._show_kept(pending_upload_find(key=key, owner=owner))

    def _show_kept(self, pending: PendingUpload | None) -> None:
        self.kept = pending
        self.fields["file"].widget.kept = pending
        if pending is not None:
            # A FileField with an initial value and no new file cleans to that value.
            self.initial["file"] = pending

    def has_changed(self) -> bool:
        return super().has_changed() or self.kept is not None

    def clean_file(self) -> bytes:
        uploaded = self.cleaned_data["file"]
        self.uses_kept_file = isinstance(uploaded, PendingUpload)
        if self.uses_kept_file:
            # Checked when it was kept; it still counts toward this request's bytes.
            if not self.budget.take_bytes(uploaded.file_size):
                raise too_large_together(self.budget.limits.total_bytes)
            self.checked_pdf = pending_upload_checked(uploaded)
            self.cleaned_data["filename"] = uploaded.original_filename
            return pending_upload_content(uploaded)
        content = read_upload(uploaded, budget=self.budget)
        self.checked_pdf = validate_pdf(content, budget=self.budget)
        self.cleaned_data["filename"] = uploaded.name
        return content

    def keep_file(self) -> PendingUpload | None:
        """After a failed submit: keep a new file that passed intake; the kept one it shows."""
        content = getattr(self, "cleaned_data", {}).get("file")
        if self.owner and content and not self.uses_kept_file:
            self._show_kept(
                pending_upload_keep(
                    owner=self.owner,
                    content=content,
                    filename=self.cleaned_data["filename"],
                    checked=self.checked_pdf,
                )
            )
        return self.kept

    def keep_file_alone(self) -> None:
        """A single form's keep_file: the owner's other kept files are not shown, so they go."""
        kept = self.keep_file()
        if self.owner:
            pending_uploads_discard(owner=self.owner, keep={kept.key} if kept else set())

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

    def filled_forms(self) -> list[CertificateForm]:
        return [form for form in self.forms if form.has_changed()]

    def keep_files(self) -> None:
        """After a failed submit: keep each file that passed intake, drop what is not shown."""
        owner = self.form_kwargs.get("owner", "")
        if not owner:
            return
        shown = {kept.key for form in self.forms if (kept := form.keep_file())}
        pending_uploads_discard(owner=owner, keep=shown)


# absolute_max caps what a crafted request can make us parse before validate_max refuses it.
# One block to start with; "Add another certificate" adds more, up to the cap.
CertificateFormSet = forms.formset_factory(
    CertificateForm,
    formset=BaseCertificateFormSet,
    extra=1,
    max_num=10,
    absolute_max=10,
    validate_max=True,
)


def public_certificate_formset(
    data=None, files=None, *, owner: str = "", prefix: str = "certificates"
):
    """The certificates of an anonymous upload: anonymous limits, one budget for all its files
    (kept files too); `owner` as for CertificateForm."""
    budget = IntakeBudget.public()
    # Customers' files are named by default; staff rename them if they like.
    formset = CertificateFormSet(
        data,
        files,
        prefix=prefix,
        form_kwargs={"budget": budget, "owner": owner, "named": False},
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
        error_messages = {
            "effective_date": CertificateForm.base_fields["effective_date"].error_messages,
            "expiration_date": {"invalid": EXPIRATION_DATE_FORMAT},
        }

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
