from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from creditapps import selectors, services
from creditapps.api import serializers
from creditapps.forms import WAITING_FOR_APPROVAL, ApplicationFilterForm
from creditapps.models import CreditApplication, Customer
from creditapps.services import ApplicationData, TradeReferenceData
from nuvo.api import api_member
from nuvo.roles import Role


class CustomerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = serializers.CustomerSerializer
    queryset = Customer.objects.none()
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.customer_list(
            member=api_member(self.request), search=self.request.query_params.get("search", "")
        )

    @extend_schema(parameters=[OpenApiParameter("search", str, description="Name, DBA or email")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.customer_create(
            member=api_member(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.customer_update(
            member=api_member(self.request),
            customer=serializer.instance,
            **serializer.validated_data,
        )


class CreditApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = CreditApplication.objects.none()
    lookup_value_regex = "[0-9]+"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.CreditApplicationDetailSerializer
        return serializers.CreditApplicationSerializer

    def get_queryset(self):
        member = api_member(self.request)
        # The list page's filter form, strictly: a filter the API cannot apply is a 400.
        params = self.request.query_params.copy()
        params.setlist("q", params.getlist("search"))
        form = ApplicationFilterForm(
            params,
            analysts=selectors.organization_users(
                organization=member.organization, role=Role.CREDIT_ANALYST
            ),
        )
        if not form.is_valid():
            raise ValidationError(form.errors)
        return selectors.application_list(member=member, filters=form.to_filters())

    def get_object(self) -> CreditApplication:
        return selectors.application_get(member=api_member(self.request), pk=self.kwargs["pk"])

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", str, enum=[*CreditApplication.Status.values, WAITING_FOR_APPROVAL]
            ),
            OpenApiParameter("search", str, description="Customer name, DBA or email"),
            OpenApiParameter("awaiting_approval", bool),
            OpenApiParameter("analyst", str, description="An analyst's user id, or `unassigned`"),
            OpenApiParameter(
                "sort",
                str,
                enum=[value for value, _ in ApplicationFilterForm.base_fields["sort"].choices],
            ),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=serializers.CreditApplicationCreateSerializer,
        responses={201: serializers.CreditApplicationSerializer},
    )
    def create(self, request):
        """Start a draft application for an existing customer."""
        member = api_member(request)
        payload = serializers.CreditApplicationCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        customer = selectors.customer_get(member=member, pk=data.pop("customer"))
        references = [TradeReferenceData(**ref) for ref in data.pop("trade_references", [])]
        application = services.application_create(
            member=member,
            customer=customer,
            data=ApplicationData(**data, trade_references=references),
        )
        return Response(
            serializers.CreditApplicationSerializer(application).data,
            status=status.HTTP_201_CREATED,
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "member": api_member(self.request)}

    def _respond(self, application):
        return Response(
            serializers.CreditApplicationDetailSerializer(
                application, context=self.get_serializer_context()
            ).data
        )

    @extend_schema(request=None, responses=serializers.CreditApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = self.get_object()
        services.application_submit(member=api_member(request), application=application)
        return self._respond(application)

    @extend_schema(request=None, responses=serializers.CreditApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request, pk=None):
        application = self.get_object()
        services.application_start_review(member=api_member(request), application=application)
        return self._respond(application)

    @extend_schema(
        request=serializers.RequestInfoSerializer,
        responses={201: serializers.InfoRequestSerializer},
    )
    @action(detail=True, methods=["post"], url_path="request-info")
    def request_info(self, request, pk=None):
        application = self.get_object()
        payload = serializers.RequestInfoSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        info_request = services.application_request_info(
            member=api_member(request), application=application, **payload.validated_data
        )
        return Response(
            serializers.InfoRequestSerializer(info_request).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=serializers.NoteSerializer, responses=serializers.CreditApplicationDetailSerializer
    )
    @action(detail=True, methods=["post"], url_path="request-approval")
    def request_approval(self, request, pk=None):
        application = self.get_object()
        payload = serializers.NoteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.application_request_approval(
            member=api_member(request), application=application, **payload.validated_data
        )
        return self._respond(application)

    @extend_schema(
        request=serializers.ApproveSerializer,
        responses=serializers.CreditApplicationDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        application = self.get_object()
        payload = serializers.ApproveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.application_approve(
            member=api_member(request), application=application, **payload.validated_data
        )
        return self._respond(application)

    @extend_schema(
        request=serializers.DeclineSerializer,
        responses=serializers.CreditApplicationDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        application = self.get_object()
        payload = serializers.DeclineSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.application_decline(
            member=api_member(request), application=application, **payload.validated_data
        )
        return self._respond(application)
