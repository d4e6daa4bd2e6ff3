"""``cxgap actions impact`` on CSV files written here, with no database (the contract of
issue 13), and its refusals naming the file, row, column and value in French and English."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxgap.cli.main import app
from tests.impact.references import ITS

runner = CliRunner()
CONTRACT = {"method", "level_change", "level_change_ci", "slope_change", "slope_change_ci",
            "p_level", "p_slope", "n_before", "n_after"}  # fmt: skip


def csv_of(values: list[float], n: list[int] | None = None) -> str:
    lines = ["period,value" + (",n" if n else "")]
    for i, value in enumerate(values):
        period = f"{2025 + i // 12}-{i % 12 + 1:02d}-01"
        lines.append(f"{period},{value}" + (f",{n[i]}" if n else ""))
    return "\n".join(lines) + "\n"


def impact(tmp_path: Path, text: str, *more: str, lang: str = "en") -> tuple[int, str, str]:
    (tmp_path / "series.csv").write_text(text, encoding="utf-8")
    args = ["actions", "impact", "--series", str(tmp_path / "series.csv"), *more]
    result = runner.invoke(app, args, env={"CXGAP_LOCALE": lang})
    return result.exit_code, result.stdout, result.stderr


def test_json_is_the_contract_with_statsmodels_figures(tmp_path: Path) -> None:
    ref = ITS["with_n"]
    code, out, _ = impact(tmp_path, csv_of(ref.values, ref.n), "--date", "2025-06-01",
                          "--format", "json")  # fmt: skip
    assert code == 0
    document = json.loads(out)
    assert set(document) >= CONTRACT
    assert document["method"] == "segmented_regression"
    assert (document["n_before"], document["n_after"]) == (5, 7)
    got = [document["level_change"], *document["level_change_ci"], document["p_level"]]
    assert got == pytest.approx(ref.level, rel=1e-6)
    got = [document["slope_change"], *document["slope_change_ci"], document["p_slope"]]
    assert got == pytest.approx(ref.slope, rel=1e-6)
    assert document["hac_lags"] == 2
    assert document["responses_before"] == sum(ref.n[:5])  # type: ignore[index]
    assert "Newey-West" in document["assumptions"]


def test_a_short_series_says_before_after(tmp_path: Path) -> None:
    code, out, _ = impact(tmp_path, csv_of([31.2, 29.8, 30.5, 33.1, 34.0, 32.2, 35.4]),
                          "--date", "2025-04-01")  # fmt: skip
    document = json.loads(out)
    assert code == 0
    assert document["method"] == "before_after"
    assert document["level_change"] == pytest.approx(3.174999999999997)
    assert document["slope_change"] is None
    assert document["slope_change_ci"] == [None, None]


def test_text_is_a_sentence_in_the_chosen_language(tmp_path: Path) -> None:
    series = csv_of(ITS["level_jump"].values)
    _, english, _ = impact(tmp_path, series, "--date", "2025-09-01", "--format", "text")
    _, french, _ = impact(tmp_path, series, "--date", "2025-09-01", "--format", "text",
                          "--lang", "fr")  # fmt: skip
    assert "Level change at the action: +6.49 (95% interval +4.86 to +8.13, p < 0.001)" in english
    assert "Changement de niveau à l'action : +6,49 (intervalle à 95 % de +4,86 à +8,13" in french
    assert "Newey-West" in french


def test_a_semicolon_file_with_decimal_commas_and_month_periods(tmp_path: Path) -> None:
    text = csv_of(ITS["level_jump"].values).replace(",", ";").replace(".", ",")
    text = text.replace("-01;", ";")  # 2025-01;42,74
    code, out, _ = impact(tmp_path, text, "--date", "2025-09-01")
    assert code == 0
    assert json.loads(out)["level_change"] == pytest.approx(ITS["level_jump"].level[0])


BAD = [
    (
        "period,score\n2025-01-01,3\n",
        "series.csv, column value: the column is missing",
        "series.csv, colonne value : la colonne manque",
    ),
    (
        "period,value\n2025-01-01,3\n2025-13-01,4\n",
        "series.csv, row 3, column period: not a date (YYYY-MM-DD, or YYYY-MM for a month) "
        '(value: "2025-13-01")',
        "series.csv, ligne 3, colonne period : pas une date",
    ),
    (
        "period,value\n2025-01-01,3\n2025-02-01,abc\n",
        'series.csv, row 3, column value: not a number (value: "abc")',
        'series.csv, ligne 3, colonne value : pas un nombre (valeur : "abc")',
    ),
    (
        "period,value\n2025-01-01,3\n2025-02-01,4\n2025-01-01,5\n",
        "series.csv, row 4, column period: this period is already in the file "
        '(value: "2025-01-01")',
        "series.csv, ligne 4, colonne period : cette période figure déjà",
    ),
    (
        "period,value,n\n2025-01-01,3,-4\n",
        'series.csv, row 2, column n: not a positive whole number of answers (value: "-4")',
        "series.csv, ligne 2, colonne n : pas un nombre entier positif",
    ),
    (
        "period,value\n2025-01-01,inf\n",
        'series.csv, row 2, column value: not a number (value: "inf")',
        'series.csv, ligne 2, colonne value : pas un nombre (valeur : "inf")',
    ),
    (
        "period,value\n2025-01-01,\n",
        "series.csv, row 2, column value: this value is required",
        "series.csv, ligne 2, colonne value : cette valeur est obligatoire",
    ),
]


@pytest.mark.parametrize(("text", "english", "french"), BAD)
def test_a_bad_csv_exits_2_naming_file_row_column_and_value(
    tmp_path: Path, text: str, english: str, french: str
) -> None:
    code, out, err = impact(tmp_path, text, "--date", "2025-02-01")
    assert (code, out) == (2, "")
    assert english in err
    code, _, err = impact(tmp_path, text, "--date", "2025-02-01", lang="fr")
    assert code == 2
    assert french in err


def test_a_date_outside_the_series_or_malformed_is_refused(tmp_path: Path) -> None:
    series = csv_of(ITS["level_jump"].values)
    code, _, err = impact(tmp_path, series, "--date", "2020-01-01")
    assert code == 2
    assert "--date: no period before this date" in err and '"2020-01-01"' in err
    code, _, err = impact(tmp_path, series, "--date", "2030-01-01", lang="fr")
    assert "--date : aucune période à partir de cette date" in err
    code, _, err = impact(tmp_path, series, "--date", "01/02/2025")
    assert code == 2
    assert '--date: not a date (YYYY-MM-DD, or YYYY-MM for a month) (value: "01/02/2025")' in err


def test_a_file_that_is_not_text_is_refused(tmp_path: Path) -> None:
    (tmp_path / "series.csv").write_bytes(b"\xff\xfe\x00bad")
    result = runner.invoke(app, ["actions", "impact", "--series", str(tmp_path / "series.csv"),
                                 "--date", "2025-01-01"], env={"CXGAP_LOCALE": "en"})  # fmt: skip
    assert result.exit_code == 2
    assert "series.csv: the file cannot be read as UTF-8 text" in result.stderr


def test_the_text_says_when_there_is_not_enough_data_yet(tmp_path: Path) -> None:
    _, out, _ = impact(tmp_path, csv_of([3.0, 4.0, 5.0]), "--date", "2025-03-01",
                       "--format", "text", "--lang", "fr")  # fmt: skip
    assert "Comparaison avant/après (test t de Welch) sur 2 périodes avant et 1" in out
    assert "+1,50 ; pas encore assez de données pour un intervalle" in out


def test_lags_beyond_the_series_are_refused_in_words(tmp_path: Path) -> None:
    code, _, err = impact(tmp_path, csv_of(ITS["level_jump"].values), "--date", "2025-09-01",
                          "--lags", "16")  # fmt: skip
    assert code == 2
    assert "--lags: lags must be between 0 and the number of periods minus one (value: 16)" in err


def test_it_runs_in_a_fresh_process_without_a_database(tmp_path: Path) -> None:
    """No database URL, no data folder: the command opens nothing and writes nothing."""
    series = tmp_path / "in" / "series.csv"
    series.parent.mkdir()
    series.write_text(csv_of(ITS["level_jump"].values), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": str(work), "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", "from cxgap.cli.main import main; main()", "actions", "impact",
         "--series", str(series), "--date", "2025-09-01", "--format", "json"],
        cwd=work, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["level_change"] == pytest.approx(ITS["level_jump"].level[0])
    assert list(work.iterdir()) == []
