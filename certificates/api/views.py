from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from certificates import selectors
from certificates.api.serializers import CertificateSerializer, CertificateUploadSerializer
from certificates.models import TaxExemptionCertificate
from certificates.pdf import read_upload
from certificates.services import CertificateUpload, certificate_upload_by_staff
from certificates.views import pdf_response
from creditapps.selectors import application_for_customer, customer_get
from nuvo.api import api_member


class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CertificateSerializer
    queryset = TaxExemptionCertificate.objects.none()

    def get_queryset(self):
        customer = self.request.query_params.get("customer", "")
        return selectors.certificate_list(
            member=api_member(self.request),
            customer_id=int(customer) if customer.isdigit() else None,
        )

    def get_object(self) -> TaxExemptionCertificate:
        return selectors.certificate_get(member=api_member(self.request), pk=self.kwargs["pk"])

    @extend_schema(parameters=[OpenApiParameter("customer", int)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

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
        customer = customer_get(member=member, pk=data["customer"])
        application = None
        if data.get("application"):
            application = application_for_customer(customer=customer, pk=data["application"])
        certificate = certificate_upload_by_staff(
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
            ),
            source=TaxExemptionCertificate.Source.API,
        )
        return Response(CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)

    def get_parsers(self):
        if getattr(self, "action", None) == "create":
            return [MultiPartParser(), FormParser()]
        return super().get_parsers()

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return pdf_response(self.get_object(), as_attachment=True)
