from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from integrations.models import AvalaraConnection
from integrations.selectors import avalara_connection_get
from nuvo.api import api_member


class AvalaraConnectionSerializer(serializers.ModelSerializer):
    """What members may know about the integration; the password/license key is never included.

    The username (or account ID) is half of the credentials: only admins, who connected it, see it.
    """

    # Not read-only, so the schema leaves it out of the required fields (others never get it).
    username = serializers.CharField(required=False, help_text="Admins only.")

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
        read_only_fields = [name for name in fields if name != "username"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        member = self.context.get("member")
        if member is None or not member.is_admin:
            data.pop("username")
        return data


class AvalaraConnectionView(APIView):
    @extend_schema(responses={200: AvalaraConnectionSerializer, 404: None})
    def get(self, request):
        """The organization's Avalara connection status."""
        connection = avalara_connection_get(organization=api_member(request).organization)
        if connection is None:
            return Response({"status": "not_connected"}, status=404)
        return Response(
            AvalaraConnectionSerializer(connection, context={"member": api_member(request)}).data
        )
