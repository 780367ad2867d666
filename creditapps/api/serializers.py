from rest_framework import serializers

from creditapps.models import (
    ApplicationEvent,
    CreditApplication,
    Customer,
    InfoRequest,
    TradeReference,
)
from creditapps.services.duties import approval_refusal
from nuvo.regions import REGION_CODES


class CustomerSerializer(serializers.ModelSerializer):
    ship_to_states = serializers.ListField(
        child=serializers.ChoiceField(choices=REGION_CODES), required=False
    )
    region = serializers.ChoiceField(choices=REGION_CODES, required=False, allow_blank=True)

    class Meta:
        model = Customer
        fields = ["id", *Customer.DETAIL_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class TradeReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = TradeReference
        fields = ["company_name", "contact_name", "phone", "email"]


class ApplicationEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationEvent
        fields = ["kind", "actor_name", "message", "created_at"]


class CreditApplicationSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    customer_name = serializers.CharField(source="customer.legal_name", read_only=True)
    trade_references = TradeReferenceSerializer(many=True, read_only=True)
    awaiting_approval = serializers.BooleanField(read_only=True)

    class Meta:
        model = CreditApplication
        fields = [
            "id",
            "reference",
            "customer",
            "customer_name",
            "status",
            "awaiting_approval",
            "requested_credit_limit",
            "requested_terms",
            "bank_name",
            "bank_contact_name",
            "bank_phone",
            "bank_account_type",
            "trade_references",
            "submitted_at",
            "assigned_analyst",
            "approval_requested_at",
            "approval_requested_by",
            "approved_credit_limit",
            "approved_terms",
            "decision_comment",
            "decided_by",
            "decided_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CreditApplicationDetailSerializer(CreditApplicationSerializer):
    timeline = ApplicationEventSerializer(source="events", many=True, read_only=True)
    approval_blocked_reason = serializers.SerializerMethodField(
        help_text="Why the caller may not approve it (separation of duties), or empty."
    )

    class Meta(CreditApplicationSerializer.Meta):
        fields = [*CreditApplicationSerializer.Meta.fields, "approval_blocked_reason", "timeline"]
        read_only_fields = fields

    def get_approval_blocked_reason(self, application: CreditApplication) -> str:
        member = self.context.get("member")
        if member is None or not application.awaiting_approval:
            return ""
        return approval_refusal(member=member, application=application)


class CreditApplicationCreateSerializer(serializers.Serializer):
    customer = serializers.IntegerField()
    requested_credit_limit = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=1)
    requested_terms = serializers.ChoiceField(choices=CreditApplication.Terms.choices)
    bank_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    bank_contact_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    bank_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    bank_account_type = serializers.CharField(required=False, allow_blank=True, max_length=40)
    trade_references = TradeReferenceSerializer(
        many=True,
        required=False,
        max_length=TradeReference.MAX_PER_APPLICATION,
        help_text=f"At most {TradeReference.MAX_PER_APPLICATION}.",
        error_messages={
            "max_length": f"Give at most {TradeReference.MAX_PER_APPLICATION} trade references."
        },
    )


class RequestInfoSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.ChoiceField(choices=InfoRequest.Item.choices), allow_empty=False
    )
    message = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    recipient_email = serializers.EmailField(required=False, allow_blank=True)


class InfoRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = InfoRequest
        fields = ["id", "recipient_email", "requested_items", "message", "created_at", "expires_at"]


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ApproveSerializer(serializers.Serializer):
    credit_limit = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=1)
    terms = serializers.ChoiceField(choices=CreditApplication.Terms.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    limit_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4000,
        help_text="Required when credit_limit is above the requested limit.",
    )


class DeclineSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=4000)
