"""The Django admin's import of existing customers' Avalara IDs, for the platform's operators.

django-import-export previews every import as a dry run first; each row is checked by the same
rules as `manage.py import_avalara_customers` (integrations/services/imports.py).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from import_export import fields, resources
from import_export.forms import ConfirmImportForm, ImportForm

from integrations.models import AvalaraConnection, AvalaraCustomer
from integrations.services.imports import Outcome, check_row, replace_unused_code
from nuvo.models import Organization


class OrganizationImportForm(ImportForm):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.filter(
            avalara_connection__status=AvalaraConnection.Status.CONNECTED
        ),
        help_text="Whose customers the file lists (an organization with Avalara connected).",
    )


class OrganizationConfirmImportForm(ConfirmImportForm):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.all(), widget=forms.HiddenInput
    )


class AvalaraCustomerResource(resources.ModelResource):
    customer_code = fields.Field(attribute="customer_code", column_name="customer_code")

    class Meta:
        model = AvalaraCustomer
        fields = ("customer_code",)
        import_id_fields = ()
        skip_unchanged = False
        use_transactions = True

    def before_import(self, dataset, **kwargs):
        self.organization = Organization.objects.get(pk=kwargs["organization"])
        self.company_id = self.organization.avalara_connection.company_id
        self.lines: dict[str, object] = {}

    def get_instance(self, instance_loader, row):
        # A new Avalara ID, or one replacing a code Nuvo generated and never used (check_row).
        customer = row.get("_customer")
        return AvalaraCustomer.objects.filter(customer=customer).first() if customer else None

    def before_import_row(self, row, **kwargs):
        values = {key.strip().lower(): str(value or "").strip() for key, value in row.items()}
        result = check_row(
            self.organization, kwargs.get("row_number", 0), values, company_id=self.company_id
        )
        if result.outcome == Outcome.ALREADY:
            row["_skip"] = True
            return
        if result.outcome != Outcome.MATCHED:
            raise ValidationError(f"{result.outcome}: {result.detail}")
        row["_customer"] = result.customer

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return bool(row.get("_skip")) or super().skip_row(
            instance, original, row, import_validation_errors
        )

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk:
            try:
                replace_unused_code(instance.customer, company_id=self.company_id)
            except IntegrityError as used:
                raise ValidationError(f"conflict: {used}; run the import again") from used
        instance.last_error_code = instance.last_error_message = ""
        instance.failed_at = None
        instance.organization = self.organization
        instance.customer = row["_customer"]
        instance.company_id = self.company_id
        instance.source = AvalaraCustomer.Source.IMPORTED
        instance.confirmed_at = None  # the first send looks the code up before creating it
