"""Pages for claims and speakers across articles: lists with search, a claim's timeline and
stances, a speaker's claims; reviewers and managers also merge, split and rename here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from annotator.charts import Series, line_chart
from claims.access import REVIEWING, has_role, project_for
from claims.models import Claim, Speaker
from claims.reads.merges import claim_merge_preview, speaker_merge_preview
from claims.reads.search import claims_matching, speakers_matching
from claims.reads.tracking import (
    claim_speakers,
    claim_stances_by_month,
    claim_timeline,
    claims_with_counts,
    label_names,
    speaker_catalogue,
    speaker_claims,
)
from claims.services.errors import RuleViolation
from claims.services.speakers import speaker_merge, speaker_merge_check
from claims.services.tracked_claims import claim_merge, claim_merge_check, claim_split, claim_update

CHOOSE_TARGET = "Choose what to merge into."
DASHES = ["", "6 3", "2 3", "9 3 2 3", "1 2"]
MARKERS = ["circle", "square", "triangle", "circle", "square"]


def _failed(request, error: RuleViolation) -> None:
    for field_messages in error.errors.values():
        for message in field_messages:
            messages.error(request, message)


def _target_id(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 19 else None


@login_required
def claims_page(request, pk: int):
    project = project_for(request.user, pk)
    words = (request.GET.get("q") or "").strip()[:200]
    claims = claims_matching(project=project, words=words) if words else None
    rows = claims_with_counts(project=project, user=request.user, claims=claims)
    if not words:
        rows = rows.order_by("-n_mentions", "text")
    return render(request, "claims/list.html", {"project": project, "claims": rows[:200], "q": words})


def _stance_chart(months, labels):
    if not months:
        return None
    top = max((sum(month.counts.values()) for month in months), default=0)
    y_max = max(1, top)
    series = [
        Series(name=label.name, values=[month.counts.get(label.value, 0) for month in months], colour=label.colour,
               dash=DASHES[i % len(DASHES)], marker=MARKERS[i % len(MARKERS)])
        for i, label in enumerate(labels)
    ]  # fmt: skip
    return line_chart(
        chart_id="chart-claim-stances",
        title="Stances toward the claim by month",
        desc="Statements per stance label in each month of publication; one statement per article and speaker.",
        x_labels=[month.month for month in months],
        series=series,
        y_max=y_max,
        y_step=max(1, round(y_max / 4)),
    )


@login_required
def claim_page(request, pk: int):
    claim = get_object_or_404(Claim.objects.for_user(request.user).select_related("project", "created_by"), pk=pk)
    if claim.merged_into_id:
        messages.info(request, f"“{claim.text}” was merged into this claim.")
        return redirect("claim", pk=claim.merged_into_id)
    labels = label_names(claim.project)
    timeline = claim_timeline(claim=claim, user=request.user)
    context = {
        "claim": claim,
        "project": claim.project,
        "labels": labels,
        "timeline": timeline,
        "chart": _stance_chart(claim_stances_by_month(timeline), labels),
        "speakers": claim_speakers(timeline),
        "curator": has_role(request.user, claim.project_id, REVIEWING),
        "others": Claim.objects.filter(project=claim.project).current().exclude(pk=claim.pk).order_by("text"),
    }
    return render(request, "claims/claim.html", context)


@login_required
@require_POST
def claim_curate(request, pk: int):
    claim = get_object_or_404(Claim.objects.for_user(request.user), pk=pk)
    if not has_role(request.user, claim.project_id, REVIEWING):
        raise PermissionDenied
    action = request.POST.get("action")
    try:
        if action == "rename":
            claim_update(claim=claim, text=request.POST.get("text", ""), notes=request.POST.get("notes", claim.notes))
            messages.success(request, "Claim renamed.")
        elif action == "merge":
            target = get_object_or_404(
                Claim.objects.filter(project=claim.project_id), pk=_target_id(request.POST.get("into")) or 0
            )
            if request.POST.get("confirm") != "yes":  # only the confirmation page, which says what moves, merges
                return redirect(reverse("claim-merge", args=[claim.pk]) + f"?into={target.pk}")
            claim = claim_merge(source=claim, target=target)
            messages.success(request, "Claims merged: every mention and article stance now points here.")
        elif action == "split":
            ids = [int(value) for value in request.POST.getlist("mention") if value.isdigit()]
            claim = claim_split(
                claim=claim, text=request.POST.get("text", ""), mention_ids=ids, created_by=request.user
            )
            messages.success(request, "New claim split off with the chosen mentions.")
        else:
            messages.error(request, "Unknown action.")
    except RuleViolation as error:
        _failed(request, error)
    return redirect("claim", pk=claim.pk)


@login_required
def speakers_page(request, pk: int):
    project = project_for(request.user, pk)
    name = (request.GET.get("q") or "").strip()[:200]
    speakers = speakers_matching(project=project, name=name) if name else None
    entries = speaker_catalogue(project=project, user=request.user, speakers=speakers)
    if name:
        order = {s.pk: i for i, s in enumerate(speakers)}
        entries.sort(key=lambda entry: order[entry.speaker.pk])
    return render(
        request, "claims/speakers.html",
        {"project": project, "entries": entries, "q": name, "labels": label_names(project)},
    )  # fmt: skip


@login_required
def speaker_page(request, pk: int):
    speaker = get_object_or_404(Speaker.objects.for_user(request.user).select_related("project"), pk=pk)
    if speaker.merged_into_id:
        messages.info(request, f"{speaker.name} was merged into this speaker.")
        return redirect("speaker", pk=speaker.merged_into_id)
    entry = speaker_catalogue(project=speaker.project, user=request.user, speakers=Speaker.objects.filter(pk=pk))[0]
    context = {
        "speaker": speaker,
        "entry": entry,
        "project": speaker.project,
        "labels": label_names(speaker.project),
        "claims": speaker_claims(speaker=speaker, user=request.user),
        "curator": has_role(request.user, speaker.project_id, REVIEWING),
        "others": Speaker.objects.filter(project=speaker.project).current().exclude(pk=pk).order_by("name"),
    }
    return render(request, "claims/speaker.html", context)


@login_required
@require_POST
def speaker_curate(request, pk: int):
    speaker = get_object_or_404(Speaker.objects.for_user(request.user), pk=pk)
    if not has_role(request.user, speaker.project_id, REVIEWING):
        raise PermissionDenied
    target = get_object_or_404(
        Speaker.objects.filter(project=speaker.project_id), pk=_target_id(request.POST.get("into")) or 0
    )
    if request.POST.get("confirm") != "yes":  # only the confirmation page, which says what moves, merges
        return redirect(reverse("speaker-merge", args=[speaker.pk]) + f"?into={target.pk}")
    try:
        speaker = speaker_merge(source=speaker, target=target)
        messages.success(request, "Speakers merged: every mention now names this speaker.")
    except RuleViolation as error:
        _failed(request, error)
    return redirect("speaker", pk=speaker.pk)


def _merge_confirm(request, pk: int, *, model, page: str, check, preview, name: str):
    """What merging entry `pk` of `model` into the chosen one would move, and the button that does it.
    `page` is the entry's own page (where a refusal leads), `check`/`preview` the service's, `name` the
    template's name for the preview."""
    source = get_object_or_404(model.objects.for_user(request.user).select_related("project"), pk=pk)
    if not has_role(request.user, source.project_id, REVIEWING):
        raise PermissionDenied
    target = model.objects.filter(project=source.project_id, pk=_target_id(request.GET.get("into"))).first()
    if target is None:
        messages.error(request, CHOOSE_TARGET)
        return redirect(page, pk=source.pk)
    try:
        check(source=source, target=target)
    except RuleViolation as error:
        _failed(request, error)
        return redirect(page, pk=source.merged_into_id or source.pk)
    context = {"project": source.project, name: preview(source=source, target=target)}
    return render(request, "claims/merge_confirm.html", context)


@login_required
def claim_merge_confirm(request, pk: int):
    return _merge_confirm(request, pk, model=Claim, page="claim", check=claim_merge_check,
                          preview=claim_merge_preview, name="claim_preview")  # fmt: skip


@login_required
def speaker_merge_confirm(request, pk: int):
    return _merge_confirm(request, pk, model=Speaker, page="speaker", check=speaker_merge_check,
                          preview=speaker_merge_preview, name="speaker_preview")  # fmt: skip
