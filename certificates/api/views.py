from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action

from certificates import selectors
from certificates.api.serializers import CertificateSerializer
from certificates.downloads import pdf_response
from certificates.models import TaxExemptionCertificate
from nuvo.api import api_member


class CertificateFilterSerializer(serializers.Serializer):
    customer = serializers.IntegerField(required=False, min_value=1)


class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Read certificates and download their PDFs. Filing one is a customer workflow (creditapps)."""

    serializer_class = CertificateSerializer
    queryset = TaxExemptionCertificate.objects.none()
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        params = CertificateFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.certificate_list(
            member=api_member(self.request), customer_id=params.validated_data.get("customer")
        )

    def get_object(self) -> TaxExemptionCertificate:
        return selectors.certificate_get(member=api_member(self.request), pk=self.kwargs["pk"])

    @extend_schema(parameters=[OpenApiParameter("customer", int)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return pdf_response(self.get_object())
