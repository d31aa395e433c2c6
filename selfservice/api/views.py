"""The self-service API: each view parses, calls one selector or service, and answers."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ..selectors import kyc_status_for, security_checklist_for
from .serializers import KycStatusOutputSerializer, SecurityChecklistOutputSerializer


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
