"""The agent console. Every write here calls tickets.services."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from support_portal.accounts.models import User
from support_portal.admin_list import DeferredJoinPaginator

from .config import setup_current
from .exports import tickets_csv_lines
from .forms import MultipleFileField
from .intake import intake_clean
from .models import (
    CannedReply,
    Deflection,
    Notification,
    PriorityRule,
    Shift,
    SLAPolicy,
    Team,
    Ticket,
    TicketRating,
)
from .notifications import notification_retry
from .selectors import (
    DUE_SOON,
    SLA_LABELS,
    agents_for_assignment,
    attachment_for_staff,
    canned_replies_for,
    requester_other_tickets,
    sla_state,
    ticket_thread_for_agent,
    tickets_for_export,
)
from .services import (
    ticket_assign,
    ticket_change_status,
    ticket_escalate,
    ticket_mark_spam,
    ticket_merge,
    ticket_open,
    ticket_reply_as_agent,
    ticket_set_priority,
    ticket_update,
)
from .views import attachment_response


class AssignmentFilter(admin.SimpleListFilter):
    title = _("assignment")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("My tickets")), ("none", _("Unassigned")), ("unrouted", _("Unrouted"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assignee=request.user)
        if self.value() == "none":
            return queryset.filter(assignee__isnull=True)
        if self.value() == "unrouted":
            return queryset.filter(needs_routing=True)
        return queryset


class SLAStateFilter(admin.SimpleListFilter):
    title = _("SLA state")
    parameter_name = "sla"

    def lookups(self, request, model_admin):
        return [("breached", _("Breached")), ("soon", _("Due within an hour"))]

    def queryset(self, request, queryset):
        breached = (
            Q(first_response_breached=True)
            | Q(next_response_breached=True)
            | Q(resolution_breached=True)
        )
        if self.value() == "breached":
            return queryset.filter(breached)
        if self.value() == "soon":
            now = timezone.now()
            window = {"gte": now, "lt": now + DUE_SOON}
            due = (
                Q(
                    first_responded_at__isnull=True,
                    **{f"first_response_due__{k}": v for k, v in window.items()},
                )
                | Q(**{f"next_response_due__{k}": v for k, v in window.items()})
                | Q(**{f"resolution_due__{k}": v for k, v in window.items()})
            )
            return queryset.open().filter(due).exclude(breached)
        return queryset


class TicketActionForm(ActionForm):
    """Extra inputs for the list actions that need a value."""

    # An e-mail, not a select: listing every agent would cost a query per page view.
    agent = forms.CharField(required=False, label=_("Agent e-mail"), max_length=254)
    status = forms.ChoiceField(choices=[("", "—"), *Ticket.Status.choices], required=False)
    priority = forms.TypedChoiceField(
        choices=[("", "—"), *Ticket.Priority.choices], coerce=int, empty_value=None, required=False
    )
    target = forms.CharField(label=_("Merge into (reference)"), required=False, max_length=20)


class TicketChangeForm(forms.ModelForm):
    """Agent-editable fields plus the version the agent started from."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    tags_text = forms.CharField(label=_("Tags"), required=False, help_text=_("Comma-separated."))

    class Meta:
        model = Ticket
        fields = ("subject", "category", "priority", "team", "language")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial["tags_text"] = ", ".join(self.instance.tags)

    def clean(self):
        data = super().clean()
        current = Ticket.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
        if data.get("version") is not None and current and current[0] != data["version"]:
            raise ValidationError(CONFLICT_MESSAGE, code="conflict")
        data["tags"] = [t.strip() for t in data.get("tags_text", "").split(",") if t.strip()]
        return data


CONFLICT_MESSAGE = _(
    "Someone else changed this ticket while you were editing it. Your changes were not "
    "saved; review the latest version and try again."
)


class TicketAddForm(forms.ModelForm):
    """Create a ticket on behalf of someone who called or wrote on social media."""

    channel = forms.ChoiceField(
        choices=[
            (c, label)
            for c, label in Ticket.Channel.choices
            if c in ("phone", "social", "email", "chat")
        ],
        label=_("Channel"),
    )
    body = forms.CharField(label=_("What the customer said"), widget=forms.Textarea)
    intake_json = forms.JSONField(
        label=_("Intake details"),
        required=False,
        initial=dict,
        help_text=_('The category\'s details as JSON, e.g. {"coin": "BTC", "network": "BTC"}.'),
    )

    class Meta:
        model = Ticket
        fields = ("requester", "category", "subject", "language")

    def clean(self):
        data = super().clean()
        if data.get("category"):
            try:
                data["intake"] = intake_clean(
                    category=data["category"], data=data.get("intake_json") or {}
                )
            except ValidationError as exc:
                self.add_error(
                    "intake_json",
                    "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()),
                )
        return data


class TeamAutocompleteSelect(AutocompleteSelect):
    """The team picker, its selected option labelled from the cached set-up.

    Django's autocomplete widget queries the selected row again to label it;
    teams are already in this process's copy of the set-up (tickets.config).
    """

    def optgroups(self, name, value, attr=None):
        teams = {str(team.pk): team for team in setup_current().teams.values()}
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if not set(selected) <= teams.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for pk in selected[:1]:
            label = self.choices.field.label_from_instance(teams[pk])
            options.append(
                self.create_option(name, teams[pk].pk, label, set(selected), len(options))
            )
        return [(None, options, 0)]


class TicketChangeList(ChangeList):
    # What the rows show and the SLA badge reads. Loading every column of the
    # three joined tables (the JSON intake, tags, password hashes) took longer
    # than running the query.
    row_fields = (
        "reference",
        "subject",
        "category",
        "priority",
        "status",
        "language",
        "created_at",
        "first_response_due",
        "first_responded_at",
        "next_response_due",
        "resolution_due",
        "first_response_breached",
        "next_response_breached",
        "resolution_breached",
        "requester__email",
        "team__name",
        "assignee__email",
    )

    def get_results(self, request):
        super().get_results(request)
        self.result_list = self.result_list.only(*self.row_fields)


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "subject",
        "requester_email",
        "category",
        "priority",
        "status",
        "team",
        "assignee",
        "language",
        "sla_badge",
    )
    list_filter = (
        AssignmentFilter,
        "team",
        "status",
        "priority",
        SLAStateFilter,
        "language",
        "channel",
    )
    list_select_related = ("requester", "team", "assignee")
    search_fields = (
        "=reference",
        "=requester__email",
        "=requester__exchange_uid",
        "=intake__txid",
        "subject",
    )
    autocomplete_fields = ("requester", "team")
    show_full_result_count = False
    list_per_page = 50
    paginator = DeferredJoinPaginator
    ordering = ("-created_at",)
    action_form = TicketActionForm
    actions = [
        "assign_to_me",
        "assign_to_agent",
        "change_status",
        "change_priority",
        "merge_into",
        "escalate",
        "mark_spam",
        "export_csv",
    ]
    change_form_template = "admin/tickets/ticket/change_form.html"
    form = TicketChangeForm

    class Media:
        css = {"all": ["css/tickets.css"]}
        js = ["js/tickets_admin.js"]

    # --- list ------------------------------------------------------------
    def get_changelist(self, request, **kwargs):
        return TicketChangeList

    @admin.display(description=_("requester"), ordering="requester__email")
    def requester_email(self, obj: Ticket) -> str:
        return obj.requester.email

    @admin.display(description=_("SLA"))
    def sla_badge(self, obj: Ticket) -> str:
        state = sla_state(obj, timezone.now())
        label = SLA_LABELS.get(state, "—")
        return format_html('<span class="sla-badge sla-{}">{}</span>', state, label)

    # --- forms -------------------------------------------------------------
    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = TicketChangeForm if obj else TicketAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (
                    None,
                    {
                        "fields": (
                            "requester",
                            "channel",
                            "category",
                            "language",
                            "subject",
                            "body",
                            "intake_json",
                        )
                    },
                )
            ]
        return [
            (
                None,
                {"fields": ("subject", "category", "priority", "team", "language", "tags_text")},
            ),
            (
                _("State"),
                {
                    "fields": (
                        "reference",
                        "status",
                        "assignee",
                        "channel",
                        "sla_badge",
                        "first_response_due",
                        "resolution_due",
                        "intake",
                        "version",
                    )
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            "reference",
            "status",
            "assignee",
            "channel",
            "sla_badge",
            "first_response_due",
            "resolution_due",
            "intake",
        )

    def get_autocomplete_fields(self, request):
        return ("requester", "team")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "team":
            kwargs["widget"] = TeamAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            ticket = ticket_open(
                requester=form.cleaned_data["requester"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                category=form.cleaned_data["category"],
                intake=form.cleaned_data.get("intake", {}),
                language=form.cleaned_data.get("language"),
                channel=form.cleaned_data["channel"],
                created_by=request.user,
            )
            obj.pk, obj.reference = ticket.pk, ticket.reference
            return
        try:
            ticket_update(
                ticket=obj,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                subject=form.cleaned_data["subject"],
                category=form.cleaned_data["category"],
                priority=form.cleaned_data["priority"],
                team=form.cleaned_data["team"],
                language=form.cleaned_data["language"],
                tags=form.cleaned_data["tags"],
            )
        except ValidationError as exc:
            # Lost the race between the form's check and the locked update.
            request._ticket_conflict = " ".join(exc.messages)

    def save_related(self, request, form, formsets, change):
        pass  # no inlines; relations change only through services

    def response_change(self, request, obj):
        conflict = getattr(request, "_ticket_conflict", None)
        if conflict:
            self.message_user(request, conflict, messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # tickets are never deleted

    def get_queryset(self, request):
        # The change form's readonly fields and agent panel show these too.
        return super().get_queryset(request).select_related("requester", "assignee", "team")

    def get_object(self, request, object_id, from_field=None):
        # change_view fetches the ticket for the agent panel, then Django's own
        # change view fetches it again: remember it for the request.
        cache = request.__dict__.setdefault("_ticket_admin_objects", {})
        key = (object_id, from_field)
        if key not in cache:
            cache[key] = super().get_object(request, object_id, from_field)
        return cache[key]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        ticket = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if ticket is not None:
            extra_context.update(self._panel_context(request, ticket))
        return super().change_view(request, object_id, form_url, extra_context)

    def _panel_context(self, request, ticket: Ticket) -> dict:
        from .canned import canned_reply_render

        canned = [
            {
                "title": reply.title,
                "language": reply.language,
                "body": canned_reply_render(reply=reply, ticket=ticket, agent=request.user),
            }
            for reply in canned_replies_for(language=ticket.language)
        ]
        return {
            "thread": ticket_thread_for_agent(ticket=ticket),
            "canned_replies": canned,
            "other_tickets": requester_other_tickets(ticket=ticket),
            "requester": ticket.requester,
            "reply_form": AgentReplyForm(),
            "status_choices": Ticket.Status.choices,
            "priority_choices": Ticket.Priority.choices,
            "agents": agents_for_assignment(),
            "notifications": ticket.notifications.exclude(status=Notification.Status.SENT)
            .select_related("recipient")
            .order_by("-created_at")[:20],
            "ticket": ticket,
        }

    # --- change-form buttons -------------------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/reply/", wrap(self.reply_view), name="tickets_ticket_reply"),
            path(
                "<int:pk>/account/",
                wrap(self.account_summary_view),
                name="tickets_ticket_account_summary",
            ),
            path("<int:pk>/do/<str:action>/", wrap(self.action_view), name="tickets_ticket_action"),
            path(
                "attachment/<int:pk>/",
                wrap(self.attachment_view),
                name="tickets_attachment_download",
            ),
            path(
                "notification/<int:pk>/retry/",
                wrap(self.notification_retry_view),
                name="tickets_notification_retry",
            ),
            *super().get_urls(),
        ]

    def _ticket_or_403(self, request, pk: int) -> Ticket:
        ticket = get_object_or_404(Ticket, pk=pk)
        if not self.has_change_permission(request, ticket):
            raise PermissionDenied
        return ticket

    def _back(self, ticket: Ticket) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:tickets_ticket_change", args=[ticket.pk]))

    @staticmethod
    def _report(request, exc: ValidationError) -> None:
        messages.error(request, " ".join(exc.messages))

    def account_summary_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The requester's KYC, security and freeze state, fetched by the change
        form after it loads so the form itself keeps a flat query count."""
        from selfservice.selectors import account_summary_for_agent

        ticket = get_object_or_404(Ticket.objects.select_related("requester"), pk=pk)
        if not self.has_view_permission(request, ticket):
            raise PermissionDenied
        return render(
            request,
            "admin/tickets/ticket/account_summary.html",
            {"summary": account_summary_for_agent(user=ticket.requester)},
        )

    def reply_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        assert isinstance(request.user, User)  # admin_view: staff only
        if request.method != "POST":
            return HttpResponse(status=405)
        ticket = self._ticket_or_403(request, pk)
        form = AgentReplyForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                # An ErrorList yields its messages as str; the stub also allows ValidationError.
                messages.error(request, " ".join(str(error) for error in errors))
            return self._back(ticket)
        try:
            ticket_reply_as_agent(
                ticket=ticket,
                agent=request.user,
                body=form.cleaned_data["body"],
                internal=form.cleaned_data["internal"],
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            self._report(request, exc)
        else:
            if form.cleaned_data["internal"]:
                messages.success(request, _("Internal note added."))
            else:
                messages.success(request, _("Reply sent."))
        return self._back(ticket)

    def action_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponse(status=405)
        ticket = self._ticket_or_403(request, pk)
        try:
            self._run_action(request, ticket, action, request.POST)
        except ValidationError as exc:
            self._report(request, exc)
        else:
            messages.success(request, _("Done."))
        ticket.refresh_from_db(fields=["merged_into"])
        return self._back(ticket.merged_into or ticket)

    def _run_action(self, request, ticket: Ticket, action: str, data) -> None:
        """One place mapping an action name and its inputs to a service call."""
        user = request.user
        if action == "assign_to_me":
            ticket_assign(ticket=ticket, actor=user, assignee=user)
        elif action == "assign":
            value = str(data.get("agent") or "").strip()
            lookup = {"pk": value} if value.isdigit() else {"email__iexact": value}
            agent = User.objects.filter(**lookup).first() if value else None
            if agent is None and value:
                raise ValidationError(_("Choose an agent."))
            ticket_assign(ticket=ticket, actor=user, assignee=agent)
        elif action == "status":
            ticket_change_status(ticket=ticket, actor=user, status=str(data.get("status", "")))
        elif action == "priority":
            value = str(data.get("priority", ""))
            if not value.isdigit():
                raise ValidationError(_("Choose a valid priority."))
            ticket_set_priority(ticket=ticket, actor=user, priority=int(value))
        elif action == "merge":
            target = Ticket.objects.filter(reference=str(data.get("target", "")).strip()).first()
            if target is None:
                raise ValidationError(_("No ticket has that reference."))
            ticket_merge(source=ticket, target=target, actor=user)
        elif action == "escalate":
            ticket_escalate(ticket=ticket, actor=user, reason=str(data.get("reason", ""))[:2000])
        elif action == "spam":
            ticket_mark_spam(ticket=ticket, actor=user)
        else:
            raise ValidationError(_("Unknown action."))

    def attachment_view(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return attachment_response(attachment_for_staff(pk=pk))

    def notification_retry_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponse(status=405)
        notification = get_object_or_404(Notification, pk=pk)
        ticket = self._ticket_or_403(request, notification.ticket_id)
        notification_retry(notification=notification)
        messages.success(request, _("The e-mail was queued again."))
        return self._back(ticket)

    # --- list actions: the same services as the buttons ------------------------
    def response_action(self, request, queryset):
        # The checkboxes carry primary keys. Anything else is a forged form,
        # which Django would otherwise turn into a 500 inside filter(pk__in=…).
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if not all(pk.isascii() and pk.isdigit() for pk in selected):
            raise BadRequest("Selected tickets must be given by id.")
        return super().response_action(request, queryset)

    def _bulk(self, request, queryset, action: str) -> None:
        done = 0
        for ticket in queryset:
            try:
                self._run_action(request, ticket, action, request.POST)
                done += 1
            except ValidationError as exc:
                self.message_user(
                    request, f"{ticket.reference}: {' '.join(exc.messages)}", messages.ERROR
                )
        if done:
            self.message_user(request, _("%(n)d ticket(s) updated.") % {"n": done})

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        self._bulk(request, queryset, "assign_to_me")

    @admin.action(description=_("Assign to the chosen agent"), permissions=["change"])
    def assign_to_agent(self, request, queryset):
        self._bulk(request, queryset, "assign")

    @admin.action(description=_("Change status to the chosen status"), permissions=["change"])
    def change_status(self, request, queryset):
        self._bulk(request, queryset, "status")

    @admin.action(description=_("Change priority to the chosen priority"), permissions=["change"])
    def change_priority(self, request, queryset):
        self._bulk(request, queryset, "priority")

    @admin.action(
        description=_("Merge into the ticket with the given reference"), permissions=["change"]
    )
    def merge_into(self, request, queryset):
        self._bulk(request, queryset, "merge")

    @admin.action(description=_("Escalate"), permissions=["change"])
    def escalate(self, request, queryset):
        self._bulk(request, queryset, "escalate")

    @admin.action(description=_("Mark as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self._bulk(request, queryset, "spam")

    @admin.action(description=_("Export selected tickets (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        # Streamed: "select all" on the changelist can mean tens of thousands of rows.
        response = StreamingHttpResponse(
            tickets_csv_lines(tickets=tickets_for_export(tickets=queryset)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"tickets-{timezone.now():%Y%m%d-%H%M}.csv"
        )
        return response


class AgentReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"), widget=forms.Textarea(attrs={"rows": 8, "id": "agent-reply-body"})
    )
    internal = forms.BooleanField(
        label=_("Internal note (never shown to the customer)"), required=False
    )
    attachments = MultipleFileField(label=_("Attach files"))


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(SLAPolicy)
class SLAPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "priority",
        "first_response_minutes",
        "next_response_minutes",
        "resolution_minutes",
    )


@admin.register(PriorityRule)
class PriorityRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "min_amount", "priority", "is_active")
    list_filter = ("category", "is_active")


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ("title", "language", "is_active")
    list_filter = ("language", "is_active")
    search_fields = ("title", "body")


class ShiftForm(forms.ModelForm):
    # The languages a ticket can be in: Ticket.language's choices.
    languages = forms.MultipleChoiceField(
        choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Shift
        fields = ("agent", "team", "start", "end", "languages", "capacity")


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    form = ShiftForm
    list_display = ("agent", "team", "start", "end", "capacity")
    list_filter = ("team",)
    list_select_related = ("agent", "team")
    autocomplete_fields = ("agent", "team")
    date_hierarchy = "start"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The outbox: failed and retrying e-mails are visible, and can be resent."""

    list_display = ("ticket", "kind", "recipient", "status", "attempts", "last_error", "created_at")
    list_filter = ("status", "kind")
    list_select_related = ("ticket", "recipient")
    search_fields = ("=ticket__reference",)
    show_full_result_count = False
    actions = ["retry"]

    @admin.action(description=_("Send again"), permissions=["view"])
    def retry(self, request, queryset):
        for notification in queryset.exclude(status=Notification.Status.SENT):
            notification_retry(notification=notification)
        self.message_user(request, _("Queued again."))


@admin.register(TicketRating)
class TicketRatingAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "score", "resolution_number", "created_at")
    list_filter = ("score",)
    list_select_related = ("ticket",)


@admin.register(Deflection)
class DeflectionAdmin(ReadOnlyAdmin):
    list_display = ("article_url", "query", "created_at")
    search_fields = ("article_url", "query")
