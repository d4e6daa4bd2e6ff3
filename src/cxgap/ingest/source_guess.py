"""A source type proposed for a file that does not say it, so that the mapping step does not
wait for a choice the file's columns already suggest.

A preset names its source type (Trustpilot: review, Zendesk: ticket…) and a column may hold
it; otherwise the proposal comes, in this order, from a column mapped to stars (reviews), the
words of the column names (``Ticket ID``, ``Conversation``, ``Réclamation``…), a column
mapped to a survey score (NPS, CSAT, CES) and the words of the file name. The proposal only
prefills the choice: the mapping step says where it comes from and the person can change it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from cxgap.ingest.choices import ColumnChoices, has_phrase, name_words

# Source type → words that show it in a column or file name (accents ignored), most
# specific types first.
_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ticket", ("ticket", "tickets", "incident", "priority", "priorite", "assignee", "requester")),
    ("complaint", ("complaint", "complaints", "reclamation", "reclamations", "plainte")),
    ("chat", ("chat", "conversation", "transcript", "livechat", "whatsapp", "messenger")),
    ("email", ("email", "e mail", "emails", "mail", "sender", "expediteur", "inbox")),
    ("social", ("tweet", "tweets", "retweets", "likes", "followers", "twitter", "instagram")),
    ("agent_note", ("agent note", "call note", "note agent", "compte rendu")),
    ("review", ("review", "reviews", "avis", "trustpilot", "google reviews")),
    ("survey", ("survey", "enquete", "questionnaire", "sondage", "respondent", "response id")),
)
_SCORES = ("nps", "csat", "ces")


def propose_source_type(choices: ColumnChoices, *, file_name: str) -> ColumnChoices:
    """The choices with a proposed source type, unless a column or the preset gives one.

    >>> from cxgap.ingest.choices import IGNORE
    >>> start = ColumnChoices({"Date": "collected_at", "Note": "stars", "Avis": "text"})
    >>> chosen = propose_source_type(start, file_name="export.csv")
    >>> chosen.constants["source_type"], chosen.proposed, chosen.proposed_from
    ('review', 'stars', 'Note')
    >>> start = ColumnChoices({"Ticket ID": IGNORE, "Body": "text"})
    >>> propose_source_type(start, file_name="x.csv").constants["source_type"]
    'ticket'
    """
    if choices.columns_for("source_type") or choices.constants.get("source_type"):
        return choices
    found = (
        _by_field(choices, ("stars",), "review", "stars")
        or _by_words(choices.columns, "columns")
        or _by_field(choices, _SCORES, "survey", "scores")
        or _by_words([file_name.rsplit(".", 1)[0]], "file_name")
    )
    if found is None:
        return choices
    source_type, clue, evidence = found
    constants = choices.constants | {"source_type": source_type}
    return dataclasses.replace(choices, constants=constants, proposed=clue, proposed_from=evidence)


def _by_field(
    choices: ColumnChoices, fields: Iterable[str], source_type: str, clue: str
) -> tuple[str, str, str] | None:
    for name in fields:
        columns = choices.columns_for(name)
        if columns:
            return source_type, clue, columns[0]
    return None


def _by_words(names: Iterable[str], clue: str) -> tuple[str, str, str] | None:
    listed = list(names)
    for source_type, words in _WORDS:
        for name in listed:
            if any(has_phrase(name_words(name), word) for word in words):
                return source_type, clue, name
    return None
