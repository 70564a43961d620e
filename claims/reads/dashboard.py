"""What the managers' progress dashboard shows, read in a constant number of queries.

Four reads, one per part of the page (and per CSV table), each a few queries whatever the number of
annotators, articles or weeks:

- `annotator_figures`: per annotator, their non-gold work by status, how much of it is reviewed
  (the article's gold assignment is submitted), the median time per submitted article and their
  share of all submitted work;
- `weekly_agreement`: per ISO week of submission, the agreement figures (claims.agreement) of the
  work submitted that week;
- `stance_distribution`: how often each stance label was given, by annotators and in gold work;
- `overall_progress`: articles, annotations needed and submitted, articles reviewed;
- `qualification_results` (claims/reads/qualification.py): each annotator's accuracy against gold on
  qualification items, per layer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Aggregate, Count, DurationField, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from claims.agreement import Submission, agreement_report
from claims.agreement.loading import load_submissions, submitted_assignments
from claims.models import (
    Article,
    ArticleStance,
    Assignment,
    AssignmentStatus,
    ClaimMention,
    Membership,
    Project,
    Role,
    StanceLabel,
)
from claims.reads.qualification import QualificationResults, qualification_results


class Median(Aggregate):
    """PostgreSQL's continuous median: halfway between the two middle values of an even-sized group.

    Computed in the database so that only one value per annotator crosses the wire; NULLs are ignored
    and an empty group gives NULL.
    """

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def _gold_submitted(article_ref: str) -> Exists:
    """The article (named through `article_ref`) has a submitted gold assignment: it is reviewed."""
    return Exists(
        Assignment.objects.filter(article=OuterRef(article_ref), is_gold=True, status=AssignmentStatus.SUBMITTED)
    )


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# --- per annotator ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnotatorFigures:
    username: str
    assigned: int
    in_progress: int
    submitted: int
    skipped: int
    reviewed: int  # submitted work whose article has a submitted gold assignment
    # Wall-clock time from the first label (or the submission) to the submission, pauses included;
    # None when the annotator has no submitted work with both times.
    median_time: timedelta | None
    share: float | None  # of all submitted non-gold work in the project; None when nothing is submitted

    @property
    def unsubmitted(self) -> int:
        """Work still open (assigned or in progress): what removing this member would have to release."""
        return self.assigned + self.in_progress

    @property
    def median_minutes(self) -> float | None:
        return None if self.median_time is None else self.median_time.total_seconds() / 60

    @property
    def share_percent(self) -> float | None:
        return None if self.share is None else 100 * self.share


def annotator_figures(*, project: Project) -> list[AnnotatorFigures]:
    """Every annotator of the project (members with the annotator role, and anyone else with non-gold work
    in it, such as a former member or a manager who annotated), by username. Two queries."""
    status = {value: Count("id", filter=Q(status=value)) for value in AssignmentStatus.values}
    is_submitted = Q(status=AssignmentStatus.SUBMITTED)
    work = {
        row["annotator__username"]: row
        for row in Assignment.objects.filter(article__project=project, is_gold=False)
        .values("annotator__username")
        .annotate(
            **status,
            reviewed=Count("id", filter=is_submitted & Q(_gold_submitted("article"))),
            median_time=Median(F("submitted_at") - F("started_at"), filter=is_submitted, output_field=DurationField()),
        )
        .order_by()
    }
    members = Membership.objects.filter(project=project, role=Role.ANNOTATOR).values_list("user__username", flat=True)
    usernames = sorted(set(work) | set(members))
    total_submitted = sum(row[AssignmentStatus.SUBMITTED] for row in work.values())
    result = []
    for username in usernames:
        row = work.get(username, {})
        submitted = row.get(AssignmentStatus.SUBMITTED, 0)
        result.append(
            AnnotatorFigures(
                username=username,
                assigned=row.get(AssignmentStatus.ASSIGNED, 0),
                in_progress=row.get(AssignmentStatus.IN_PROGRESS, 0),
                submitted=submitted,
                skipped=row.get(AssignmentStatus.SKIPPED, 0),
                reviewed=row.get("reviewed", 0),
                median_time=row.get("median_time"),
                share=_share(submitted, total_submitted),
            )
        )
    return result


# --- agreement per week -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekAgreement:
    """Agreement of the work submitted in one ISO week; None where a figure is undefined (see claims.agreement)."""

    year: int  # ISO year, which differs from the calendar year around New Year
    week: int
    starts: date  # the Monday
    n_submissions: int
    n_articles: int
    mention_spans_f1_overlap: float | None  # mean over annotator pairs
    mention_stance_alpha: float | None  # Krippendorff's alpha, nominal
    article_stance_alpha: float | None

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def figures(self) -> tuple[float | None, float | None, float | None]:
        return self.mention_spans_f1_overlap, self.mention_stance_alpha, self.article_stance_alpha


def _monday(moment: datetime) -> date:
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


def _week_agreement(monday: date, submissions: Sequence[Submission]) -> WeekAgreement:
    year, week, _ = monday.isocalendar()
    if not submissions:
        return WeekAgreement(
            year=year, week=week, starts=monday, n_submissions=0, n_articles=0,
            mention_spans_f1_overlap=None, mention_stance_alpha=None, article_stance_alpha=None,
        )  # fmt: skip
    report = agreement_report(submissions)
    return WeekAgreement(
        year=year,
        week=week,
        starts=monday,
        n_submissions=report["n_submissions"],
        n_articles=report["n_articles"],
        mention_spans_f1_overlap=report["mention_spans"]["mean"]["f1_overlap"],
        mention_stance_alpha=report["mention_stance"]["krippendorff_alpha_nominal"],
        article_stance_alpha=report["article_stance"]["krippendorff_alpha_nominal"],
    )


def weekly_agreement(*, project: Project) -> list[WeekAgreement]:
    """One entry per ISO week from the first week with submitted work to the last, empty weeks included
    (so a time axis drawn from them is true to time), in the server's time zone (settings.TIME_ZONE).

    Each week's figures are those of `project_agreement(project=…, submitted_from=Monday, submitted_to=next
    Monday)`: only work submitted that week is compared, so an article whose annotators submitted in
    different weeks adds no pair to either week. Four queries for all weeks: the project's submitted work
    is loaded once and split by week in Python.
    """
    submissions = load_submissions(project=project)
    week_of = {
        (article_id, username): _monday(submitted_at)
        for article_id, username, submitted_at in submitted_assignments(project=project)
        .order_by()
        .values_list("article_id", "annotator__username", "submitted_at")
    }
    by_week: dict[date, list[Submission]] = defaultdict(list)
    for submission in submissions:
        # Work reopened between the two queries has no submission time any more; it is left out.
        monday = week_of.get((submission.article_id, submission.annotator))
        if monday is not None:
            by_week[monday].append(submission)
    if not by_week:
        return []
    first, last = min(by_week), max(by_week)
    mondays = [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    return [_week_agreement(monday, by_week.get(monday, [])) for monday in mondays]


# --- stance labels ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StanceCount:
    value: str
    name: str
    colour: str
    annotators: int  # in submitted non-gold work
    gold: int  # in submitted gold work


@dataclass(frozen=True)
class StanceDistribution:
    mentions: list[StanceCount]  # the labels usable for mentions, in the label set's order
    article_stances: list[StanceCount]  # the labels usable for articles
    # Mentions are counted only when they carry a stance; these many do not: (annotators, gold).
    mentions_without_stance: tuple[int, int]


def _counts_by_gold_and_stance(queryset: QuerySet) -> dict[tuple[bool, str | None], int]:
    rows = queryset.values_list("assignment__is_gold", "stance").annotate(n=Count("id")).order_by()
    return {(is_gold, stance): n for is_gold, stance, n in rows}


def stance_distribution(*, project: Project) -> StanceDistribution:
    """Counts of each stance label among mentions and among article stances of submitted work, non-gold and gold
    separately. Three queries."""
    in_submitted_work = dict(assignment__article__project=project, assignment__status=AssignmentStatus.SUBMITTED)
    mentions = _counts_by_gold_and_stance(ClaimMention.objects.filter(**in_submitted_work))
    articles = _counts_by_gold_and_stance(ArticleStance.objects.filter(**in_submitted_work))
    labels = list(StanceLabel.objects.filter(project=project).order_by("position", "value"))

    def counts(label: StanceLabel, found: dict[tuple[bool, str | None], int]) -> StanceCount:
        return StanceCount(
            value=label.value,
            name=label.name,
            colour=label.colour,
            annotators=found.get((False, label.value), 0),
            gold=found.get((True, label.value), 0),
        )

    return StanceDistribution(
        mentions=[counts(label, mentions) for label in labels if label.for_mentions],
        article_stances=[counts(label, articles) for label in labels if label.for_articles],
        mentions_without_stance=(mentions.get((False, None), 0), mentions.get((True, None), 0)),
    )


# --- the whole project ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverallProgress:
    articles: int
    needed: int  # articles × annotators per article
    submitted: int  # non-gold assignments submitted
    reviewed: int  # articles whose gold assignment is submitted

    @property
    def percent_submitted(self) -> int:
        # Capped: lowering the overlap after work was submitted can leave more submitted than needed.
        return min(100, round(100 * self.submitted / self.needed)) if self.needed else 0

    @property
    def percent_reviewed(self) -> int:
        return round(100 * self.reviewed / self.articles) if self.articles else 0


def overall_progress(*, project: Project) -> OverallProgress:
    """Two queries."""
    articles = Article.objects.filter(project=project).aggregate(
        n=Count("id"), reviewed=Count("id", filter=Q(_gold_submitted("pk")))
    )
    submitted = submitted_assignments(project=project).count()
    return OverallProgress(
        articles=articles["n"],
        needed=articles["n"] * project.annotators_per_article,
        submitted=submitted,
        reviewed=articles["reviewed"],
    )


@dataclass(frozen=True)
class Dashboard:
    annotators: list[AnnotatorFigures]
    weekly_agreement: list[WeekAgreement]
    stances: StanceDistribution
    progress: OverallProgress
    qualification: QualificationResults


def project_dashboard(*, project: Project) -> Dashboard:
    """Everything the dashboard page shows: sixteen queries, whatever the size of the project."""
    return Dashboard(
        annotators=annotator_figures(project=project),
        weekly_agreement=weekly_agreement(project=project),
        stances=stance_distribution(project=project),
        progress=overall_progress(project=project),
        qualification=qualification_results(project=project),
    )
