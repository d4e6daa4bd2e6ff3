"""``cxgap replies check`` and ``cxgap replies template``: files and stdin, both formats,
exit codes, and refusals that name the option and the value in French and English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxgap.cli.main import app

runner = CliRunner()
DRAFT = "Comme indiqué, vous auriez dû vérifier l'adresse. Nous revenons vers toi sous 48h!!\n"
ANGRY = ["--customer-sentiment", "negative", "--customer-intensity", "0.9"]
WHEN = ["--due", "2026-12-04T14:00+01:00", "--now", "2026-12-04T10:00+01:00"]


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CXGAP_LOCALE", "en")


def test_check_prints_json_findings_with_spans_and_both_languages(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    args = ["replies", "check", "--channel", "email", *WHEN, *ANGRY, str(draft)]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert document["language"] == "fr"  # detected
    found = {(f["code"], f["text"]) for f in document["findings"]}
    assert ("blame", "Comme indiqué") in found and ("blame", "vous auriez dû") in found
    assert ("address_tu", "toi") in found and ("exclamations", "!!") in found
    assert ("promise_after_due", "sous 48h") in found
    for finding in document["findings"]:
        assert DRAFT[finding["start"] : finding["end"]] == finding["text"]
        assert finding["message"]["fr"] and finding["message"]["en"]
    assert document["guidance"]["apology_first"] is True
    assert document["guidance"]["commit_before"] == "2026-12-04T14:00:00+01:00"


def test_check_reads_stdin_and_the_table_exits_1_when_something_is_found() -> None:
    result = runner.invoke(
        app, ["replies", "check", "--channel", "chat", "--language", "fr", *WHEN, "-"], input=DRAFT
    )
    assert result.exit_code == 1
    assert "1:1" in result.stdout and "blame" in result.stdout
    assert "Address the customer as “vous”" in result.stdout


def test_a_clean_draft_exits_0_in_french(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CXGAP_LOCALE", "fr")
    clean = "Bonjour Léa, merci pour votre message : votre colis est parti ce matin."
    args = ["replies", "check", "--channel", "chat", "--language", "fr", *WHEN, "-"]
    result = runner.invoke(app, args, input=clean)
    assert result.exit_code == 0, result.output
    assert "Aucun problème de ton relevé." in result.stdout


@pytest.mark.parametrize(
    ("args", "english", "french"),
    [
        (
            ["--channel", "fax"],
            "channel: “fax” is not one of email",
            "channel\u00a0: «\u00a0fax\u00a0»",
        ),
        (
            ["--channel", "sms", "--customer-sentiment", "furious"],
            "customer_sentiment: “furious”",
            "n'est pas l'une des valeurs",
        ),
        (["--channel", "sms", "--due", "tomorrow"], "--due must be", "--due doit être"),
        (["--channel", "sms", "--due", "2026-12-04T14:00"], "with an offset", "avec décalage"),
        (
            ["--channel", "sms", "--timezone", "Mars/Olympus"],
            "“Mars/Olympus”",
            "«\u00a0Mars/Olympus\u00a0»",
        ),
    ],
)
def test_bad_options_are_refused_naming_the_value(
    args: list[str], english: str, french: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    command = ["replies", "check", "--language", "en", *args, "-"]
    result = runner.invoke(app, command, input="Hello")
    assert result.exit_code == 2
    assert english in result.stderr
    monkeypatch.setenv("CXGAP_LOCALE", "fr")
    assert french in runner.invoke(app, command, input="Hello").stderr


def test_an_unreadable_draft_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = runner.invoke(app, ["replies", "check", "--channel", "sms", str(missing)])
    assert result.exit_code == 2
    assert "nope.txt" in result.stderr


def test_template_fills_values_and_reports_missing_ones() -> None:
    args = ["replies", "template", "--situation", "refund", "--language", "fr", "--address", "tu"]
    result = runner.invoke(app, [*args, "--var", "first_name=Léa", "--var", "amount=24,90 €"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Bonjour Léa,")
    assert "Ton remboursement de 24,90 € a été validé" in result.stdout
    assert "{order_ref}" in result.stdout
    assert "order_ref, due_date, agent_name" in result.stderr


def test_template_refuses_an_unknown_situation_and_a_bad_var() -> None:
    result = runner.invoke(app, ["replies", "template", "--situation", "x", "--language", "en"])
    assert result.exit_code == 2 and "situation: “x”" in result.stderr
    bad = ["replies", "template", "--situation", "refund", "--language", "en", "--var", "oops"]
    result = runner.invoke(app, bad)
    assert result.exit_code == 2 and "name=value" in result.stderr


def test_the_customers_messages_set_the_mood_through_the_analyzer(tmp_path: Path) -> None:
    message = tmp_path / "customer.txt"
    message.write_text(
        "C'est scandaleux, trois semaines sans colis et personne ne répond, je suis furieux !",
        encoding="utf-8",
    )
    args = ["replies", "check", "--channel", "chat", "--language", "fr", *WHEN]
    result = runner.invoke(
        app,
        [*args, "--customer-message", str(message), "--format", "json", "-"],
        input="Bonjour, votre colis est parti ce matin.",
    )
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert document["customer_mood"]["angry"] is True
    assert [f["params"].get("missing") for f in document["findings"]] == ["empathy"]
