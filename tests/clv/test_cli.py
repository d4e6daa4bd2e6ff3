"""``cxgap clv fit`` without a database (the contract of issue 14): the CDNOW purchases give
the published estimates; bad files are refused naming the file, row, column and value in
French and English; a fit that does not converge is refused, not printed."""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from cxgap.cli.main import app
from tests.clv import references as ref
from tests.clv.data import SAMPLE

runner = CliRunner()
CDNOW = ("--transactions", str(SAMPLE), "--customer-column", "customer", "--date-column", "date",
         "--calibration-end", "1997-09-30", "--time-unit", "w")  # fmt: skip


def clv(*args: str, lang: str = "en") -> tuple[int, str, str]:
    result = runner.invoke(app, ["clv", "fit", *args], env={"CXGAP_LOCALE": lang})
    return result.exit_code, result.stdout, result.stderr


@cache
def cdnow_json() -> dict[str, dict[str, float]]:
    code, out, err = clv(*CDNOW, "--amount-column", "amount", "--format", "json")
    assert code == 0, err
    document: dict[str, dict[str, float]] = json.loads(out)
    return document


def test_the_contract_on_the_cdnow_purchases_gives_the_published_fits() -> None:
    document = cdnow_json()
    assert document["customers"] == 2357
    bg, gg = document["bgnbd"], document["gamma_gamma"]
    assert {k: round(bg[k], 3) for k in ("r", "alpha", "a", "b")} == ref.PUBLISHED_BGNBD
    assert round(bg["log_likelihood"], 1) == ref.PUBLISHED_BGNBD_LL
    assert {k: round(gg[k], 2) for k in ("p", "q", "v")} == ref.PUBLISHED_GAMMA_GAMMA
    assert bg["converged"] is True and gg["converged"] is True
    assert gg["customers"] == document["repeat_customers"] == 946
    assert (document["calibration_end"], document["time_unit"]) == ("1997-09-30", "W")


def test_without_amounts_there_is_no_gamma_gamma() -> None:
    code, out, _ = clv(*CDNOW)
    document = json.loads(out)
    assert code == 0
    assert "gamma_gamma" not in document
    assert document["bgnbd"]["r"] == pytest.approx(cdnow_json()["bgnbd"]["r"], rel=1e-6)


def test_days_are_the_default_unit_and_rates_scale_by_seven() -> None:
    args = [a for a in CDNOW if a not in ("--time-unit", "w")]
    code, out, _ = clv(*args)
    bg = json.loads(out)["bgnbd"]
    weekly = cdnow_json()["bgnbd"]
    assert code == 0
    # Time in days is time in weeks times 7: the rate's scale alpha grows sevenfold, the
    # shapes stay (the likelihood only shifts by a constant).
    assert bg["alpha"] == pytest.approx(7 * weekly["alpha"], rel=1e-4)
    assert [bg[k] for k in ("r", "a", "b")] == pytest.approx(
        [weekly[k] for k in ("r", "a", "b")], rel=1e-4
    )


def test_text_says_the_fit_in_french_and_english() -> None:
    args = (*CDNOW, "--amount-column", "amount", "--format", "text")
    _, english, _ = clv(*args)
    _, french, _ = clv(*args, lang="fr")
    assert "2,357 customers (946 with a repeat purchase) from 6,919 rows" in english
    assert "BG/NBD (purchases): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426" in english
    assert "p = 6.250, q = 3.744, v = 15.444" in english
    assert "2357 clients (946 avec un réachat) sur 6919 lignes" in french
    assert "r = 0,243, alpha = 4,414, a = 0,793, b = 2,426" in french
    assert "convergé" in french


def write(tmp_path: Path, text: str, name: str = "achats.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def fit_file(path: str, *more: str, lang: str = "en") -> tuple[int, str, str]:
    return clv("--transactions", path, "--customer-column", "client", "--date-column", "jour",
               *more, lang=lang)  # fmt: skip


GOOD = "client,jour,montant\na,2024-01-02,10\na,2024-01-09,12\nb,2024-01-03,5\n"


@pytest.mark.parametrize(
    ("text", "more", "english", "french"),
    [
        (GOOD, ("--amount-column", "prix"),
         'achats.csv, column prix: the column is missing (the file\'s columns: client, jour, '
         "montant)",
         "achats.csv, colonne prix : la colonne manque (colonnes du fichier : client, jour, "
         "montant)"),
        (GOOD.replace("2024-01-09", "2024-02-31"), (),
         'achats.csv, row 3, column jour: not a date (YYYY-MM-DD, YYYYMMDD, or a short date',
         'achats.csv, ligne 3, colonne jour : pas une date (AAAA-MM-JJ'),
        (GOOD.replace(",12", ",-12"), ("--amount-column", "montant"),
         'achats.csv, row 3, column montant: an amount cannot be negative (leave refunds out) '
         '(value: "-12")',
         'achats.csv, ligne 3, colonne montant : un montant ne peut être négatif'),
        (GOOD.replace(",12", ",douze"), ("--amount-column", "montant"),
         'achats.csv, row 3, column montant: not a number (value: "douze")',
         'achats.csv, ligne 3, colonne montant : pas un nombre (valeur : "douze")'),
        (GOOD.replace("a,2024-01-09", ",2024-01-09"), (),
         "achats.csv, row 3, column client: this value is required",
         "achats.csv, ligne 3, colonne client : cette valeur est obligatoire"),
        ("client,jour\na,05/03/2024\nb,06/04/2024\n", (),
         'achats.csv, column jour: the dates read both ways (every day and month is 12 or '
         'less): choose --date-order dmy (day first) or mdy (month first) (value: "05/03/2024")',
         "achats.csv, colonne jour : les dates se lisent dans les deux sens"),
        (GOOD, ("--calibration-end", "2024-13-01"),
         '--calibration-end: not a date (YYYY-MM-DD) (value: "2024-13-01")',
         '--calibration-end : pas une date (AAAA-MM-JJ) (valeur : "2024-13-01")'),
        (GOOD, ("--calibration-end", "2023-12-31"),
         "--calibration-end: no purchase on or before this date: the calibration period is "
         'empty (value: "2023-12-31")',
         "--calibration-end : aucun achat à cette date ou avant"),
        (GOOD, ("--calibration-end", "2024-01-08"),
         "--calibration-end: no customer bought on two different days by this date",
         "--calibration-end : aucun client n'a acheté deux jours différents"),
        ("client,jour\n", (),
         "achats.csv: the file has no purchase",
         "achats.csv : le fichier ne contient aucun achat"),
        (GOOD.replace(",12", ",0"), ("--amount-column", "montant"),
         "--amount-column: 1 customer with repeat purchases spent nothing on them (a)",
         "--amount-column : 1 client avec des réachats n'y a rien dépensé (a) : Gamma-Gamma"),
        (GOOD.replace(",12", ",0").replace("b,2024-01-03,5", "b,2024-01-03,5\nb,2024-01-04,0"),
         ("--amount-column", "montant"),
         "--amount-column: 2 customers with repeat purchases spent nothing on them (the first: a)",
         "--amount-column : 2 clients avec des réachats n'y ont rien dépensé (le premier : a)"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_naming_where_in_both_languages(
    tmp_path: Path, text: str, more: tuple[str, ...], english: str, french: str
) -> None:
    path = write(tmp_path, text)
    code, out, err = fit_file(path, *more)
    assert (code, out) == (2, "")
    assert english in err
    code, _, err = fit_file(path, *more, lang="fr")
    assert code == 2
    assert french in err


def test_a_file_that_is_not_utf8_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "achats.csv"
    path.write_bytes("client,jour\nAndré,2024-01-02\n".encode("latin-1"))
    code, _, err = fit_file(str(path), lang="fr")
    assert code == 2
    assert "achats.csv : le fichier ne se lit pas comme un texte CSV en UTF-8" in err
    (tmp_path / "broken.csv.gz").write_bytes(b"not gzip at all")
    code, _, err = fit_file(str(tmp_path / "broken.csv.gz"))
    assert code == 2
    assert "broken.csv.gz: the file cannot be read as UTF-8 CSV text" in err
    code, _, err = fit_file(str(tmp_path / "absent.csv"), lang="fr")
    assert code == 2
    assert f'absent.csv : ce fichier n\'existe pas (valeur : "{tmp_path / "absent.csv"}")' in err


def flat_spend(tmp_path: Path) -> str:
    """400 customers who buy and stop like BG/NBD customers, every repeat purchase worth
    exactly 10: no spread in spend, so the Gamma-Gamma likelihood keeps rising as p → ∞."""
    rng = np.random.default_rng(7)
    start, lines = date(2024, 1, 1), ["client;jour;montant"]
    for c in range(400):
        first, rate, dropout = int(rng.integers(0, 60)), rng.gamma(0.8, 1 / 20), rng.beta(1, 3)
        lines.append(f"k{c};{start + timedelta(first)};25,50")
        t = float(first)
        while (t := t + rng.exponential(1 / rate)) <= 180:
            lines.append(f"k{c};{start + timedelta(int(t))};10,00")
            if rng.random() < dropout:
                break
    return write(tmp_path, "\n".join(lines) + "\n")


def test_a_fit_that_does_not_converge_is_refused_not_printed(tmp_path: Path) -> None:
    path = flat_spend(tmp_path)
    code, out, _ = fit_file(path, "--calibration-end", "2024-06-30")
    assert code == 0
    assert json.loads(out)["bgnbd"]["converged"] is True
    code, out, err = fit_file(path, "--calibration-end", "2024-06-30", "--amount-column",
                              "montant")  # fmt: skip
    assert (code, out) == (2, "")
    assert "Gamma-Gamma: the fit did not converge: the optimiser says" in err
    assert "a parameter at its bound e^±12" in err
    _, _, err = fit_file(path, "--calibration-end", "2024-06-30", "--amount-column", "montant",
                         lang="fr")  # fmt: skip
    assert "Gamma-Gamma : l'ajustement n'a pas convergé : l'optimiseur dit" in err
