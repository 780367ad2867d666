from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from integrations.models import AvalaraConnection
from integrations.selectors import avalara_connection_get
from nuvo.api import api_member


class AvalaraConnectionSerializer(serializers.ModelSerializer):
    """What members may know about the integration; the password/license key is never included."""

    class Meta:
        model = AvalaraConnection
        fields = [
            "status",
            "environment",
            "username",
            "company_id",
            "company_code",
            "company_name",
            "ecm_status",
            "connected_at",
            "last_tested_at",
            "last_test_ok",
            "last_error_code",
            "disconnected_at",
        ]
        read_only_fields = fields


class AvalaraConnectionView(APIView):
    @extend_schema(responses={200: AvalaraConnectionSerializer, 404: None})
    def get(self, request):
        """The organization's Avalara connection status."""
        connection = avalara_connection_get(organization=api_member(request).organization)
        if connection is None:
            return Response({"status": "not_connected"}, status=404)
        return Response(AvalaraConnectionSerializer(connection).data)
