"""Measure `?similar_to=` on the CLEF 2020 CheckThat! Task 2 data, through the real API.

In a fresh project: the 10,375 verified claims become tracked claims (fact-check title as notes),
each training tweet an article whose text is a mention of its claim; then every tweet of the
evaluated split asks `GET /api/projects/{id}/claims/?similar_to=<tweet>` (Django's test client:
every middleware, the view, the serializer, the database) and the ranked claims are scored as the
task's official scorer does. Everything is rolled back at the end unless --keep.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.test import APIClient
from tqdm import tqdm

from claims import checkthat
from claims.services.projects import project_create
from claims.services.tracked_claims import CLAIM_TEXT_LIMIT


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "MAP@1/@5, MRR and latency of ?similar_to= on CheckThat! 2020 Task 2 (English), through the API."

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, required=True,
                            help="the CLEF 2020 CheckThat! Task 2 (English) data as published: a directory holding "
                            "verified_claims.docs.tsv, train/ and dev/")  # fmt: skip
        parser.add_argument("--split", default="dev", help="the tweets to query (default: dev)")
        parser.add_argument("--no-mentions", action="store_true", help="do not link the training tweets")
        parser.add_argument("--run", type=Path, help="also write a TREC run file here (for trectools)")
        parser.add_argument("--keep", action="store_true", help="commit the project instead of rolling back")

    def handle(self, *args, data: Path, split: str, no_mentions: bool, run: Path | None, keep: bool, **options):
        if not (data / "verified_claims.docs.tsv").exists():
            raise CommandError(f"No CheckThat! data in {data} (give --data).")
        try:
            with transaction.atomic():
                self.evaluate(data=data, split=split, mentions=not no_mentions, run=run)
                if not keep:
                    raise Rollback
        except Rollback:
            pass

    def evaluate(self, *, data: Path, split: str, mentions: bool, run: Path | None) -> None:
        user, _ = get_user_model().objects.get_or_create(username="checkthat-evaluator")
        project = project_create(name=f"CheckThat! 2020 Task 2 {time.time():.0f}", created_by=user)
        self.stderr.write("Tracking the verified claims…")
        claims = checkthat.load_claims(project=project, claims=checkthat.verified_claims(data))
        if mentions:
            train = checkthat.split(data, "train")
            with tqdm(total=len(train.tweets), desc="Linking training tweets", unit="tweet", file=self.stderr) as bar:
                made = checkthat.link_tweets(project=project, tweets=train.tweets, relevant=train.relevant,
                                             claims=claims, progress=bar)  # fmt: skip
            self.stderr.write(f"{made} mentions linked.")
        queries = checkthat.split(data, split)
        client = APIClient()
        client.force_authenticate(user)
        host = next((h for h in settings.ALLOWED_HOSTS if h and "*" not in h), "localhost").lstrip(".")
        runs: dict[str, list[int]] = {}
        latencies: list[float] = []
        url = f"/api/projects/{project.pk}/claims/?"
        for tweet_id, text in tqdm(queries.tweets.items(), desc=f"Querying {split}", unit="tweet", file=self.stderr):
            query = urlencode({"similar_to": text[:CLAIM_TEXT_LIMIT]})
            started = time.perf_counter()
            response = client.get(url + query, secure=True, HTTP_HOST=host)
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise CommandError(f"Tweet {tweet_id}: HTTP {response.status_code} {response.content[:200]!r}")
            runs[tweet_id] = [claim["id"] for claim in response.json()["results"]]
        relevant = {tweet: {claims[vid] for vid in vids} for tweet, vids in queries.relevant.items()}
        if run is not None:
            run.write_text("".join(
                f"{tweet} Q0 {pk} {rank} {len(ranked) - rank + 1} similar_to\n"
                for tweet, ranked in runs.items() for rank, pk in enumerate(ranked, start=1)
            ))  # fmt: skip
            run.with_suffix(".qrels").write_text("".join(
                f"{tweet} 0 {pk} 1\n" for tweet, pks in relevant.items() for pk in sorted(pks)
            ))  # fmt: skip
        figures = checkthat.scores(runs, relevant)
        latencies.sort()
        p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
        self.stdout.write(
            f"| claims | linked train tweets | {split} tweets | MAP@1 | MAP@5 | MRR | latency p50 | latency p95 |\n"
            "|---|---|---|---|---|---|---|---|\n"
            f"| {len(set(claims.values())):,} | {'yes' if mentions else 'no'} | {len(runs)} "
            f"| {figures['MAP@1']:.3f} | {figures['MAP@5']:.3f} | {figures['MRR']:.3f} "
            f"| {statistics.median(latencies) * 1000:.0f} ms | {p95 * 1000:.0f} ms |\n"
        )
