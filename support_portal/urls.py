from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import views

# The admin is the agent console; its login is allauth's, so the same rate
# limits and MFA stage apply to agents as to everyone else.
# Replacing the bound method is how allauth documents it.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("i18n/language/", views.language_set, name="language-set"),
    path("accounts/", include("allauth.urls")),
    path("help/", include("knowledge.urls")),
    path("tickets/", include("tickets.urls")),
    path("selfservice/", include("selfservice.urls")),
    path("api/", include("support_portal.api_urls")),
    path("admin/", admin.site.urls),
]
