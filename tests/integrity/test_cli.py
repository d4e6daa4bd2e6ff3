"""``cxgap integrity check`` on CSV files written here, with no database (the contract of
issue 13): every response listed, flags by name, agents, refusals in French and English."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cxgap.cli.main import app

runner = CliRunner()
HEADER = (
    "response_id,submitted_at,duration_seconds,agent,nps,text,item_1,item_2,item_3,item_4,item_5"
)
ROWS = [
    "r1,2026-03-01T09:00:00,120,Ana,9,Très bon accueil et conseils utiles,4,5,4,3,4",
    "r2,2026-03-01T10:00:00,20,Ana,10,ok,3,3,3,3,3",
    'r3,2026-03-02T09:00:00,110,Ben,10,"Service horrible, je suis furieux, plus jamais",4,3,4,5,4',
    "r4,2026-03-02T11:00:00,95,Ben,8,asdfghjkl,3,4,2,4,3",
    "r5,2026-03-03T09:00:00,130,Ben,7,Très bon accueil et conseils utiles !,4,4,3,4,5",
    "r6,2026-03-03T10:00:00,100,Ana,10,Le vendeur m'a demandé de mettre 10,4,5,4,3,4",
    "r7,2026-03-04T10:00:00,140,Ana,10,RAS,4,5,4,4,4",
]


def check(tmp_path: Path, text: str, *more: str, lang: str = "en") -> tuple[int, str, str]:
    (tmp_path / "answers.csv").write_text(text, encoding="utf-8")
    args = ["integrity", "check", str(tmp_path / "answers.csv"), *more]
    result = runner.invoke(app, args, env={"CXGAP_LOCALE": lang})
    return result.exit_code, result.stdout, result.stderr


def test_json_lists_every_response_with_its_flags_and_every_agent(tmp_path: Path) -> None:
    code, out, _ = check(tmp_path, "\n".join([HEADER, *ROWS]) + "\n", "--format", "json")
    assert code == 0
    document = json.loads(out)
    flags = {r["response_id"]: r["flags"] for r in document["responses"]}
    assert flags == {
        "r1": [],
        "r2": ["speeder", "straight_lining"],
        "r3": ["score_text_mismatch"],  # cxgap's analyzer reads the comment as angry
        "r4": ["gibberish"],
        "r5": ["duplicate"],
        "r6": ["score_begging"],
        "r7": [],
    }
    agents = {a["agent"]: a for a in document["agents"]}
    assert set(agents) == {"Ana", "Ben"}
    assert agents["Ana"]["n"] == 4 and agents["Ben"]["n"] == 3
    assert {key for a in agents.values() for key in a} >= {"agent", "n", "flagged", "reasons"}
    assert all(a["flagged"] is False and a["reasons"] == [] for a in agents.values())


def test_every_column_may_be_absent(tmp_path: Path) -> None:
    code, out, _ = check(tmp_path, "text\nasdfgh\nMerci beaucoup\n", "--no-sentiment")
    assert code == 0
    document = json.loads(out)
    assert document["responses"] == [
        {
            "response_id": "2",
            "flags": ["gibberish"],
            "details": document["responses"][0]["details"],
        },
        {"response_id": "3", "flags": [], "details": {}},
    ]
    assert document["agents"] == []
    code, out, _ = check(tmp_path, "nps\n10\n", "--no-sentiment")
    assert code == 0 and json.loads(out)["responses"][0]["flags"] == []


def test_text_format_says_the_reasons_in_french(tmp_path: Path) -> None:
    code, out, _ = check(tmp_path, "\n".join([HEADER, *ROWS]) + "\n", "--format", "text",
                         "--no-sentiment", lang="fr")  # fmt: skip
    assert code == 0
    assert "r2\tTrop rapide : répondu en 20 s, moins du tiers de la médiane" in out
    assert "r4\tCharabia : ni français ni anglais dans « asdfghjkl »" in out
    assert "4 réponses signalées sur 7." in out


def test_contacts_file_flags_selective_surveying(tmp_path: Path) -> None:
    rows = [f"{a}{i},{a},8" for a in "ABCDE" for i in range(30)]
    (tmp_path / "contacts.csv").write_text(
        "agent,contacts,surveyed\nA,100,60\nB,100,60\nC,100,60\nD,100,60\nE,100,20\n",
        encoding="utf-8",
    )
    code, out, _ = check(tmp_path, "response_id,agent,nps\n" + "\n".join(rows) + "\n",
                         "--contacts", str(tmp_path / "contacts.csv"))  # fmt: skip
    assert code == 0
    agents = {a["agent"]: a["reasons"] for a in json.loads(out)["agents"]}
    assert agents == {"A": [], "B": [], "C": [], "D": [], "E": ["selective_surveying"]}


def test_refusals_name_file_row_column_and_value(tmp_path: Path) -> None:
    code, _, err = check(tmp_path, "response_id,nps\nr1,9\nr2,11\n")
    assert code == 2
    assert "answers.csv, row 3, column nps: out of range" in err and '"11"' in err
    code, _, err = check(tmp_path, "response_id,duration_seconds\nr1,vite\n", lang="fr")
    assert code == 2
    assert "answers.csv, ligne 2, colonne duration_seconds : pas un nombre de secondes" in err
    assert '"vite"' in err
    code, _, err = check(tmp_path, "response_id\nr1\nr1\n", lang="fr")
    assert "ligne 3, colonne response_id : cet identifiant de réponse figure déjà" in err
    code, _, err = check(tmp_path, "response_id,submitted_at\nr1,hier\n")
    assert "row 2, column submitted_at: not a date and time" in err and '"hier"' in err
