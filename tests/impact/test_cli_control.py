"""``cxgap actions impact --control FILE.csv``: the contract's keys unchanged, a ``did`` object
with statsmodels' figures, its sentences in the text form, and a bad control file refused by
row and column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxgap.cli.main import app
from tests.impact.test_cli import CONTRACT, csv_of
from tests.impact.test_did import EFFECT_CONTROL, EFFECT_TREATED

runner = CliRunner()


def run(tmp_path: Path, control: str, *more: str, lang: str = "en") -> tuple[int, str, str]:
    (tmp_path / "series.csv").write_text(csv_of(EFFECT_TREATED), encoding="utf-8")
    (tmp_path / "control.csv").write_text(control, encoding="utf-8")
    args = ["actions", "impact", "--series", str(tmp_path / "series.csv"), "--date",
            "2025-09-01", "--control", str(tmp_path / "control.csv"), *more]  # fmt: skip
    result = runner.invoke(app, args, env={"CXGAP_LOCALE": lang})
    return result.exit_code, result.stdout, result.stderr


def test_json_adds_the_did_and_keeps_the_contract(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, csv_of(EFFECT_CONTROL), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert set(document) >= CONTRACT and document["method"] == "segmented_regression"
    did = document["did"]
    assert did["method"] == "difference_in_differences" and did["enough_data"] is True
    got = [did["effect"], *did["effect_ci"], did["p_effect"]]
    assert got == pytest.approx(
        [5.961249999999992, 3.2015864874197333, 8.72091351258025, 2.2978570971840936e-05],
        rel=1e-6,
    )
    assert did["p_pre_trend"] == pytest.approx(0.22122988592495052, rel=1e-6)
    assert (did["n_before"], did["n_after"], did["hac_lags"]) == (8, 8, 2)
    assert "parallel trends" in did["assumptions"]


def test_without_control_there_is_no_did(tmp_path: Path) -> None:
    (tmp_path / "series.csv").write_text(csv_of(EFFECT_TREATED), encoding="utf-8")
    args = ["actions", "impact", "--series", str(tmp_path / "series.csv"), "--date", "2025-09-01"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and "did" not in json.loads(result.stdout)


def test_text_says_the_effect_in_french(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, csv_of(EFFECT_CONTROL), "--format", "text", lang="fr")
    assert code == 0
    assert "Effet net de l'évolution du témoin : +5,96 (intervalle à 95 % de +3,20 à +8,72" in out
    assert "Avant l'action, les deux séries évoluaient de même" in out
    assert "Suppose des tendances parallèles" in out


def test_a_short_control_is_not_enough_data(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, csv_of(EFFECT_CONTROL[:10]), "--format", "json")
    did = json.loads(out)["did"]
    assert code == 0 and did["enough_data"] is False and did["effect"] is None
    assert (did["n_before"], did["n_after"]) == (8, 2)


def test_a_bad_control_file_is_refused_by_row_and_column(tmp_path: Path) -> None:
    text = csv_of(EFFECT_CONTROL).replace("34.56", "abc")
    code, _, err = run(tmp_path, text, lang="fr")
    assert code == 2
    assert 'control.csv, ligne 2, colonne value : pas un nombre (valeur : "abc")' in err
