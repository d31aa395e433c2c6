"""POST /api/integrations/events/: the exchange's signed events."""

import json

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import IntegrationEvent, KycLevel
from ..services import integration_event_receive, signature_verify

REASON_CODE = r"^[A-Z][A-Z0-9_]{1,39}$"


class EnvelopeInputSerializer(serializers.Serializer):
    event_id = serializers.RegexField(r"^[A-Za-z0-9_.:-]{8,100}$")
    type = serializers.CharField(max_length=40)
    occurred_at = serializers.DateTimeField()
    # The serializer metaclass moves declared fields off the class, so this
    # does not shadow the Serializer.data property at runtime; the stubs cannot know that.
    data = serializers.DictField()  # type: ignore[assignment]

    def validate_type(self, value: str) -> str:
        if value not in IntegrationEvent.Type.values:
            raise serializers.ValidationError(
                f"Unknown event type; expected one of {', '.join(IntegrationEvent.Type.values)}.",
                code="unknown_type",
            )
        return value


class _UidSerializer(serializers.Serializer):
    uid = serializers.RegexField(r"^[0-9A-Za-z]{4,32}$")


class KycDataInputSerializer(_UidSerializer):
    level = serializers.ChoiceField(choices=KycLevel.Level.values)
    status = serializers.ChoiceField(choices=KycLevel.Status.values)
    reason_codes = serializers.ListField(
        child=serializers.RegexField(REASON_CODE), max_length=20, required=False, default=list
    )
    estimated_review_hours = serializers.IntegerField(
        min_value=0, max_value=24 * 90, required=False, allow_null=True, default=None
    )


class ApiKeyInputSerializer(serializers.Serializer):
    # The serializer metaclass moves declared fields off the class, so this
    # does not shadow the Field.label attribute at runtime; the stubs cannot know that.
    label = serializers.CharField(max_length=60)  # type: ignore[assignment]
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=["read", "trade", "withdraw"]), max_length=3
    )
    last_used_at = serializers.DateTimeField(allow_null=True, required=False, default=None)


class SecurityDataInputSerializer(_UidSerializer):
    withdrawal_whitelist_enabled = serializers.BooleanField()
    anti_phishing_code_set = serializers.BooleanField()
    # ListSerializer takes max_length; the stubs do not list it.
    api_keys = ApiKeyInputSerializer(many=True, max_length=50)  # type: ignore[call-arg]


class AccountDataInputSerializer(_UidSerializer):
    pass


class ChainDataInputSerializer(serializers.Serializer):
    network = serializers.RegexField(r"^[A-Z0-9_-]{2,20}$")
    deposits_enabled = serializers.BooleanField()
    withdrawals_enabled = serializers.BooleanField()
    notice = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


DATA_SERIALIZERS = {
    IntegrationEvent.Type.KYC_UPDATED: KycDataInputSerializer,
    IntegrationEvent.Type.SECURITY_SNAPSHOT: SecurityDataInputSerializer,
    IntegrationEvent.Type.ACCOUNT_FROZEN: AccountDataInputSerializer,
    IntegrationEvent.Type.ACCOUNT_UNFROZEN: AccountDataInputSerializer,
    IntegrationEvent.Type.CHAIN_STATUS: ChainDataInputSerializer,
}


def _error(status: int, code: str, detail) -> Response:
    return Response({"error": code, "detail": detail}, status=status)


class IntegrationEventView(APIView):
    """Signed with HMAC-SHA256 over ``X-Timestamp + "." + body``; idempotent by event_id."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes: list = []  # the signature covers the raw body, so we parse it ourselves

    @extend_schema(request=EnvelopeInputSerializer, responses={200: None})
    def post(self, request):
        body = request.body
        try:
            signature_verify(
                timestamp=request.headers.get("X-Timestamp", ""),
                signature=request.headers.get("X-Signature", ""),
                body=body,
            )
        except ValidationError as exc:
            return _error(401, exc.code or "unsigned", exc.messages[0])
        try:
            payload = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return _error(400, "malformed_json", "The body is not valid JSON.")
        if not isinstance(payload, dict):
            return _error(400, "malformed_json", "The body must be a JSON object.")
        envelope = EnvelopeInputSerializer(data=payload)
        if not envelope.is_valid():
            codes = envelope.errors.get("type", [])
            code = "unknown_type" if any(c.code == "unknown_type" for c in codes) else "invalid"
            return _error(400, code, envelope.errors)
        event = envelope.validated_data
        data = DATA_SERIALIZERS[event["type"]](data=event["data"])
        if not data.is_valid():
            return _error(400, "invalid", {"data": data.errors})
        try:
            stored, created = integration_event_receive(
                event_id=event["event_id"],
                type=event["type"],
                occurred_at=event["occurred_at"],
                data=data.validated_data,
            )
        except ValidationError as exc:
            return _error(422, exc.code or "rejected", exc.messages[0])
        if not created:
            return Response({"status": "duplicate", "event_id": stored.event_id})
        matched = stored.user_id is not None or stored.type == IntegrationEvent.Type.CHAIN_STATUS
        return Response(
            {
                "status": "accepted" if matched else "ignored_unknown_account",
                "event_id": stored.event_id,
            }
        )
