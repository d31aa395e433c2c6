"""The self-service API: each view parses, calls one selector or service, and answers."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from ..models import ChainNetwork
from ..selectors import (
    channel_verify,
    deposit_trace,
    kyc_status_for,
    security_checklist_for,
    txid_matches,
)
from ..verifier import MAX_LENGTH
from .serializers import (
    ChannelVerdictOutputSerializer,
    KycStatusOutputSerializer,
    SecurityChecklistOutputSerializer,
)


class KycStatusView(APIView):
    """The signed-in user's own verification levels; status data only."""

    @extend_schema(responses=KycStatusOutputSerializer)
    def get(self, request):
        return Response(KycStatusOutputSerializer(kyc_status_for(user=request.user)).data)


class SecurityCheckView(APIView):
    """The signed-in user's security checklist: items with key, status, advice, url; a score."""

    @extend_schema(responses=SecurityChecklistOutputSerializer)
    def get(self, request):
        session = getattr(request, "session", None)
        checklist = security_checklist_for(
            user=request.user, current_session_key=session.session_key if session else None
        )
        return Response(SecurityChecklistOutputSerializer(checklist).data)


class DepositTraceInputSerializer(serializers.Serializer):
    coin = serializers.RegexField(r"^[A-Za-z0-9]{2,10}$")
    network = serializers.SlugRelatedField(slug_field="code", queryset=ChainNetwork.objects.all())
    txid = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    memo = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    def validate(self, data):
        network = data["network"]
        data["coin"] = data["coin"].upper()
        if data["coin"] not in network.coin_list:
            raise serializers.ValidationError(
                {"coin": _("This coin is not deposited on this network.")}
            )
        if not txid_matches(network=network, txid=data["txid"]):
            raise serializers.ValidationError(
                {"txid": _("Not a valid transaction ID for this network.")}
            )
        return data


class DepositTraceOutputSerializer(serializers.Serializer):
    verdict = serializers.CharField()
    network = serializers.CharField(source="network.code")
    confirmations = serializers.IntegerField(allow_null=True)
    required_confirmations = serializers.IntegerField()
    wait_minutes = serializers.IntegerField(allow_null=True)
    deposits_enabled = serializers.BooleanField(source="network.deposits_enabled")
    notice = serializers.CharField(source="network.notice")


class DepositTraceView(APIView):
    """Trace a deposit by TXID: confirmations against the network's requirement, and a verdict."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "selfservice_trace"

    @extend_schema(request=DepositTraceInputSerializer, responses=DepositTraceOutputSerializer)
    def post(self, request):
        serializer = DepositTraceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        trace = deposit_trace(
            network=data["network"], txid=data["txid"], address=data["address"], memo=data["memo"]
        )
        return Response(DepositTraceOutputSerializer(trace).data)


class ChannelVerifyInputSerializer(serializers.Serializer):
    value = serializers.CharField(max_length=MAX_LENGTH)


class ChannelVerifyView(APIView):
    """Is this website, e-mail address, phone number or handle one of ours?"""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "selfservice_verify"

    @extend_schema(
        parameters=[ChannelVerifyInputSerializer], responses=ChannelVerdictOutputSerializer
    )
    def get(self, request):
        serializer = ChannelVerifyInputSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        verdict = channel_verify(value=serializer.validated_data["value"])
        return Response(ChannelVerdictOutputSerializer(verdict).data)
