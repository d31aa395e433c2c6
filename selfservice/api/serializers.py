"""Output serializers of the self-service API (inputs sit next to their views)."""

from rest_framework import serializers


class KycReasonOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    fix = serializers.CharField()
    article_slug = serializers.CharField()


class KycLevelOutputSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    # The serializer metaclass moves declared fields off the class, so this
    # does not shadow the Field.label attribute at runtime; the stubs cannot know that.
    label = serializers.CharField()  # type: ignore[assignment]
    status = serializers.CharField()
    status_label = serializers.CharField()
    reasons = KycReasonOutputSerializer(many=True)
    estimated_review_hours = serializers.IntegerField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)


class KycChangeOutputSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    status = serializers.CharField()
    reason_codes = serializers.ListField(child=serializers.CharField())
    occurred_at = serializers.DateTimeField()


class KycStatusOutputSerializer(serializers.Serializer):
    levels = KycLevelOutputSerializer(many=True)
    timeline = KycChangeOutputSerializer(many=True)


class CheckItemOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    status = serializers.ChoiceField(choices=["ok", "warn", "risk"])
    title = serializers.CharField()
    advice = serializers.CharField()
    url = serializers.CharField()


class SignInOutputSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    device = serializers.CharField()
    network = serializers.CharField()
    is_unusual = serializers.BooleanField()


class SecurityChecklistOutputSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    items = CheckItemOutputSerializer(many=True)
    sign_ins = SignInOutputSerializer(many=True)


class ChannelVerdictOutputSerializer(serializers.Serializer):
    value = serializers.CharField()
    kind = serializers.CharField()
    official = serializers.BooleanField()
    verdict = serializers.SerializerMethodField()
    headline = serializers.CharField()
    flags = serializers.ListField(child=serializers.CharField())
    lookalike_of = serializers.CharField()
    ascii_host = serializers.CharField()
    advice = serializers.ListField(child=serializers.CharField())

    def get_verdict(self, obj) -> str:
        return "official" if obj.official else "not_official"
