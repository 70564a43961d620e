from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("claims.api.urls")),
    # Until the annotator's pages exist, the front door is the admin.
    path("", RedirectView.as_view(pattern_name="admin:index"), name="home"),
]
