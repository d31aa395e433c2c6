"""Self-service pages: each view calls one selector or service and renders."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import kyc_status_for


def hub(request):
    return render(request, "selfservice/hub.html")


@login_required
def kyc_status(request):
    status = kyc_status_for(user=request.user)
    return render(request, "selfservice/kyc_status.html", {"kyc": status})
