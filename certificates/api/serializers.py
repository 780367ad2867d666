from django.urls import reverse
from rest_framework import serializers

from certificates.models import TaxExemptionCertificate
from certificates.reasons import ExemptionReason
from certificates.services import certificate_details_errors
from nuvo.regions import REGION_CODES


class CertificateSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = TaxExemptionCertificate
        fields = [
            "id",
            "customer",
            "name",
            "original_filename",
            "file_size",
            "page_count",
            "sha256",
            "has_scripts",
            "exempt_regions",
            "exemption_reason",
            "effective_date",
            "expiration_date",
            "is_single_use",
            "po_number",
            "tax_id",
            "source",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, certificate) -> str:
        return reverse("api:certificate-download", kwargs={"pk": certificate.pk})


class CertificateUploadSerializer(serializers.Serializer):
    customer = serializers.IntegerField()
    application = serializers.IntegerField(required=False)
    name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=150,
        help_text="Left out or blank: named after its regions and reason.",
    )
    # Emptiness is judged by the PDF checks, which answer with their own code.
    file = serializers.FileField(allow_empty_file=True)
    exempt_regions = serializers.ListField(
        child=serializers.ChoiceField(choices=REGION_CODES), allow_empty=False
    )
    exemption_reason = serializers.ChoiceField(choices=ExemptionReason.choices)
    effective_date = serializers.DateField()
    expiration_date = serializers.DateField(required=False, allow_null=True)
    is_single_use = serializers.BooleanField(required=False, default=False)
    po_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    tax_id = serializers.CharField(required=False, allow_blank=True, max_length=40)

    def validate(self, attrs):
        errors = certificate_details_errors(
            effective_date=attrs["effective_date"],
            expiration_date=attrs.get("expiration_date"),
            is_single_use=attrs.get("is_single_use", False),
            po_number=attrs.get("po_number", ""),
        )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs
