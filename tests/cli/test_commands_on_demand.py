"""``cxgap``'s groups are imported when their command runs (``cli/commands.py``), and the
help still lists every one of them, in the same order, with its own help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from cxgap.cli.commands import ON_DEMAND
from cxgap.cli.main import app

CLI = Path(__file__).resolve().parents[2] / "src" / "cxgap" / "cli"
# Not a command group: the entry point, the registry and the helpers every command uses.
SHARED = {"__init__", "main", "commands", "common", "problems"}
runner = CliRunner()


def listed_commands(output: str) -> list[str]:
    """The name column of the help's Commands panel (a wrapped help line leaves it blank)."""
    panel = output.split("─ Commands ─")[1]
    rows = [line for line in panel.splitlines() if line.startswith("│ ") and line[2] != " "]
    return [row[2:].split(" ")[0] for row in rows]


def test_the_help_lists_every_command_in_order_with_its_help() -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert listed_commands(result.output) == list(ON_DEMAND)
    assert "Export data from a workspace." in result.output
    assert "Start the web app" in result.output


def test_a_group_looked_up_alone_is_the_same_group() -> None:
    result = runner.invoke(app, ["credits", "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    # the four commands wired onto the group from cli/service_levels.py are there
    for name in ("accounts", "incidents", "statement", "compliance"):
        assert f"│ {name} " in result.output


def test_an_unknown_command_is_refused_with_a_suggestion() -> None:
    result = runner.invoke(app, ["exprot"])
    assert result.exit_code == 2
    assert "No such command 'exprot'. Did you mean 'export'" in result.output


def test_a_command_imports_its_own_group_and_no_other() -> None:
    """A fresh process, as each ``cxgap`` command is: ``cxgap export --help`` loads the export
    commands, not the thirty other groups and the services they import."""
    child = (
        "import sys\n"
        "from cxgap.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
        "print(' '.join(m for m in sys.modules if m.startswith('cxgap.cli.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", child, "export", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded = set(done.stdout.splitlines()[-1].split())
    groups = {f"cxgap.cli.{path.stem}" for path in CLI.glob("*.py") if path.stem not in SHARED}
    assert "Export data from a workspace." in done.stdout
    assert loaded & groups == {"cxgap.cli.export"}
