import copy
import json
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Attachment, Message, Ticket

# What a requester may never set; sending any of these is a 400, not ignored,
# so a client bug shows up instead of silently doing nothing.
FORBIDDEN_FIELDS = (
    "status",
    "priority",
    "assignee",
    "team",
    "tags",
    "is_internal",
    "internal",
    "kind",
    "requester",
)


@extend_schema_field(OpenApiTypes.OBJECT)
class JSONObjectField(serializers.Field):
    """An object in JSON bodies; a JSON string in multipart forms."""

    default_error_messages = {"invalid": "Send a JSON object of the category's details."}

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                self.fail("invalid")
        if not isinstance(data, dict):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class RefuseForbiddenMixin:
    def validate(self, attrs):
        sent = set(getattr(self, "initial_data", {}) or {})
        refused = sorted(sent & set(FORBIDDEN_FIELDS))
        if refused:
            raise serializers.ValidationError(
                {name: ["This field cannot be set by the requester."] for name in refused}
            )
        return attrs


class BuiltOnceModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that builds its fields from the model once.

    DRF rebuilds every field from the model's metadata for each instance,
    which was a sixth of the time of a ticket created through the API. What
    it builds depends only on the class and, through the labels, the active
    language; so each (class, language) builds once and every instance gets
    copies, as a plain Serializer does with its declared fields.
    """

    _built_fields: dict[tuple[type, str | None], dict] = {}

    def get_fields(self) -> dict[str, serializers.Field]:
        key = (type(self), get_language())
        built = self._built_fields.get(key)
        if built is None:
            built = self._built_fields[key] = super().get_fields()
        return copy.deepcopy(built)


class TicketCreateInputSerializer(RefuseForbiddenMixin, serializers.Serializer):
    category = serializers.ChoiceField(choices=Ticket.Category.choices)
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=10000)
    intake = JSONObjectField(required=False, default=dict)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    channel = serializers.ChoiceField(
        choices=[Ticket.Channel.WEB, Ticket.Channel.APP], default=Ticket.Channel.WEB
    )
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=5
    )


class MessageCreateInputSerializer(RefuseForbiddenMixin, serializers.Serializer):
    body = serializers.CharField(max_length=10000)
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=5
    )


class RatingInputSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class AttachmentOutputSerializer(BuiltOnceModelSerializer):
    url = serializers.SerializerMethodField()
    name = serializers.CharField(source="original_name")

    class Meta:
        model = Attachment
        fields = ("name", "content_type", "size", "url")

    def get_url(self, obj) -> str:
        return reverse("tickets:attachment-download", args=[obj.pk])


class MessageOutputSerializer(BuiltOnceModelSerializer):
    author = serializers.SerializerMethodField()
    attachments = AttachmentOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = ("author", "kind", "body", "created_at", "attachments")

    def get_author(self, obj) -> str:
        if obj.kind == Message.Kind.SYSTEM:
            return "system"
        return "requester" if obj.author_id == obj.ticket.requester_id else "agent"


class TicketOutputSerializer(BuiltOnceModelSerializer):
    class Meta:
        model = Ticket
        fields: tuple[str, ...] = (
            "reference",
            "subject",
            "category",
            "status",
            "language",
            "channel",
            "intake",
            "created_at",
            "updated_at",
        )


class TicketDetailOutputSerializer(TicketOutputSerializer):
    messages = serializers.SerializerMethodField()

    class Meta(TicketOutputSerializer.Meta):
        fields = (*TicketOutputSerializer.Meta.fields, "messages")

    def get_messages(self, obj) -> list[dict]:
        from ..selectors import messages_public

        messages: Iterable[Message]
        if "messages" in getattr(obj, "_prefetched_objects_cache", {}):
            # A ticket just opened carries its thread (ticket_open): no reads.
            messages = [m for m in obj.messages.all() if not m.is_internal]
        else:
            # Fetched through obj.messages, each message already knows its
            # ticket; the author is told apart by id, so no user rows either.
            messages = messages_public(ticket=obj).select_related(None)
        return list(MessageOutputSerializer(messages, many=True).data)


class RatingOutputSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class AgentTicketOutputSerializer(BuiltOnceModelSerializer):
    requester = serializers.EmailField(source="requester.email")
    requester_exchange_uid = serializers.CharField(source="requester.exchange_uid")
    assignee = serializers.EmailField(source="assignee.email", default=None)
    team = serializers.CharField(source="team.slug", default=None)

    class Meta:
        model = Ticket
        fields: tuple[str, ...] = (
            "reference",
            "subject",
            "category",
            "status",
            "priority",
            "language",
            "channel",
            "tags",
            "requester",
            "requester_exchange_uid",
            "assignee",
            "team",
            "needs_routing",
            "first_response_due",
            "resolution_due",
            "first_response_breached",
            "next_response_breached",
            "resolution_breached",
            "created_at",
            "updated_at",
        )
