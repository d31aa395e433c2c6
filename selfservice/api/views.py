"""The self-service API: each view parses, calls one selector or service, and answers."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ..selectors import kyc_status_for
from .serializers import KycStatusOutputSerializer


class KycStatusView(APIView):
    """The signed-in user's own verification levels; status data only."""

    @extend_schema(responses=KycStatusOutputSerializer)
    def get(self, request):
        return Response(KycStatusOutputSerializer(kyc_status_for(user=request.user)).data)
