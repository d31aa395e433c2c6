"""The agent console for self-service records: read-only and masked.

Agents see status data about a customer, never more than they need to match
a ticket: e-mail and UID are masked, and nothing here can be edited by hand
(the exchange's events and the services are the only writers).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .masking import mask_email, mask_uid
from .models import (
    IntegrationEvent,
    KycChange,
    KycLevel,
    PasswordChange,
    SecuritySnapshot,
    SignIn,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    list_select_related = ("user",)
    search_fields = ("=user__exchange_uid", "=user__email")
    show_full_result_count = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("customer"))
    def customer(self, obj):
        if obj.user_id is None:
            return "—"
        return f"{mask_email(obj.user.email)} · UID {mask_uid(obj.user.exchange_uid)}"

    def get_fields(self, request, obj=None):
        names = [
            f.name
            for f in self.model._meta.concrete_fields
            if f.name not in ("id", "user") and not f.name.endswith("_by")
        ]
        return [*names, "customer"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


@admin.register(IntegrationEvent)
class IntegrationEventAdmin(ReadOnlyAdmin):
    list_display = ("event_id", "type", "customer", "occurred_at", "received_at")
    list_filter = ("type",)
    search_fields = ("=event_id", "=user__exchange_uid", "=user__email")
    date_hierarchy = "received_at"


@admin.register(KycLevel)
class KycLevelAdmin(ReadOnlyAdmin):
    list_display = ("customer", "level", "status", "reason_codes", "updated_at")
    list_filter = ("level", "status")


@admin.register(KycChange)
class KycChangeAdmin(ReadOnlyAdmin):
    list_display = ("customer", "level", "status", "reason_codes", "occurred_at")
    list_filter = ("level", "status")


@admin.register(SecuritySnapshot)
class SecuritySnapshotAdmin(ReadOnlyAdmin):
    list_display = (
        "customer",
        "withdrawal_whitelist_enabled",
        "anti_phishing_code_set",
        "api_key_count",
        "as_of",
    )

    @admin.display(description=_("API keys"))
    def api_key_count(self, obj):
        return len(obj.api_keys)


@admin.register(SignIn)
class SignInAdmin(ReadOnlyAdmin):
    list_display = ("customer", "created_at", "network", "device", "new_network", "new_device")
    list_filter = ("new_network", "new_device")


@admin.register(PasswordChange)
class PasswordChangeAdmin(ReadOnlyAdmin):
    list_display = ("customer", "kind", "changed_at")
