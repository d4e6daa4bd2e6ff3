"""Every message exists in French and English, and every key a template uses exists."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cxgap.i18n import catalog, negotiate_locale, translate

ROOT = Path(__file__).resolve().parents[1] / "src" / "cxgap"
KEY_USE = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")
COUNTED_KEY_USE = re.compile(r"""\btn\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")


def test_both_languages_have_the_same_keys_file_by_file() -> None:
    locales = ROOT / "i18n" / "locales"
    for en_file in sorted((locales / "en").glob("*.json")):
        fr_file = locales / "fr" / en_file.name
        en, fr = (json.loads(p.read_text(encoding="utf-8")) for p in (en_file, fr_file))
        assert sorted(set(en) ^ set(fr)) == [], en_file.name
        assert [k for k, v in fr.items() if not v.strip()] == [], fr_file.name


def test_placeholders_match_between_languages() -> None:
    placeholder = re.compile(r"{(\w+)}")
    en, fr = catalog("en"), catalog("fr")
    mismatched = [
        k for k in en if set(placeholder.findall(en[k])) != set(placeholder.findall(fr[k]))
    ]
    assert mismatched == []


def test_every_key_used_in_templates_and_code_exists() -> None:
    known = set(catalog("en"))
    used: set[str] = set()
    for path in list(ROOT.rglob("*.html")) + list(ROOT.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        used.update(KEY_USE.findall(text))
        used.update(
            f"{k}_{form}" for k in COUNTED_KEY_USE.findall(text) for form in ("one", "other")
        )
    # A key ending in "." or "_" is a prefix completed at run time (a role, a plural form).
    prefixes = {k for k in used if k.endswith((".", "_"))}
    assert sorted(k for k in used - prefixes if k not in known) == []
    assert sorted(p for p in prefixes if not any(k.startswith(p) for k in known)) == []


def test_translation_formats_parameters_and_falls_back() -> None:
    assert "Maison" in translate("report.title", "fr", workspace="Maison")
    assert translate("no.such.key", "fr") == "no.such.key"
    assert negotiate_locale("fr-CA,fr;q=0.9") == "fr"
    assert negotiate_locale("en;q=0.2, fr;q=0.8") == "fr"
    assert negotiate_locale("") == "en"
