from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle

from ..models import Ticket
from ..selectors import ticket_list_for_requester, tickets_for_staff_api
from ..services import (
    ticket_close,
    ticket_idempotent_open,
    ticket_open,
    ticket_rate,
    ticket_reply_as_requester,
)
from .filters import AgentTicketFilter, TicketFilter
from .serializers import (
    AgentTicketOutputSerializer,
    MessageCreateInputSerializer,
    MessageOutputSerializer,
    RatingInputSerializer,
    RatingOutputSerializer,
    TicketCreateInputSerializer,
    TicketDetailOutputSerializer,
    TicketOutputSerializer,
)


class TicketCreateUserThrottle(UserRateThrottle):
    scope = "tickets_create_user"


class TicketCreateIPThrottle(SimpleRateThrottle):
    """Per client IP, whoever is signed in: one person with many accounts."""

    scope = "tickets_create_ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _service_call(fn, **kwargs):
    """Run a service, turning its errors into DRF's 400 / 404."""
    try:
        return fn(**kwargs)
    except DjangoValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        raise ValidationError(detail) from exc
    except DjangoPermissionDenied as exc:
        raise Http404 from exc


class TicketViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The requester's own tickets. Foreign references are 404."""

    lookup_field = "reference"
    lookup_value_regex = "T-[0-9A-Z]{1,18}"
    filterset_class = TicketFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Ticket.objects.none()
        return ticket_list_for_requester(user=self.request.user)

    def get_serializer_class(self):
        return TicketDetailOutputSerializer if self.action == "retrieve" else TicketOutputSerializer

    def get_throttles(self):
        if self.action == "create":
            return [TicketCreateUserThrottle(), TicketCreateIPThrottle()]
        return super().get_throttles()

    @extend_schema(
        request=TicketCreateInputSerializer,
        responses={201: TicketDetailOutputSerializer, 200: TicketDetailOutputSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    def create(self, request, *args, **kwargs):
        serializer = TicketCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        key = request.headers.get("Idempotency-Key", "").strip()
        params = {
            "subject": data["subject"],
            "body": data["body"],
            "category": data["category"],
            "intake": data["intake"],
            "language": data.get("language") or request.LANGUAGE_CODE,
            "channel": data["channel"],
            "attachments": data["attachments"],
        }
        if key:
            ticket, created = _service_call(
                ticket_idempotent_open, user=request.user, key=key, **params
            )
        else:
            ticket, created = _service_call(ticket_open, requester=request.user, **params), True
        return Response(
            TicketDetailOutputSerializer(ticket).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=MessageCreateInputSerializer, responses={201: MessageOutputSerializer})
    @action(detail=True, methods=["post"])
    def messages(self, request, reference=None):
        ticket = self.get_object()
        serializer = MessageCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = _service_call(
            ticket_reply_as_requester,
            ticket=ticket,
            user=request.user,
            body=serializer.validated_data["body"],
            attachments=serializer.validated_data["attachments"],
        )
        return Response(MessageOutputSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: TicketOutputSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, reference=None):
        ticket = _service_call(ticket_close, ticket=self.get_object(), user=request.user)
        return Response(TicketOutputSerializer(ticket).data)

    @extend_schema(request=RatingInputSerializer, responses={201: RatingOutputSerializer})
    @action(detail=True, methods=["post"])
    def rating(self, request, reference=None):
        ticket = self.get_object()
        serializer = RatingInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rating = _service_call(
            ticket_rate, ticket=ticket, user=request.user, **serializer.validated_data
        )
        return Response(RatingOutputSerializer(rating).data, status=status.HTTP_201_CREATED)


class IsTicketStaff(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.is_staff
            and user.has_perm("tickets.view_ticket")
        )


class AgentTicketViewSet(viewsets.ReadOnlyModelViewSet):
    """All tickets with agent fields, for integrations with a staff token."""

    lookup_field = "reference"
    lookup_value_regex = "T-[0-9A-Z]{1,18}"
    permission_classes = [IsTicketStaff]
    serializer_class = AgentTicketOutputSerializer
    filterset_class = AgentTicketFilter

    def get_queryset(self):
        return tickets_for_staff_api()
