from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from annotator import account_pages, agreement_page, dashboard, data_pages, tracking_pages, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("projects/<int:pk>/start/", views.start_annotating, name="start-annotating"),
    path("projects/<int:pk>/dashboard/", dashboard.dashboard, name="project-dashboard"),
    path("projects/<int:pk>/dashboard.csv", dashboard.dashboard_csv, name="project-dashboard-csv"),
    path("projects/<int:pk>/agreement/", agreement_page.agreement_page, name="project-agreement"),
    path("projects/<int:pk>/data/", data_pages.data_page, name="project-data"),
    path("projects/<int:pk>/data/import/", data_pages.import_upload, name="project-import"),
    path("projects/<int:pk>/data/release/", data_pages.release_cut, name="project-release"),
    path("projects/<int:pk>/claims/", tracking_pages.claims_page, name="claims"),
    path("claims/<int:pk>/", tracking_pages.claim_page, name="claim"),
    path("claims/<int:pk>/curate/", tracking_pages.claim_curate, name="claim-curate"),
    path("projects/<int:pk>/speakers/", tracking_pages.speakers_page, name="speakers"),
    path("speakers/<int:pk>/", tracking_pages.speaker_page, name="speaker"),
    path("speakers/<int:pk>/curate/", tracking_pages.speaker_curate, name="speaker-curate"),
    path("assignments/<int:pk>/", views.annotate, name="annotate"),
    path("projects/<int:pk>/review/", views.review_queue_page, name="review-queue"),
    path("review/articles/<int:pk>/", views.review_article_page, name="review-article"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/token/", account_pages.api_token_page, name="account-api-token"),
    path("accounts/token/revoke/", account_pages.api_token_revoke_page, name="account-api-token-revoke"),
    path("admin/", admin.site.urls),
    path("api/", include("claims.api.urls")),
]

handler500 = "annotator.errors.server_error"
