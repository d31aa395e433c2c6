"""Self-service pages: each view calls one selector or service and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from .forms import AntiPhishingCodeForm
from .models import AntiPhishingCode
from .selectors import kyc_status_for, security_checklist_for
from .services import anti_phishing_code_set, user_sessions_end_others


def hub(request):
    return render(request, "selfservice/hub.html")


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
    form = AntiPhishingCodeForm(request.POST or None)
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
