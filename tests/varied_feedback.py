"""A feedback file with every awkward thing a real export holds, for tests that compare two
ways of importing it (one process or several, chunk after chunk)."""

from __future__ import annotations

import random
from pathlib import Path

HEADER = "id;type;canal;date;commentaire;nps;csat;client;magasin;note interne"
# Texts a reader must keep as they are, or mask: quotes, the delimiter, line breaks,
# contact details, formulas, emoji.
TEXTS = (
    "Très bien, merci",
    'Il a dit "parfait"; puis rien',
    "ligne un\nligne deux\r\nligne trois",
    "Écrivez-moi à marie.dupont@exemple.fr ou au 06 12 34 56 78",
    "Carte 4111 1111 1111 1111 refusée",
    "Commande 123456789 du 03/05/2024, 1 234,50 €",
    "'=SUM(A1:A2) n'est pas une formule",
    "👍 naïve café 日本語",
    "",
)
DATES = ("2024-03-05T10:00:00+01:00", "2024-03-05", "2024-12-31 23:59", "2024-02-30", "hier")
SCORES = ("", "0", "7", "10", "11", "neuf", " 9 ")


def _cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ';"\r\n') else text


def write_varied_csv(path: Path, rows: int, seed: int = 11) -> Path:
    """``rows`` rows (some blank, repeated, conflicting or invalid) with a BOM, ``;`` as
    delimiter and CRLF line ends."""
    rng = random.Random(seed)
    lines = [HEADER]
    for i in range(rows):
        kind = rng.random()
        if kind < 0.03:
            lines.append(";;;;;;;;;")  # nothing but delimiters: skipped as blank
            continue
        if kind < 0.045:
            lines.append(f"B-{i};survey;web;{DATES[0]};;;;;Lyon;")  # a blank response
            continue
        if kind < 0.06 and len(lines) > 2:
            lines.append(lines[rng.randrange(1, len(lines))])  # a repeat: a duplicate
            continue
        ident = f"R-{i}" if kind < 0.97 else f"R-{max(i - 1, 0)}"  # a conflicting id
        cells = [
            ident,
            rng.choice(("survey", "review", "survey", "sondage")),
            rng.choice(("Web", "magasin", "")),
            rng.choice(DATES) if rng.random() < 0.1 else DATES[0],
            rng.choice(TEXTS),
            rng.choice(SCORES) if rng.random() < 0.2 else str(rng.randint(0, 10)),
            rng.choice(("", "4", "6")),
            rng.choice(("", f"C-{rng.randint(1, 50)}", "jean@exemple.com")),
            rng.choice(("Lyon", "", "Île-de-France")),
            rng.choice(("", "rappeler au 01 23 45 67 89", "x" * 10)),
        ]
        lines.append(";".join(_cell(c) for c in cells))
    path.write_bytes("\ufeff".encode() + ("\r\n".join(lines) + "\r\n").encode())
    return path
