"""Flags said in words, in French or English (``integrity.flag.*`` and ``integrity.why.*``)."""

from __future__ import annotations

from cxgap.i18n import translate
from cxgap.integrity.model import Flag


def flag_label(name: str, locale: str) -> str:
    """The flag's short name: ``speeder`` → "Speeder" / "Trop rapide"."""
    return translate(f"integrity.flag.{name}", locale)


def reason(flag: Flag, locale: str) -> str:
    """Why this response or agent was flagged, with its figures."""
    params = {key: _shown(key, value, locale) for key, value in flag.params.items()}
    why = flag.params.get("why")
    key = f"integrity.why.{flag.name}" + (f".{why}" if why and flag.name != "gibberish" else "")
    if flag.name == "gibberish":
        params["why"] = translate(f"integrity.gibberish.{why}", locale)
    if flag.name == "score_begging" and "pattern" not in flag.params:
        key = "integrity.why.agent_begging"
    return translate(key, locale, **params)


_SHARES = frozenset({"share", "peers", "shrunk"})


def _shown(key: str, value: object, locale: str) -> object:
    if key in _SHARES and isinstance(value, float):
        percent = f"{100 * value:.0f}"
        return f"{percent} %" if locale == "fr" else f"{percent}%"
    if isinstance(value, float) and locale == "fr":
        return f"{value:g}".replace(".", ",")
    if isinstance(value, float):
        return f"{value:g}"
    return value
