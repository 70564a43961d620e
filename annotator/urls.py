from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from annotator import health
from annotator.pages import account, agreement, annotate, assignments, catalogues, dashboard, data, home, review

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("projects/<int:pk>/start/", home.start_annotating, name="start-annotating"),
    path("projects/<int:pk>/dashboard/", dashboard.dashboard, name="project-dashboard"),
    path("projects/<int:pk>/dashboard.csv", dashboard.dashboard_csv, name="project-dashboard-csv"),
    path("projects/<int:pk>/agreement/", agreement.agreement_page, name="project-agreement"),
    path("projects/<int:pk>/data/", data.data_page, name="project-data"),
    path("projects/<int:pk>/data/import/", data.import_upload, name="project-import"),
    path("projects/<int:pk>/data/release/", data.release_cut, name="project-release"),
    path("projects/<int:pk>/assignments/", assignments.assignments_page, name="project-assignments"),
    path(
        "projects/<int:pk>/assignments/release-stale/",
        assignments.release_stale,
        name="project-assignments-release-stale",
    ),
    path("assignments/<int:pk>/release/", assignments.release, name="assignment-release"),
    path("articles/<int:pk>/assign/", assignments.assign, name="article-assign"),
    path("articles/<int:pk>/queue-settings/", assignments.queue_settings, name="article-queue-settings"),
    path("projects/<int:pk>/claims/", catalogues.claims_page, name="claims"),
    path("claims/<int:pk>/", catalogues.claim_page, name="claim"),
    path("claims/<int:pk>/curate/", catalogues.claim_curate, name="claim-curate"),
    path("claims/<int:pk>/merge/", catalogues.claim_merge_confirm, name="claim-merge"),
    path("projects/<int:pk>/speakers/", catalogues.speakers_page, name="speakers"),
    path("speakers/<int:pk>/", catalogues.speaker_page, name="speaker"),
    path("speakers/<int:pk>/curate/", catalogues.speaker_curate, name="speaker-curate"),
    path("speakers/<int:pk>/merge/", catalogues.speaker_merge_confirm, name="speaker-merge"),
    path("assignments/<int:pk>/", annotate.annotate, name="annotate"),
    path("projects/<int:pk>/review/", review.review_queue_page, name="review-queue"),
    path("review/articles/<int:pk>/", review.review_article_page, name="review-article"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/token/", account.api_token_page, name="account-api-token"),
    path("accounts/token/revoke/", account.api_token_revoke_page, name="account-api-token-revoke"),
    path("admin/", admin.site.urls),
    path("api/", include("claims.api.urls")),
]

handler500 = "annotator.errors.server_error"
