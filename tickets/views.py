from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from support_portal.accounts.models import User

from . import kb
from .exports import transcript_filename, transcript_text
from .forms import CategoryForm, NoAccountForm, RatingForm, ReplyForm, TicketCreateForm
from .models import Ticket
from .selectors import (
    acknowledgement_pending_for,
    attachment_for_requester,
    messages_public,
    rating_current,
    ticket_for_requester,
    ticket_list_for_requester,
)
from .services import (
    deflection_record,
    ticket_close,
    ticket_confirm_held,
    ticket_open,
    ticket_open_without_account,
    ticket_rate,
    ticket_reply_as_requester,
)

SECRET_REMOVED = gettext_lazy(
    "We removed what looked like a secret (seed phrase, private key or 2FA code). "
    "Support will never ask for these."
)


def _form_errors(form, exc: ValidationError, prefix_intake: bool = False) -> None:
    """Turn a service's ValidationError into form errors on the matching fields."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        name = f"intake_{field}" if prefix_intake and f"intake_{field}" in form.fields else field
        form.add_error(name if name in form.fields else None, errors)


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)  # @login_required
    tickets = Paginator(ticket_list_for_requester(user=request.user), 20)
    page = tickets.get_page(request.GET.get("page"))
    return render(request, "tickets/ticket_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def ticket_create(request: HttpRequest) -> HttpResponse:
    """Step 1 picks a category (GET ?category=); step 2 is that category's intake form."""
    assert isinstance(request.user, User)  # @login_required
    category = request.GET.get("category") or request.POST.get("category")
    article = kb.article_context(article_id=request.GET.get("article") or "")
    if category not in Ticket.Category.values:
        return render(
            request, "tickets/ticket_category.html", {"form": CategoryForm(), "article": article}
        )
    initial = {
        f"intake_{k}": v[:200]
        for k, v in request.GET.items()
        if k in ("txid", "network", "coin", "address", "amount")
    }
    form = TicketCreateForm(
        request.POST or None, request.FILES or None, category=category, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            ticket = ticket_open(
                requester=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                category=category,
                intake=form.intake_data(),
                language=request.LANGUAGE_CODE,
                attachments=form.cleaned_data["attachments"],
                article=kb.article_context(article_id=request.POST.get("article") or ""),
            )
        except ValidationError as exc:
            _form_errors(form, exc, prefix_intake=True)
        else:
            if ticket.messages.filter(redacted=True).exists():
                messages.warning(request, SECRET_REMOVED)
            return redirect("tickets:ticket-detail", reference=ticket.reference)
    context = {
        "form": form,
        "category": category,
        "category_label": Ticket.Category(category).label,
        "article": article,
    }
    return render(request, "tickets/ticket_create.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def ticket_detail(request: HttpRequest, reference: str) -> HttpResponse:
    assert isinstance(request.user, User)  # @login_required
    ticket = ticket_for_requester(user=request.user, reference=reference)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = ticket_reply_as_requester(
                ticket=ticket,
                user=request.user,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if message.redacted:
                messages.warning(request, SECRET_REMOVED)
            return redirect("tickets:ticket-detail", reference=ticket.reference)
    context = {
        "ticket": ticket,
        "thread": messages_public(ticket=ticket),
        "acknowledgement_pending": acknowledgement_pending_for(ticket=ticket),
        "form": form,
        "rating": rating_current(ticket=ticket),
        "rating_form": RatingForm(),
        "can_rate": ticket.resolution_count > 0
        and ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED),
    }
    return render(request, "tickets/ticket_detail.html", context)


@login_required
@require_safe
def ticket_transcript(request: HttpRequest, reference: str) -> HttpResponse:
    """The requester's copy of the public thread, as a plain-text download."""
    assert isinstance(request.user, User)  # @login_required
    ticket = ticket_for_requester(user=request.user, reference=reference)
    response = HttpResponse(
        transcript_text(ticket=ticket), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=transcript_filename(ticket=ticket)
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Personal data: no shared cache, and no copy left in the browser's.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def ticket_close_view(request: HttpRequest, reference: str) -> HttpResponse:
    assert isinstance(request.user, User)  # @login_required
    ticket = ticket_for_requester(user=request.user, reference=reference)
    try:
        ticket_close(ticket=ticket, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("tickets:ticket-detail", reference=ticket.reference)


@login_required
@require_POST
def ticket_rate_view(request: HttpRequest, reference: str) -> HttpResponse:
    assert isinstance(request.user, User)  # @login_required
    ticket = ticket_for_requester(user=request.user, reference=reference)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a score from 1 to 5."))
        return redirect("tickets:ticket-detail", reference=ticket.reference)
    try:
        ticket_rate(
            ticket=ticket,
            user=request.user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("tickets:ticket-detail", reference=ticket.reference)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    assert isinstance(request.user, User)  # @login_required
    attachment = attachment_for_requester(user=request.user, pk=pk)
    return attachment_response(attachment)


def attachment_response(attachment) -> FileResponse:
    """Always a download, never rendered inline, and never sniffed into HTML."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_http_methods(["GET", "POST"])
def ticket_create_without_account(request: HttpRequest) -> HttpResponse:
    """'Can't log in / account stolen': same answer whether or not the account exists."""
    form = NoAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket_open_without_account(
                email=form.cleaned_data["email"],
                exchange_uid=form.cleaned_data["exchange_uid"],
                body=form.cleaned_data["body"],
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return render(request, "tickets/ticket_no_account_sent.html")
    return render(request, "tickets/ticket_no_account.html", {"form": form})


def ticket_confirm(request: HttpRequest, token: str) -> HttpResponse:
    if request.method != "POST":
        # A GET only shows a button: mail scanners that follow links confirm nothing.
        return render(request, "tickets/ticket_confirm.html", {"token": token})
    try:
        ticket = ticket_confirm_held(token=token)
    except ValidationError:
        return render(
            request, "tickets/ticket_confirm.html", {"token": token, "invalid": True}, status=400
        )
    return render(request, "tickets/ticket_confirm.html", {"confirmed": ticket})


@require_POST
def deflection_create(request: HttpRequest) -> HttpResponse:
    """Beacon from the ticket form: the user left through a suggested article."""
    user = request.user if request.user.is_authenticated else None
    deflection_record(
        user=user, query=request.POST.get("q", ""), article_url=request.POST.get("url", "")
    )
    return HttpResponse(status=204)
