from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.forms import LoginForm

urlpatterns = [
    path("", include("contracts.urls")),
    path("", include("territories.urls")),
    path("", include("actions.urls")),
    path("", include("careoffer.urls")),
    path("", include("diagnostics.urls")),
    path("", include("steering.urls")),
    path("", include("evaluation.urls")),
    path("", include("reports.urls")),
    path("", include("public.urls")),
    path(
        "connexion/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, extra_context={"title": "Connexion"}),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
