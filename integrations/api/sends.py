"""The API's Send to Avalara: the same services as the page; 202 with the send to poll."""

from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from creditapps import selectors as creditapps_selectors
from integrations import selectors
from integrations.avalara import AvalaraError, ErrorCode
from integrations.models import AvalaraCertificate, AvalaraSend
from integrations.services.presend import SendBlocked
from integrations.services.sending import (
    SENDERS,
    PossibleDuplicateCustomer,
    avalara_send_request,
)
from nuvo.api import api_member

# The guide's codes as HTTP: the integration's state is a conflict, Avalara's trouble a gateway's.
STATUS_FOR_CODE = {
    ErrorCode.CREDENTIALS_NOT_CONFIGURED: status.HTTP_409_CONFLICT,
    ErrorCode.NO_CERTIFICATES_FOUND: status.HTTP_409_CONFLICT,
    ErrorCode.COMPANY_MISMATCH: status.HTTP_409_CONFLICT,
    ErrorCode.UNABLE_TO_CONNECT: status.HTTP_503_SERVICE_UNAVAILABLE,
}

ErrorBody = inline_serializer(
    "AvalaraErrorBody",
    {
        "code": serializers.CharField(),
        "detail": serializers.CharField(),
        "resolution": serializers.CharField(),
    },
)


def avalara_error_response(error: AvalaraError) -> Response:
    return Response(
        {"code": str(error.code), "detail": error.summary, "resolution": error.resolution},
        status=STATUS_FOR_CODE.get(error.code, status.HTTP_502_BAD_GATEWAY),
    )


class SendItemSerializer(serializers.ModelSerializer):
    certificate = serializers.IntegerField(source="certificate_id")
    resolution = serializers.SerializerMethodField()

    class Meta:
        model = AvalaraCertificate
        fields = [
            "id",
            "certificate",
            "region",
            "exposure_zone",
            "state",
            "avalara_id",
            "error_code",
            "error_message",
            "resolution",
            "held_until",
            "sent_at",
        ]
        read_only_fields = fields

    def get_resolution(self, row) -> str:
        try:
            return ErrorCode(row.error_code).resolution if row.error_code else ""
        except ValueError:
            return ""


class SendSerializer(serializers.ModelSerializer):
    customer_code = serializers.CharField(source="customer.avalara.customer_code")
    url = serializers.SerializerMethodField()
    certificates = serializers.SerializerMethodField()

    class Meta:
        model = AvalaraSend
        fields = [
            "id",
            "url",
            "customer",
            "application",
            "customer_code",
            "company_id",
            "trigger",
            "status",
            "error_code",
            "error_message",
            "created_at",
            "started_at",
            "finished_at",
            "certificates",
        ]
        read_only_fields = fields

    def get_url(self, send) -> str:
        return reverse("api:avalara-send", kwargs={"pk": send.pk})

    @extend_schema_field(SendItemSerializer(many=True))
    def get_certificates(self, send) -> list[dict]:
        return SendItemSerializer(
            [item.row for item in selectors.send_progress(send=send)], many=True
        ).data


class _SendView(APIView):
    def _require_sender(self, request):
        member = api_member(request)
        if not member.has_any(*SENDERS):
            raise PermissionDenied("Sending to Avalara needs the credit analyst or admin role.")
        return member

    def _send(self, request, *, customer, application=None):
        member = self._require_sender(request)
        try:
            result = avalara_send_request(
                member=member,
                customer=customer,
                application=application,
                trigger=AvalaraSend.Trigger.API,
            )
        except PossibleDuplicateCustomer as refusal:
            return Response(
                {
                    "code": refusal.code,
                    "detail": refusal.message,
                    "matches": [match.pk for match in refusal.matches],
                },
                status=status.HTTP_409_CONFLICT,
            )
        except SendBlocked as blocked:
            return Response(
                {
                    "code": blocked.code,
                    "detail": blocked.message,
                    "problems": [problem.as_api() for problem in blocked.check.problems],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        except AvalaraError as error:
            return avalara_error_response(error)
        send = selectors.avalara_send_get(member=member, pk=result.send.pk)
        return Response(SendSerializer(send).data, status=status.HTTP_202_ACCEPTED)


SEND_RESPONSES = {
    202: SendSerializer,
    400: OpenApiResponse(
        inline_serializer(
            "SendBlockedBody",
            {
                "code": serializers.CharField(),
                "detail": serializers.CharField(),
                "problems": inline_serializer(
                    "SendProblem",
                    {
                        "code": serializers.CharField(),
                        "field": serializers.CharField(),
                        "message": serializers.CharField(),
                    },
                    many=True,
                ),
            },
        ),
        description="Avalara would refuse it: the problems, each with the field that fixes it",
    ),
    409: OpenApiResponse(ErrorBody, description="Not connected, no certificates, another company"),
    403: OpenApiResponse(description="Needs the credit analyst or admin role"),
    404: OpenApiResponse(description="Not found in your organization"),
}


class CustomerSendView(_SendView):
    @extend_schema(request=None, responses=SEND_RESPONSES, operation_id="customers_send_to_avalara")
    def post(self, request, pk: int):
        """Send the customer and every certificate Avalara lacks; poll the send for progress."""
        customer = creditapps_selectors.customer_get(member=api_member(request), pk=pk)
        return self._send(request, customer=customer)


class ApplicationSendView(_SendView):
    @extend_schema(
        request=None, responses=SEND_RESPONSES, operation_id="credit_applications_send_to_avalara"
    )
    def post(self, request, pk: int):
        """Send the application's customer to Avalara (as More > Send to Avalara does)."""
        application = creditapps_selectors.application_get(member=api_member(request), pk=pk)
        return self._send(request, customer=application.customer, application=application)


class SendDetailView(_SendView):
    @extend_schema(responses={200: SendSerializer, 404: None})
    def get(self, request, pk: int):
        """A send's progress, per certificate and region."""
        member = self._require_sender(request)
        return Response(SendSerializer(selectors.avalara_send_get(member=member, pk=pk)).data)
