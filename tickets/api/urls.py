from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("tickets", views.TicketViewSet, basename="ticket")
router.register("agent/tickets", views.AgentTicketViewSet, basename="agent-ticket")

urlpatterns = router.urls
