"""Self-service pages: each view calls one selector or service and renders."""

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from .forms import AntiPhishingCodeForm, ChannelVerifyForm, DepositTraceForm, FreezeRequestForm
from .models import AccountFreeze, AntiPhishingCode
from .ratelimit import rate_limit_exceeded
from .selectors import (
    answer_target_url,
    channel_verify,
    deposit_trace,
    kyc_status_for,
    official_channels,
    security_checklist_for,
    troubleshooter_answer,
    troubleshooter_get,
    troubleshooter_step,
    troubleshooters_for,
)
from .services import (
    account_freeze,
    account_freeze_confirm,
    anti_phishing_code_set,
    freeze_link_request,
    user_sessions_end_others,
    walk_answer,
    walk_start,
)


def hub(request):
    trees = troubleshooters_for(language=request.LANGUAGE_CODE)
    return render(request, "selfservice/hub.html", {"trees": trees})


@login_required
def kyc_status(request):
    status = kyc_status_for(user=request.user)
    return render(request, "selfservice/kyc_status.html", {"kyc": status})


@login_required
def security_check(request):
    checklist = security_checklist_for(
        user=request.user, current_session_key=request.session.session_key
    )
    return render(request, "selfservice/security_check.html", {"checklist": checklist})


@login_required
@require_POST
def sessions_end_others(request):
    count = user_sessions_end_others(
        user=request.user, keep_session_key=request.session.session_key
    )
    messages.success(
        request,
        ngettext(
            "Signed out %(count)d other session.", "Signed out %(count)d other sessions.", count
        )
        % {"count": count},
    )
    return redirect("selfservice:security-check")


@login_required
@require_http_methods(["GET", "POST"])
def anti_phishing_code(request):
    current = AntiPhishingCode.objects.filter(user=request.user).first()
    form = AntiPhishingCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            anti_phishing_code_set(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            messages.success(request, _("Your anti-phishing code is saved."))
            return redirect("selfservice:anti-phishing-code")
    return render(
        request, "selfservice/anti_phishing_code.html", {"form": form, "current": current}
    )


@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def freeze(request):
    if request.method == "POST":
        account_freeze(
            user=request.user,
            source=AccountFreeze.Source.SELF_SERVICE,
            keep_session_key=request.session.session_key,
        )
        messages.warning(request, _("Your account is frozen. Every other session was signed out."))
        return redirect("selfservice:freeze")
    active = (
        request.user.freezes.filter(lifted_at__isnull=True).first()
        if request.user.is_authenticated
        else None
    )
    return render(request, "selfservice/freeze.html", {"active_freeze": active})


@require_http_methods(["GET", "POST"])
def freeze_request(request):
    form = FreezeRequestForm(request.POST if request.method == "POST" else None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        rate = settings.SELFSERVICE_FREEZE_RATE_LIMIT
        ip = request.META.get("REMOTE_ADDR", "")
        email = form.cleaned_data["email"].lower()
        if rate_limit_exceeded(scope="freeze-ip", key=ip, rate=rate) or rate_limit_exceeded(
            scope="freeze-email", key=email, rate=rate
        ):
            return render(request, "selfservice/freeze_request.html", {"limited": True}, status=429)
        freeze_link_request(
            email=email,
            exchange_uid=form.cleaned_data["exchange_uid"],
            link_builder=lambda token: request.build_absolute_uri(
                reverse("selfservice:freeze-confirm", kwargs={"token": token})
            ),
        )
        context = {"sent": True}
    return render(request, "selfservice/freeze_request.html", context)


def freeze_confirm(request, token: str):
    # Following the mailed link is the confirmation: in an emergency one click
    # matters, and a mail scanner that fetches it can only freeze, never unfreeze.
    try:
        account_freeze_confirm(token=token)
    except ValidationError:
        return render(request, "selfservice/freeze_done.html", {"invalid": True}, status=400)
    return render(request, "selfservice/freeze_done.html")


@require_http_methods(["GET", "POST"])
def deposit_trace_view(request):
    form = DepositTraceForm(request.POST if request.method == "POST" else None)
    trace, ticket_query = None, ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        trace = deposit_trace(
            network=data["network"], txid=data["txid"], address=data["address"], memo=data["memo"]
        )
        ticket_query = urlencode(
            {
                "category": "deposit",
                "coin": data["coin"],
                "network": data["network"].code,
                "txid": data["txid"],
                "address": data["address"],
            }
        )
    return render(
        request,
        "selfservice/deposit_trace.html",
        {"form": form, "trace": trace, "ticket_query": ticket_query},
    )


def verify_channel(request):
    # GET, so a result can be bookmarked or shared with a worried friend.
    form = ChannelVerifyForm(request.GET if "value" in request.GET else None)
    verdict = channel_verify(value=form.cleaned_data["value"]) if form.is_valid() else None
    return render(
        request,
        "selfservice/channel_verify.html",
        {"form": form, "verdict": verdict, "channels": official_channels()},
    )


def troubleshooters(request):
    trees = troubleshooters_for(language=request.LANGUAGE_CODE)
    return render(request, "selfservice/troubleshooter_list.html", {"trees": trees})


def _step_url(tree, step_id: int, token: str) -> str:
    url = reverse("selfservice:troubleshooter-detail", kwargs={"slug": tree.slug})
    query: dict[str, int | str] = {"step": step_id, "walk": token}
    return f"{url}?{urlencode(query)}"


def troubleshooter_detail(request, slug: str):
    tree = troubleshooter_get(slug=slug, language=request.LANGUAGE_CODE)
    step = troubleshooter_step(tree=tree, step_id=request.GET.get("step"))
    token = request.GET.get("walk", "")[:32]
    if not token:
        # Each walk gets its own random token in the URL: no cookie, no personal data.
        return redirect(
            _step_url(tree, step.pk, walk_start(tree=tree, first_step_id=step.pk).token)
        )
    return render(
        request,
        "selfservice/troubleshooter_detail.html",
        {"tree": tree, "step": step, "token": token},
    )


def troubleshooter_answer_view(request, slug: str, answer_id: int):
    tree = troubleshooter_get(slug=slug, language=request.LANGUAGE_CODE)
    answer = troubleshooter_answer(tree=tree, answer_id=answer_id)
    token = request.GET.get("walk", "")[:32]
    walk_answer(token=token, answer=answer)
    if answer.next_step_id:
        return redirect(_step_url(tree, answer.next_step_id, token))
    return redirect(answer_target_url(answer=answer))
