"""How good the pre-annotator is: precision, recall and F1 against gold annotations.

Everything is micro-averaged: true and false positives and negatives are summed over the articles
of a corpus, then turned into scores. Matching is one-to-one within an article:
- exact: same start and end;
- overlap: the spans share at least one code point; pairs are taken greedily, largest overlap first;
- content + speaker: an overlap match whose predicted speaker name equals the gold speaker's name.
Cues are compared as the set of distinct cue spans of an article (several mentions can share one).
Speakers are compared on matched mentions (accuracy) and as the set of distinct speaker names of an
article (precision/recall/F1). By quote type, both sides are restricted to that type before matching,
so a mixed quote predicted as indirect counts against both types.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .attributions import preannotate
from .native_format import gold_mentions, load_catalogue, mention_of, read_records
from .suggestions import Suggestion

QUOTE_TYPES = ("direct", "indirect", "mixed")
# The goals the brief sets (reported, never assumed): metric key, quote type, threshold.
GOALS = (
    ("content_speaker_overlap", "direct", 0.85),
    ("content_speaker_overlap", "indirect", 0.6),
)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    speaker: str | None
    cue: tuple[int, int] | None
    quote_type: str

    @classmethod
    def from_native(cls, mention: dict) -> Mention:
        speaker = mention.get("speaker") or {}
        cue = mention.get("cue")
        return cls(
            mention["start"],
            mention["end"],
            speaker.get("name"),
            (cue["start"], cue["end"]) if cue else None,
            mention.get("quote_type", "direct"),
        )

    @classmethod
    def from_suggestion(cls, suggestion: Suggestion) -> Mention:
        return cls.from_native(mention_of(suggestion))

    def overlap(self, other: Mention) -> int:
        return max(0, min(self.end, other.end) - max(self.start, other.start))


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, predicted: int, gold: int) -> None:
        self.tp += tp
        self.fp += predicted - tp
        self.fn += gold - tp

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


@dataclass
class Accuracy:
    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def as_dict(self) -> dict:
        return {"correct": self.correct, "total": self.total, "accuracy": round(self.value, 3)}


SPAN_METRICS = ("content_exact", "content_overlap", "content_speaker_overlap")


@dataclass
class Report:
    """The scores of one corpus."""

    articles: int = 0
    gold: int = 0
    predicted: int = 0
    scores: dict[str, Score] = field(default_factory=dict)
    by_type: dict[str, dict[str, Score]] = field(default_factory=dict)
    speaker_on_matched: Accuracy = field(default_factory=Accuracy)
    quote_type_on_matched: Accuracy = field(default_factory=Accuracy)

    def score(self, metric: str, quote_type: str | None = None) -> Score:
        table = self.scores if quote_type is None else self.by_type.setdefault(quote_type, {})
        return table.setdefault(metric, Score())

    def as_dict(self) -> dict:
        return {
            "articles": self.articles,
            "gold_mentions": self.gold,
            "predicted_mentions": self.predicted,
            "scores": {name: score.as_dict() for name, score in self.scores.items()},
            "by_quote_type": {
                quote_type: {name: score.as_dict() for name, score in scores.items()}
                for quote_type, scores in self.by_type.items()
            },
            "speaker_on_matched": self.speaker_on_matched.as_dict(),
            "quote_type_on_matched": self.quote_type_on_matched.as_dict(),
        }


def match_exact(gold: list[Mention], predicted: list[Mention]) -> list[tuple[Mention, Mention]]:
    by_span = {(p.start, p.end): p for p in predicted}
    return [(g, by_span[(g.start, g.end)]) for g in gold if (g.start, g.end) in by_span]


def match_overlap(
    gold: list[Mention], predicted: list[Mention], fits: Callable[[Mention, Mention], bool] = lambda g, p: True
) -> list[tuple[Mention, Mention]]:
    """One-to-one pairs of overlapping mentions, the largest overlaps first."""
    candidates = sorted(
        (
            (g.overlap(p), gi, pi)
            for gi, g in enumerate(gold)
            for pi, p in enumerate(predicted)
            if g.overlap(p) and fits(g, p)
        ),
        reverse=True,
    )
    used_gold, used_predicted, pairs = set(), set(), []
    for _, gi, pi in candidates:
        if gi not in used_gold and pi not in used_predicted:
            used_gold.add(gi)
            used_predicted.add(pi)
            pairs.append((gold[gi], predicted[pi]))
    return pairs


def _same_speaker(gold: Mention, predicted: Mention) -> bool:
    return gold.speaker is not None and gold.speaker == predicted.speaker


def _add_span_scores(report: Report, gold: list[Mention], predicted: list[Mention], quote_type: str | None) -> None:
    report.score("content_exact", quote_type).add(len(match_exact(gold, predicted)), len(predicted), len(gold))
    report.score("content_overlap", quote_type).add(len(match_overlap(gold, predicted)), len(predicted), len(gold))
    report.score("content_speaker_overlap", quote_type).add(
        len(match_overlap(gold, predicted, _same_speaker)), len(predicted), len(gold)
    )


def _cue_mentions(mentions: list[Mention]) -> list[Mention]:
    cues = {m.cue for m in mentions if m.cue is not None}
    return [Mention(start, end, None, None, "") for start, end in sorted(cues)]


def add_article(report: Report, gold: list[Mention], predicted: list[Mention]) -> None:
    """Add one article's comparison to the report."""
    report.articles += 1
    report.gold += len(gold)
    report.predicted += len(predicted)
    _add_span_scores(report, gold, predicted, None)
    for quote_type in QUOTE_TYPES:
        _add_span_scores(
            report,
            [m for m in gold if m.quote_type == quote_type],
            [m for m in predicted if m.quote_type == quote_type],
            quote_type,
        )
    gold_cues, predicted_cues = _cue_mentions(gold), _cue_mentions(predicted)
    report.score("cue_exact").add(len(match_exact(gold_cues, predicted_cues)), len(predicted_cues), len(gold_cues))
    report.score("cue_overlap").add(len(match_overlap(gold_cues, predicted_cues)), len(predicted_cues), len(gold_cues))
    gold_speakers = {m.speaker for m in gold if m.speaker}
    predicted_speakers = {m.speaker for m in predicted if m.speaker}
    report.score("speaker_set").add(
        len(gold_speakers & predicted_speakers), len(predicted_speakers), len(gold_speakers)
    )
    for g, p in match_overlap(gold, predicted):
        report.speaker_on_matched.total += 1
        report.speaker_on_matched.correct += _same_speaker(g, p)
        report.quote_type_on_matched.total += 1
        report.quote_type_on_matched.correct += g.quote_type == p.quote_type


@dataclass(frozen=True)
class GoldArticle:
    external_id: str
    body: str
    gold: list[Mention]
    speakers: list[dict]


def load_corpus(articles: Path, catalogue: Path) -> list[GoldArticle]:
    speakers = load_catalogue(catalogue)
    return [
        GoldArticle(
            record["article"].get("external_id", str(number)),
            record["article"]["body"],
            [Mention.from_native(m) for m in gold_mentions(record)],
            speakers,
        )
        for number, record in read_records(articles)
    ]


def standard_corpora(root: Path) -> dict[str, list[GoldArticle]]:
    """The demo article, the development set, both together, and the held-out set."""
    data = root / "tests" / "data" / "preannotation"
    demo = load_corpus(root / "seeds" / "demo" / "articles.jsonl", root / "seeds" / "demo" / "project.json")
    dev = load_corpus(data / "articles.jsonl", data / "speakers.json")
    heldout = load_corpus(data / "heldout_articles.jsonl", data / "heldout_speakers.json")
    return {"demo": demo, "dev": dev, "demo + dev": demo + dev, "held out": heldout}


def evaluate(
    articles: Iterable[GoldArticle], predict: Callable[[str, list[dict]], list[Suggestion]] | None = None
) -> Report:
    """Run the pre-annotator (or `predict`) on every article and score it against the gold."""
    predict = predict or (lambda body, speakers: preannotate(body, speakers=speakers))
    report = Report()
    for article in articles:
        predicted = [Mention.from_suggestion(s) for s in predict(article.body, article.speakers)]
        add_article(report, article.gold, predicted)
    return report


# --- presenting ----------------------------------------------------------------------------

ROWS = (
    ("content, exact", "content_exact", None),
    ("content, overlap", "content_overlap", None),
    ("content + speaker, overlap", "content_speaker_overlap", None),
    ("direct: content, exact", "content_exact", "direct"),
    ("direct: content, overlap", "content_overlap", "direct"),
    ("direct: content + speaker, overlap", "content_speaker_overlap", "direct"),
    ("indirect: content, exact", "content_exact", "indirect"),
    ("indirect: content, overlap", "content_overlap", "indirect"),
    ("indirect: content + speaker, overlap", "content_speaker_overlap", "indirect"),
    ("mixed: content, exact", "content_exact", "mixed"),
    ("mixed: content, overlap", "content_overlap", "mixed"),
    ("mixed: content + speaker, overlap", "content_speaker_overlap", "mixed"),
    ("cue, exact", "cue_exact", None),
    ("cue, overlap", "cue_overlap", None),
    ("speakers of the article (set)", "speaker_set", None),
)


def _cell(score: Score) -> str:
    return f"{score.precision:.2f} / {score.recall:.2f} / **{score.f1:.2f}**"


def goal_results(reports: dict[str, Report]) -> list[dict]:
    results = []
    for corpus, report in reports.items():
        for metric, quote_type, threshold in GOALS:
            f1 = report.score(metric, quote_type).f1
            results.append(
                {"corpus": corpus, "metric": metric, "quote_type": quote_type, "goal": threshold, "f1": round(f1, 3),
                 "reached": f1 >= threshold}
            )  # fmt: skip
    return results


def to_markdown(reports: dict[str, Report]) -> str:
    names = list(reports)
    lines = [
        "| metric (precision / recall / **F1**) | " + " | ".join(names) + " |",
        "| --- | " + " | ".join("---" for _ in names) + " |",
        "| articles / gold / predicted mentions | "
        + " | ".join(f"{r.articles} / {r.gold} / {r.predicted}" for r in reports.values())
        + " |",
    ]
    for label, metric, quote_type in ROWS:
        lines.append(f"| {label} | " + " | ".join(_cell(r.score(metric, quote_type)) for r in reports.values()) + " |")
    for label, attribute in (("speaker correct on matched mentions", "speaker_on_matched"),
                             ("quote type correct on matched mentions", "quote_type_on_matched")):  # fmt: skip
        cells = [getattr(r, attribute) for r in reports.values()]
        lines.append(f"| {label} | " + " | ".join(f"{a.value:.2f} ({a.correct}/{a.total})" for a in cells) + " |")
    lines += ["", "| goal | corpus | F1 | reached |", "| --- | --- | --- | --- |"]
    for goal in goal_results(reports):
        label = f"{goal['quote_type']}: content + speaker, overlap, F1 ≥ {goal['goal']}"
        lines.append(f"| {label} | {goal['corpus']} | {goal['f1']:.2f} | {'yes' if goal['reached'] else 'no'} |")
    return "\n".join(lines) + "\n"


def to_json(reports: dict[str, Report]) -> str:
    data = {"corpora": {name: report.as_dict() for name, report in reports.items()}, "goals": goal_results(reports)}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
