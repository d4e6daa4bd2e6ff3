"""The journey JSON document (the issue's contract): write it, read it back, refuse it with the
JSON path of the first problem.

Names are bilingual: ``name_en`` and ``name_fr`` hold both, ``name`` repeats the one in the
document's ``locale`` for readers that want a single label (the other language's when the
locale's is missing, and then ``missing`` lists the language that has no name yet). On
reading, ``name`` is required and fills whichever of ``name_en`` / ``name_fr`` is absent; one
given as an empty string stays missing (the editor sends that for a name typed in one
language). ``measured`` is written for readers and ignored on reading: it is recomputed from
feedback, never imported.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, TypeVar

from cxgap.errors import FieldProblem, ValidationError
from cxgap.journeys.criticality import disagrees
from cxgap.journeys.model import (
    CHANNELS,
    PERSONA_ADDRESSES,
    PERSONA_REPLY_LENGTHS,
    PERSONA_TEXTS,
    Change,
    Criticality,
    Journey,
    Measured,
    Persona,
    Phase,
    Stage,
    Text,
    Touchpoint,
    Version,
)

FORMAT = "cxgap-journey/1"
KEY_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")
MAX_TEXT = 2000
T = TypeVar("T")


def journey_to_document(
    journey: Journey, *, locale: str = "en", topics: Mapping[str, Sequence[str]] | None = None
) -> dict[str, Any]:
    """The contract JSON of a journey, names shown in ``locale``; with ``topics`` (topic
    keys per touchpoint key), each touchpoint lists the topics linked to it."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "key": journey.key,
        "locale": locale,
        **_names(journey.name, locale),
        "version": journey.version.value,
        "based_on": journey.based_on,
        "persona": None if journey.persona is None else persona_document(journey.persona, locale),
        "stages": [_stage_document(stage, locale) for stage in journey.stages],
    }
    if topics is not None:
        for stage in document["stages"]:
            for tp in stage["touchpoints"]:
                tp["topics"] = list(topics.get(tp["key"], ()))
    return document


def _names(name: Text, locale: str) -> dict[str, Any]:
    names: dict[str, Any] = {"name": name.get(locale), "name_en": name.en, "name_fr": name.fr}
    missing = [lang for lang in ("en", "fr") if name.is_missing(lang)]
    if missing:
        names["missing"] = missing
    return names


def persona_document(persona: Persona, locale: str = "en") -> dict[str, Any]:
    """The persona as exports give it: each text in ``locale`` (the other language's when
    missing there) under its plain name, both languages under ``<name>_en`` and
    ``<name>_fr``, and ``missing`` listing the texts a language lacks.

    >>> doc = persona_document(Persona("c", "C", needs_fr=("Des délais fiables",)), "en")
    >>> doc["needs"], doc["needs_en"], doc["missing"]
    (['Des délais fiables'], [], ['needs_en'])
    """
    texts: dict[str, Any] = {}
    for field in PERSONA_TEXTS:
        texts[field] = list(persona.lines(field, locale))
        texts[f"{field}_en"] = list(getattr(persona, field))
        texts[f"{field}_fr"] = list(getattr(persona, f"{field}_fr"))
    return {
        "key": persona.key,
        "name": persona.name,
        "quote": persona.quote,
        **texts,
        "preferred_channels": list(persona.preferred_channels),
        "generation": persona.generation,
        "segment": persona.segment,
        "address": persona.address,
        "reply_length": persona.reply_length,
        "missing": persona.missing(),
    }


def _stage_document(stage: Stage, locale: str) -> dict[str, Any]:
    return {
        "key": stage.key,
        **_names(stage.name, locale),
        "phase": stage.phase.value,
        "touchpoints": [_touchpoint_document(tp, locale) for tp in stage.touchpoints],
    }


def _touchpoint_document(tp: Touchpoint, locale: str) -> dict[str, Any]:
    m = tp.measured
    return {
        "key": tp.key,
        **_names(tp.name, locale),
        "channel": tp.channel,
        "digital": tp.digital,
        "interlocutor": tp.interlocutor,
        "description": tp.description,
        "goal": tp.goal,
        "emotion": tp.emotion,
        "moment_of_truth": tp.moment_of_truth,
        "declared_criticality": None
        if tp.declared_criticality is None
        else tp.declared_criticality.value,
        "change": None if tp.change is None else tp.change.value,
        "measured": {
            "feedback_count": m.feedback_count,
            "sentiment_mean": m.sentiment_mean,
            "nps": m.nps,
            "measured_criticality": None
            if m.measured_criticality is None
            else m.measured_criticality.value,
            "top_irritants": [
                {
                    "topic": irritant.topic,
                    "name": irritant.name.get(locale),
                    "count": irritant.count,
                    "verbatims": list(irritant.verbatims),
                }
                for irritant in m.top_irritants
            ],
            "csat": m.csat,
            "disagrees": disagrees(tp.declared_criticality, m.measured_criticality),
        },
    }


# --- reading ---------------------------------------------------------------------------------


def _refuse(path: str, message: str, value: object = None, code: str = "format") -> ValidationError:
    return ValidationError(
        [FieldProblem(field=path, message=message, value=value, code=code)],
        summary="Invalid journey document",
    )


def _field(obj: dict[str, Any], path: str, name: str, *, required: bool = True) -> Any:
    if name not in obj:
        if required:
            raise _refuse(f"{path}.{name}", "is required", code="required")
        return None
    return obj[name]


def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _refuse(path, "must be an object", _short(value))
    return value


def _string(value: Any, path: str, *, optional: bool = False, empty: bool = True) -> str:
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        raise _refuse(path, "must be a string", _short(value))
    if not empty and not value.strip():
        raise _refuse(path, "must not be empty", value, code="required")
    if len(value) > MAX_TEXT:
        raise _refuse(path, f"must be at most {MAX_TEXT} characters", code="too_long")
    return value.strip()


def _key(value: Any, path: str) -> str:
    text = _string(value, path, empty=False)
    if (
        not (text[0].isascii() and text[0].isalpha() and text[0].islower())
        or not set(text) <= KEY_CHARS
        or len(text) > 63
    ):
        raise _refuse(path, "must be a key: a-z first, then a-z, 0-9, '-' or '_' (≤ 63)", text)
    return text


def _choice(value: Any, path: str, choices: Callable[[str], T], allowed: list[str]) -> T:
    if not isinstance(value, str) or value not in allowed:
        raise _refuse(path, f"must be one of {', '.join(allowed)}", _short(value), code="choice")
    return choices(value)


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _refuse(path, "must be a list", _short(value))
    return value


def _strings(value: Any, path: str) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(_string(item, f"{path}[{i}]") for i, item in enumerate(_list(value, path)))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _text(obj: dict[str, Any], path: str) -> Text:
    name = _string(_field(obj, path, "name"), f"{path}.name", empty=False)
    en = _string(obj.get("name_en"), f"{path}.name_en", optional=True)
    fr = _string(obj.get("name_fr"), f"{path}.name_fr", optional=True)
    if not en and not fr:
        return Text(en=name, fr=name)
    # Absent: the name; an empty string: missing in that language (the other one is there).
    absent = [obj.get(field) is None for field in ("name_en", "name_fr")]
    return Text(en=name if absent[0] else en, fr=name if absent[1] else fr)


def _unique(keys: list[tuple[str, str]]) -> None:
    seen: set[str] = set()
    for path, key in keys:
        if key in seen:
            raise _refuse(path, "duplicates a key used earlier in the journey", key, code="unique")
        seen.add(key)


def parse_journey_document(data: Any) -> Journey:
    """A journey from its JSON document, or ``ValidationError`` naming the first bad path.

    >>> parse_journey_document({"key": "j", "name": "J", "stages": []}).key
    'j'
    """
    doc = _object(data, "$")
    fmt = doc.get("format", FORMAT)
    if fmt != FORMAT:
        raise _refuse("$.format", f"must be {FORMAT!r}", _short(fmt), code="choice")
    key = _key(_field(doc, "$", "key"), "$.key")
    name = _text(doc, "$")
    versions = [v.value for v in Version]
    version = _choice(doc.get("version", "current"), "$.version", Version, versions)
    based_on = doc.get("based_on")
    based = None if based_on is None else _key(based_on, "$.based_on")
    persona_doc = doc.get("persona")
    persona = None if persona_doc is None else _persona(persona_doc, "$.persona")
    stages_value = _list(_field(doc, "$", "stages"), "$.stages")
    stages = tuple(_stage(s, f"$.stages[{i}]") for i, s in enumerate(stages_value))
    _unique([(f"$.stages[{i}].key", s.key) for i, s in enumerate(stages)])
    _unique(
        [
            (f"$.stages[{i}].touchpoints[{j}].key", tp.key)
            for i, s in enumerate(stages)
            for j, tp in enumerate(s.touchpoints)
        ]
    )
    return Journey(
        key=key, name=name, version=version, persona=persona, based_on=based, stages=stages
    )


def document_topics(data: Any, known: Collection[str] | None = None) -> dict[str, tuple[str, ...]]:
    """The topic keys of each touchpoint that carries a ``topics`` list (a touchpoint without
    one keeps its links). Read from a document ``parse_journey_document`` accepted; with
    ``known``, a topic key outside it is refused with its path.

    >>> doc = {"stages": [{"touchpoints": [{"key": "web", "topics": ["price"]}, {"key": "x"}]}]}
    >>> document_topics(doc, known={"price", "delay"})
    {'web': ('price',)}
    """
    found: dict[str, tuple[str, ...]] = {}
    for i, stage in enumerate(data["stages"]):
        for j, tp in enumerate(stage["touchpoints"]):
            if tp.get("topics") is None:
                continue
            path = f"$.stages[{i}].touchpoints[{j}].topics"
            keys = _strings(tp["topics"], path)
            for n, key in enumerate(keys):
                if known is not None and key not in known:
                    raise _refuse(f"{path}[{n}]", "is not an active topic of the taxonomy", key,
                                  code="choice")  # fmt: skip
            found[tp["key"]] = tuple(dict.fromkeys(keys))
    return found


def _persona(value: Any, path: str) -> Persona:
    obj = _object(value, path)
    channels = _strings(obj.get("preferred_channels"), f"{path}.preferred_channels")
    for i, channel in enumerate(channels):
        _choice(channel, f"{path}.preferred_channels[{i}]", str, list(CHANNELS))
    generation = obj.get("generation")
    segment = obj.get("segment")
    return Persona(
        key=_key(_field(obj, path, "key"), f"{path}.key"),
        name=_string(_field(obj, path, "name"), f"{path}.name", empty=False),
        quote=_string(obj.get("quote"), f"{path}.quote", optional=True),
        preferred_channels=channels,
        generation=None if generation is None else _string(generation, f"{path}.generation"),
        segment=None if segment is None else _key(segment, f"{path}.segment"),
        **_persona_texts(obj, path),
        # Absent (a document written before personas had a tone): the defaults.
        address=_choice(obj.get("address", "vous"), f"{path}.address", str,
                        list(PERSONA_ADDRESSES)),
        reply_length=_choice(obj.get("reply_length", "standard"), f"{path}.reply_length", str,
                             list(PERSONA_REPLY_LENGTHS)),
    )  # fmt: skip


def _persona_texts(obj: dict[str, Any], path: str) -> dict[str, tuple[str, ...]]:
    """Both languages from ``<name>_en`` and ``<name>_fr``; a document without them (written
    before texts were bilingual) has its plain ``<name>`` list taken as English."""
    texts: dict[str, tuple[str, ...]] = {}
    for field in PERSONA_TEXTS:
        if f"{field}_en" in obj or f"{field}_fr" in obj:
            texts[field] = _strings(obj.get(f"{field}_en"), f"{path}.{field}_en")
            texts[f"{field}_fr"] = _strings(obj.get(f"{field}_fr"), f"{path}.{field}_fr")
        else:
            texts[field] = _strings(obj.get(field), f"{path}.{field}")
    return texts


def _stage(value: Any, path: str) -> Stage:
    obj = _object(value, path)
    key = _key(_field(obj, path, "key"), f"{path}.key")
    name = _text(obj, path)
    phase = _choice(_field(obj, path, "phase"), f"{path}.phase", Phase, [p.value for p in Phase])
    tps = _list(_field(obj, path, "touchpoints"), f"{path}.touchpoints")
    return Stage(
        key=key,
        name=name,
        phase=phase,
        touchpoints=tuple(_touchpoint(t, f"{path}.touchpoints[{j}]") for j, t in enumerate(tps)),
    )


def _touchpoint(value: Any, path: str) -> Touchpoint:
    obj = _object(value, path)
    key = _key(_field(obj, path, "key"), f"{path}.key")
    name = _text(obj, path)
    channel = _choice(_field(obj, path, "channel"), f"{path}.channel", str, list(CHANNELS))
    digital = _field(obj, path, "digital")
    if not isinstance(digital, bool):
        raise _refuse(f"{path}.digital", "must be true or false", _short(digital))
    mot = obj.get("moment_of_truth", False)
    if not isinstance(mot, bool):
        raise _refuse(f"{path}.moment_of_truth", "must be true or false", _short(mot))
    emotion = obj.get("emotion", 0)
    if isinstance(emotion, bool) or not isinstance(emotion, int) or not -2 <= emotion <= 2:
        raise _refuse(
            f"{path}.emotion", "must be an integer from -2 to 2", _short(emotion), "range"
        )
    declared = obj.get("declared_criticality")
    criticalities = [c.value for c in Criticality]
    change = obj.get("change")
    return Touchpoint(
        key=key,
        name=name,
        channel=channel,
        digital=digital,
        interlocutor=_string(obj.get("interlocutor"), f"{path}.interlocutor", optional=True),
        description=_string(obj.get("description"), f"{path}.description", optional=True),
        goal=_string(obj.get("goal"), f"{path}.goal", optional=True),
        emotion=emotion,
        moment_of_truth=mot,
        declared_criticality=None
        if declared is None
        else _choice(declared, f"{path}.declared_criticality", Criticality, criticalities),
        change=None
        if change is None
        else _choice(change, f"{path}.change", Change, [c.value for c in Change]),
        measured=Measured(),
    )
