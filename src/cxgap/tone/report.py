"""Findings and guidance as the CLI, the API and the pages show them: messages in both
languages, the text at fault, and a plain-text table."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from cxgap.i18n import LOCALES, translate
from cxgap.tone.guidance import Guidance, guidance_lines
from cxgap.tone.model import ToneFinding


def message_key(finding: ToneFinding) -> str:
    """The catalogue key of a finding's message (``too_cold`` says what is missing)."""
    if finding.code == "too_cold":
        return f"tone.check.too_cold_{finding.params.get('missing', 'greeting')}"
    return f"tone.check.{finding.code}"


def finding_message(finding: ToneFinding, locale: str) -> str:
    return translate(message_key(finding), locale, **finding.params)


def finding_json(finding: ToneFinding, text: str) -> dict[str, Any]:
    return {
        "code": finding.code,
        "start": finding.start,
        "end": finding.end,
        "text": text[finding.start : finding.end],
        "params": dict(finding.params),
        "message": {locale: finding_message(finding, locale) for locale in LOCALES},
    }


def guidance_json(guidance: Guidance) -> dict[str, Any]:
    return {
        "channel": guidance.channel,
        "language": guidance.language,
        "address": guidance.address,
        "words": {"min": guidance.words[0], "max": guidance.words[1]},
        "characters": guidance.characters,
        "greeting": guidance.greeting,
        "signature": guidance.signature,
        "apology_first": guidance.apology_first,
        "empathy": guidance.empathy,
        "commit_before": None
        if guidance.commit_before is None
        else guidance.commit_before.isoformat(),
        "avoid": list(guidance.avoid),
        "lines": [
            {"code": line.code, "message": {loc: line.said(loc) for loc in LOCALES}}
            for line in guidance.lines
        ],
    }


def check_json(text: str, findings: Sequence[ToneFinding], guidance: Guidance) -> dict[str, Any]:
    """The answer of ``cxgap replies check --format json`` and of the API."""
    return {
        "findings": [finding_json(f, text) for f in findings],
        "guidance": guidance_json(guidance),
    }


def check_table(text: str, findings: Sequence[ToneFinding], locale: str) -> str:
    """One line per finding: where (line:column), the code, the message."""
    if not findings:
        return translate("tone.findings.none", locale)
    rows = []
    for finding in findings:
        line = text.count("\n", 0, finding.start) + 1
        column = finding.start - (text.rfind("\n", 0, finding.start) + 1) + 1
        where = f"{line}:{column}"
        rows.append(f"{where:<8} {finding.code:<20} {finding_message(finding, locale)}")
    return "\n".join(rows)


def highlight_segments(text: str, findings: Sequence[ToneFinding]) -> list[tuple[str, list[int]]]:
    """The text cut at every finding's start and end: (piece, indexes of the findings that
    cover it), for a page that marks the faults without script.

    >>> f = ToneFinding("blame", 0, 5)
    >>> highlight_segments("As stated, no.", [f])
    [('As st', [0]), ('ated, no.', [])]
    """
    cuts = sorted({0, len(text), *(f.start for f in findings), *(f.end for f in findings)})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        covering = [i for i, f in enumerate(findings) if f.start <= start and end <= f.end]
        pieces.append((text[start:end], covering))
    return pieces


def findings_view(
    text: str, findings: Sequence[ToneFinding], guidance: Guidance, locale: str
) -> dict[str, Any]:
    """What ``templates/tone/_findings.html`` shows, in the reader's language."""
    rows = []
    for number, finding in enumerate(findings, start=1):
        line = text.count("\n", 0, finding.start) + 1
        column = finding.start - (text.rfind("\n", 0, finding.start) + 1) + 1
        rows.append(
            {
                "number": number,
                "code": finding.code,
                "where": f"{line}:{column}",
                "text": text[finding.start : finding.end],
                "message": finding_message(finding, locale),
            }
        )
    segments = []
    position = 0
    for piece, covering in highlight_segments(text, findings):
        position += len(piece)
        ending = [i + 1 for i in covering if findings[i].end == position]
        segments.append({"text": piece, "marked": bool(covering), "ends": ending})
    return {"findings": rows, "segments": segments, "guidance": guidance_lines(guidance, locale)}
