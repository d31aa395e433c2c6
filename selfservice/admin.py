"""The agent console for self-service records: read-only and masked.

Agents see status data about a customer, never more than they need to match
a ticket: e-mail and UID are masked, and nothing here can be edited by hand
(the exchange's events and the services are the only writers).
"""

from typing import ClassVar

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .masking import mask_email, mask_uid
from .models import (
    AccountFreeze,
    Answer,
    ChainNetwork,
    IntegrationEvent,
    KycChange,
    KycLevel,
    OfficialChannel,
    OutboundWebhook,
    PasswordChange,
    SecuritySnapshot,
    SignIn,
    Step,
    Tree,
    WebhookAttempt,
)
from .selectors import troubleshooter_dropoff
from .services import freeze_unfreeze_approve, freeze_unfreeze_request, outbound_webhook_retry_now


class ReadOnlyAdmin(admin.ModelAdmin):
    list_select_related: ClassVar[tuple[str, ...]] = ("user",)
    search_fields: ClassVar[tuple[str, ...]] = ("=user__exchange_uid", "=user__email")
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


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    fields = ("attempted_at", "status_code", "error", "duration_ms")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboundWebhook)
class OutboundWebhookAdmin(admin.ModelAdmin):
    list_display = ("type", "event_id", "status", "attempt_count", "next_attempt_at", "created_at")
    list_filter = ("status", "type")
    search_fields = ("=event_id",)
    readonly_fields = (
        "event_id",
        "type",
        "url",
        "status",
        "attempt_count",
        "next_attempt_at",
        "created_at",
        "delivered_at",
        "masked_payload",
    )
    fields = readonly_fields
    inlines = [WebhookAttemptInline]
    actions = ["retry_now"]
    show_full_result_count = False

    @admin.display(description=_("payload"))
    def masked_payload(self, obj):
        data = dict(obj.payload.get("data", {}))
        if "uid" in data:
            data["uid"] = mask_uid(data["uid"])
        return {**obj.payload, "data": data}

    @admin.action(description=_("Retry now"), permissions=["change"])
    def retry_now(self, request, queryset):
        for webhook in queryset.exclude(status=OutboundWebhook.Status.DELIVERED):
            outbound_webhook_retry_now(webhook=webhook)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccountFreeze)
class AccountFreezeAdmin(ReadOnlyAdmin):
    """Two people lift a freeze: an agent requests (with a note), a senior agent approves."""

    list_display = (
        "customer",
        "source",
        "created_at",
        "unfreeze_requested_by",
        "unfreeze_approved_by",
        "lifted_at",
    )
    list_filter = ("source", ("lifted_at", admin.EmptyFieldListFilter))
    list_select_related = ("user", "unfreeze_requested_by", "unfreeze_approved_by")
    change_form_template = "admin/selfservice/accountfreeze/change_form.html"

    def get_fields(self, request, obj=None):
        return [
            "customer",
            "source",
            "created_at",
            "unfreeze_requested_by",
            "unfreeze_requested_at",
            "unfreeze_note",
            "unfreeze_approved_by",
            "lifted_at",
        ]

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/request-unfreeze/",
                self.admin_site.admin_view(self.request_unfreeze_view),
                name="selfservice_accountfreeze_request_unfreeze",
            ),
            path(
                "<int:pk>/approve-unfreeze/",
                self.admin_site.admin_view(self.approve_unfreeze_view),
                name="selfservice_accountfreeze_approve_unfreeze",
            ),
        ]
        return urls + super().get_urls()

    def _run(self, request, pk, call):
        freeze = get_object_or_404(AccountFreeze, pk=pk)
        if request.method != "POST" or not self.has_view_permission(request, freeze):
            raise PermissionDenied
        try:
            call(freeze)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
        else:
            messages.success(request, _("Done."))
        return redirect("admin:selfservice_accountfreeze_change", pk)

    def request_unfreeze_view(self, request, pk):
        return self._run(
            request,
            pk,
            lambda f: freeze_unfreeze_request(
                freeze=f, agent=request.user, note=request.POST.get("note", "")[:2000]
            ),
        )

    def approve_unfreeze_view(self, request, pk):
        return self._run(
            request, pk, lambda f: freeze_unfreeze_approve(freeze=f, approver=request.user)
        )


@admin.register(ChainNetwork)
class ChainNetworkAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "required_confirmations",
        "provider",
        "deposits_enabled",
        "withdrawals_enabled",
        "status_updated_at",
    )
    list_filter = ("provider", "deposits_enabled")
    search_fields = ("code", "name")
    readonly_fields = ("status_updated_at",)


@admin.register(OfficialChannel)
class OfficialChannelAdmin(admin.ModelAdmin):
    """The registry the verifier trusts: an entry here makes a channel "official"."""

    list_display = ("kind", "value", "note")
    list_filter = ("kind",)
    search_fields = ("value", "note")


class StepInline(admin.StackedInline):
    model = Step
    extra = 1
    fields = ("position", "question", "explanation", "answers_link")
    readonly_fields = ("answers_link",)

    @admin.display(description=_("answers"))
    def answers_link(self, obj):
        if not obj.pk:
            return _("Save first, then add the answers.")
        url = reverse("admin:selfservice_step_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit the answers of this step"))


@admin.register(Tree)
class TreeAdmin(admin.ModelAdmin):
    """Editors write the trees; the drop-off report shows where customers stop."""

    list_display = ("title", "language", "slug", "translation_key", "is_published", "dropoff")
    list_filter = ("language", "is_published")
    search_fields = ("title", "slug", "translation_key")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [StepInline]

    @admin.display(description=_("drop-off"))
    def dropoff(self, obj):
        url = reverse("admin:selfservice_tree_dropoff", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Drop-off per step"))

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/dropoff/",
                self.admin_site.admin_view(self.dropoff_view),
                name="selfservice_tree_dropoff",
            )
        ]
        return urls + super().get_urls()

    def dropoff_view(self, request, pk):
        tree = get_object_or_404(Tree, pk=pk)
        if not self.has_view_permission(request, tree):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": tree,
            "title": _("Drop-off: %(title)s") % {"title": tree.title},
            "report": troubleshooter_dropoff(tree=tree),
        }
        return TemplateResponse(request, "admin/selfservice/tree/dropoff.html", context)


class AnswerInline(admin.TabularInline):
    model = Answer
    fk_name = "step"
    extra = 2
    fields = (
        "position",
        "label",
        "next_step",
        "article_slug",
        "tool",
        "ticket_category",
        "ticket_params",
    )

    def get_formset(self, request, obj=None, **kwargs):
        self._parent_step = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "next_step":
            step = getattr(self, "_parent_step", None)
            kwargs["queryset"] = (
                Step.objects.filter(tree_id=step.tree_id) if step else Step.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ("question", "tree", "position")
    list_filter = ("tree__language",)
    list_select_related = ("tree",)
    search_fields = ("question", "tree__title")
    autocomplete_fields = ("tree",)
    fields = ("tree", "position", "question", "explanation")
    inlines = [AnswerInline]
