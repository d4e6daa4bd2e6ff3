"""The tone library measured: how the customer's mood ("angry": negative, intensity >= 0.6)
falls across star ratings of real reviews and complaint tweets, and how fast a draft is
checked.

    .venv/bin/python -m bench.tone_eval [--limit 400]

Reads ``dev_sentiment/`` from ``../shared/data`` (or ``CXGAP_SHARED_DATA``) and skips the mood
part cleanly when it is absent; the files the sentiment encoder is fine-tuned on are left
out. Results go to ``bench/out/tone_eval.json`` too.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from cxgap.text.protocols import TextAnalyzer
from cxgap.tone.check import check_draft
from cxgap.tone.model import ANGRY_INTENSITY, Mood, ReplyContext, ToneProfile, mood_of
from cxgap.tone.templates import SITUATIONS, fill_template

SHARED = Path(
    os.environ.get("CXGAP_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
OUT = Path(__file__).with_name("out") / "tone_eval.json"
# file, text column, label column (stars 1-5, or complaint 0/1)
FILES = (
    ("fr_trustpilot_multisector_2021.csv", "content_review", "stars"),
    ("fr_insurance_reviews_avis1.csv", "avis", "note"),
    ("en_complaints_tweets_9domains.csv", "text", "complaint"),
)


def mood_by_label(analyzer: TextAnalyzer, limit: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name, text_column, label_column in FILES:
        by_label: dict[str, list[str]] = {}
        with (SHARED / "dev_sentiment" / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                text = (row[text_column] or "").strip()
                label = str(int(float(row[label_column])))
                if text and len(by_label.setdefault(label, [])) < limit:
                    by_label[label].append(text)
        results[name] = {}
        for label in sorted(by_label):
            analyses = analyzer.analyze(by_label[label])
            moods = [mood_of([a]) for a in analyses]
            negative = [m.intensity for m in moods if m.upset]
            results[name][label] = {
                "n": len(moods),
                "negative_share": round(len(negative) / len(moods), 3),
                "angry_share": round(sum(m.angry for m in moods) / len(moods), 3),
                "negative_median_intensity": round(statistics.median(negative), 3)
                if negative
                else None,
            }
    return results


def check_speed(repeat: int) -> dict[str, Any]:
    values = {"first_name": "Léa", "order_ref": "CMD-1", "due_date": "8 décembre"}
    drafts = [
        (fill_template(s, lang, values, a).text, lang, a)
        for s in SITUATIONS
        for lang, a in (("fr", "vous"), ("fr", "tu"), ("en", "vous"))
    ]
    angry = Mood("negative", 0.9)
    start = time.perf_counter()
    findings = 0
    for _ in range(repeat):
        for text, lang, address in drafts:
            context = ReplyContext("email", lang, ToneProfile(address), angry)  # type: ignore[arg-type]
            findings += len(check_draft(text, context))
    elapsed = time.perf_counter() - start
    count = repeat * len(drafts)
    return {
        "drafts": count,
        "words_per_draft": round(sum(len(d[0].split()) for d in drafts) / len(drafts)),
        "drafts_per_second": round(count / elapsed),
        "findings": findings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=400, help="texts per label and file")
    args = parser.parse_args()
    report: dict[str, Any] = {"angry_intensity": ANGRY_INTENSITY, "check": check_speed(50)}
    if (SHARED / "dev_sentiment").is_dir():
        from cxgap.text.analyzer import build_analyzer

        report["mood"] = mood_by_label(build_analyzer(), args.limit)
    else:
        report["mood"] = f"skipped: no {SHARED / 'dev_sentiment'}"
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
