from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import ticket_list_for_requester


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    tickets = Paginator(ticket_list_for_requester(user=request.user), 20)
    page = tickets.get_page(request.GET.get("page"))
    return render(request, "tickets/ticket_list.html", {"page": page})
