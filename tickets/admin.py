from django.contrib import admin

from .models import Ticket


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "subject",
        "requester",
        "status",
        "priority",
        "language",
        "updated_at",
    )
    list_filter = ("status", "priority", "language")
    list_select_related = ("requester",)
    search_fields = ("=reference", "subject", "=requester__email", "=requester__exchange_uid")
    autocomplete_fields = ("requester",)
    readonly_fields = ("reference", "created_at", "updated_at")
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # tickets are never deleted
