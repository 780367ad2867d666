from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from certificates.api.serializers import CertificateSerializer, CertificateUploadSerializer
from certificates.api.views import CertificateViewSet
from certificates.models import TaxExemptionCertificate
from certificates.pdf import read_upload
from certificates.services import CertificateUpload
from creditapps import selectors, services
from nuvo.api import api_member


class CustomerCertificateViewSet(CertificateViewSet):
    """Certificates, plus filing one for a customer (and an application's timeline)."""

    @extend_schema(
        request={"multipart/form-data": CertificateUploadSerializer},
        responses={201: CertificateSerializer},
    )
    def create(self, request):
        """Upload a certificate PDF for a customer (multipart form)."""
        member = api_member(request)
        payload = CertificateUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        customer = selectors.customer_get(member=member, pk=data["customer"])
        application = None
        if data.get("application"):
            application = selectors.application_for_customer(
                customer=customer, pk=data["application"]
            )
        certificate = services.certificate_upload_by_staff(
            member=member,
            customer=customer,
            application=application,
            upload=CertificateUpload(
                content=read_upload(data["file"]),
                filename=data["file"].name,
                exempt_regions=data["exempt_regions"],
                exemption_reason=data["exemption_reason"],
                effective_date=data["effective_date"],
                expiration_date=data.get("expiration_date"),
                is_single_use=data["is_single_use"],
                po_number=data.get("po_number", ""),
                tax_id=data.get("tax_id", ""),
                name=data.get("name", ""),
            ),
            source=TaxExemptionCertificate.Source.API,
        )
        return Response(CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)

    def get_parsers(self):
        if getattr(self, "action", None) == "create":
            return [MultiPartParser(), FormParser()]
        return super().get_parsers()
