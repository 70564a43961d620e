from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from annotator import health
from annotator.pages import (
    account,
    agreement,
    annotate,
    catalogues,
    dashboard,
    data,
    home,
    project_setup,
    review,
    team,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("projects/new/", project_setup.project_new, name="project-new"),
    path("projects/<int:pk>/settings/", project_setup.project_settings, name="project-settings"),
    path("projects/<int:pk>/settings/archive/", project_setup.project_archive_page, name="project-archive"),
    path("projects/<int:pk>/labels/", project_setup.project_labels, name="project-labels"),
    path("projects/<int:pk>/guidelines/", project_setup.project_guidelines, name="project-guidelines"),
    path("projects/<int:pk>/guidelines/preview/", project_setup.guidelines_preview, name="project-guidelines-preview"),
    path("projects/<int:pk>/team/", team.team_page, name="project-team"),
    path("projects/<int:pk>/team/add/", team.member_add, name="project-member-add"),
    path("projects/<int:pk>/team/accounts/", team.account_new, name="project-account-new"),
    path("projects/<int:pk>/team/<int:user_id>/role/", team.member_role, name="project-member-role"),
    path("projects/<int:pk>/team/<int:user_id>/remove/", team.member_remove, name="project-member-remove"),
    path("projects/<int:pk>/start/", home.start_annotating, name="start-annotating"),
    path("projects/<int:pk>/dashboard/", dashboard.dashboard, name="project-dashboard"),
    path("projects/<int:pk>/dashboard.csv", dashboard.dashboard_csv, name="project-dashboard-csv"),
    path("projects/<int:pk>/agreement/", agreement.agreement_page, name="project-agreement"),
    path("projects/<int:pk>/data/", data.data_page, name="project-data"),
    path("projects/<int:pk>/data/import/", data.import_upload, name="project-import"),
    path("projects/<int:pk>/data/release/", data.release_cut, name="project-release"),
    path("projects/<int:pk>/claims/", catalogues.claims_page, name="claims"),
    path("claims/<int:pk>/", catalogues.claim_page, name="claim"),
    path("claims/<int:pk>/curate/", catalogues.claim_curate, name="claim-curate"),
    path("projects/<int:pk>/speakers/", catalogues.speakers_page, name="speakers"),
    path("speakers/<int:pk>/", catalogues.speaker_page, name="speaker"),
    path("speakers/<int:pk>/curate/", catalogues.speaker_curate, name="speaker-curate"),
    path("assignments/<int:pk>/", annotate.annotate, name="annotate"),
    path("projects/<int:pk>/review/", review.review_queue_page, name="review-queue"),
    path("review/articles/<int:pk>/", review.review_article_page, name="review-article"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/welcome/<uidb64>/<token>/", account.WelcomeView.as_view(), name="account-welcome"),
    path("accounts/token/", account.api_token_page, name="account-api-token"),
    path("accounts/token/revoke/", account.api_token_revoke_page, name="account-api-token-revoke"),
    path("admin/", admin.site.urls),
    path("api/", include("claims.api.urls")),
]

handler500 = "annotator.errors.server_error"
