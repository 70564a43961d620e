from django.db import transaction
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import (
    articles,
    assignment_control,
    assignments,
    auth,
    errors,
    exports,
    imports,
    jobs,
    labels,
    projects,
    releases,
    review,
    speakers,
    suggestions,
    tracked_claims,
)

urlpatterns = [
    # Outside the request transaction, so a refused attempt still counts toward the throttle.
    path("auth/token/", transaction.non_atomic_requests(auth.ObtainToken.as_view()), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("projects/", projects.ProjectListCreate.as_view(), name="api-projects"),
    path("projects/<int:pk>/", projects.ProjectDetail.as_view(), name="api-project"),
    path("projects/<int:pk>/archive/", projects.ProjectArchive.as_view(), name="api-project-archive"),
    path("projects/<int:pk>/restore/", projects.ProjectRestore.as_view(), name="api-project-restore"),
    path("projects/<int:pk>/members/", projects.MemberListCreate.as_view(), name="api-members"),
    path("projects/<int:pk>/accounts/", projects.AccountCreate.as_view(), name="api-accounts"),
    path("projects/<int:pk>/members/<str:username>/", projects.MemberDetail.as_view(), name="api-member"),
    path("projects/<int:pk>/articles/", articles.ArticleListCreate.as_view(), name="api-articles"),
    path("articles/<int:pk>/", articles.ArticleDetail.as_view(), name="api-article"),
    path("projects/<int:pk>/speakers/", speakers.SpeakerListCreate.as_view(), name="api-speakers"),
    path("speakers/<int:pk>/", speakers.SpeakerDetail.as_view(), name="api-speaker"),
    path("speakers/<int:pk>/merge/", speakers.SpeakerMerge.as_view(), name="api-speaker-merge"),
    path("projects/<int:pk>/claims/", tracked_claims.ClaimListCreate.as_view(), name="api-claims"),
    path("claims/<int:pk>/", tracked_claims.ClaimDetail.as_view(), name="api-claim"),
    path("claims/<int:pk>/merge/", tracked_claims.ClaimMerge.as_view(), name="api-claim-merge"),
    path("claims/<int:pk>/split/", tracked_claims.ClaimSplit.as_view(), name="api-claim-split"),
    path("claims/<int:pk>/timeline/", tracked_claims.ClaimTimeline.as_view(), name="api-claim-timeline"),
    path("projects/<int:pk>/preannotate/", suggestions.ProjectPreannotate.as_view(), name="api-preannotate"),
    path("articles/<int:pk>/preannotate/", suggestions.ArticlePreannotate.as_view(), name="api-article-preannotate"),
    path("assignments/<int:pk>/suggestions/", suggestions.SuggestionList.as_view(), name="api-suggestions"),
    path(
        "assignments/<int:pk>/suggestions/decisions/",
        suggestions.SuggestionDecisions.as_view(),
        name="api-suggestion-decisions",
    ),
    path(
        "assignments/<int:pk>/suggestions/<int:suggestion>/accept/",
        suggestions.SuggestionAccept.as_view(),
        name="api-suggestion-accept",
    ),
    path(
        "assignments/<int:pk>/suggestions/<int:suggestion>/reject/",
        suggestions.SuggestionReject.as_view(),
        name="api-suggestion-reject",
    ),
    path(
        "assignments/<int:pk>/suggestions/<int:suggestion>/decision/",
        suggestions.SuggestionDecisionUndo.as_view(),
        name="api-suggestion-decision",
    ),
    path("projects/<int:pk>/assignments/next/", assignments.AssignmentNext.as_view(), name="api-assignment-next"),
    path("projects/<int:pk>/assignments/", assignments.AssignmentList.as_view(), name="api-assignments"),
    path("assignments/<int:pk>/", assignments.AssignmentDetail.as_view(), name="api-assignment"),
    path(
        "projects/<int:pk>/assignment-queue/", assignment_control.AssignmentQueue.as_view(), name="api-assignment-queue"
    ),
    path(
        "projects/<int:pk>/assignments/release-stale/",
        assignment_control.AssignmentsReleaseStale.as_view(),
        name="api-assignments-release-stale",
    ),
    path(
        "assignments/<int:pk>/release/", assignment_control.AssignmentRelease.as_view(), name="api-assignment-release"
    ),
    path(
        "articles/<int:pk>/queue-settings/",
        assignment_control.ArticleQueueSettings.as_view(),
        name="api-article-queue-settings",
    ),
    path("projects/<int:pk>/qualification/", assignment_control.Qualification.as_view(), name="api-qualification"),
    path("assignments/<int:pk>/mentions/", labels.MentionListCreate.as_view(), name="api-mentions"),
    path("mentions/<int:pk>/", labels.MentionDetail.as_view(), name="api-mention"),
    path("assignments/<int:pk>/article-stances/", labels.ArticleStanceListCreate.as_view(), name="api-article-stances"),
    path("article-stances/<int:pk>/", labels.ArticleStanceDetail.as_view(), name="api-article-stance"),
    path("projects/<int:pk>/import/", imports.ArticleFileImport.as_view(), name="api-import"),
    # Streams in its own read-only snapshot transaction (services.exports), not the request's.
    path(
        "projects/<int:pk>/export/",
        transaction.non_atomic_requests(exports.ProjectExport.as_view()),
        name="api-export",
    ),
    path("projects/<int:pk>/agreement/", review.Agreement.as_view(), name="api-agreement"),
    path("projects/<int:pk>/review-queue/", review.ReviewQueue.as_view(), name="api-review-queue"),
    path("articles/<int:pk>/review/", review.ArticleReviewDetail.as_view(), name="api-article-review"),
    path("articles/<int:pk>/gold/", review.GoldCreate.as_view(), name="api-gold"),
    path("assignments/<int:pk>/copy/", review.GoldCopy.as_view(), name="api-gold-copy"),
    path("projects/<int:pk>/releases/", releases.ReleaseListCreate.as_view(), name="api-releases"),
    path("projects/<int:pk>/jobs/", jobs.ProjectJobList.as_view(), name="api-jobs"),
    path("jobs/<int:pk>/", jobs.JobDetail.as_view(), name="api-job"),
    path("releases/<int:pk>/download/", releases.ReleaseDownload.as_view(), name="api-release-download"),
    # Last: every other path under /api/ ending in a slash (slashless ones are redirected here first).
    re_path(r"^(?:[\s\S]*/)?\Z", errors.route_not_found, name="api-not-found"),
]
