"""``cxgap ideas evidence``: the verbatims that ask for each idea, computed with
``--refresh``; ``cxgap ideas list`` gains their count (its contract's keys unchanged)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services import ideas
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from tests.enrichment_factory import add_feedback, add_topic
from tests.factories import make_workspace

runner = CliRunner()


def test_evidence_is_computed_and_listed(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = make_workspace(session)
        add_topic(session, ws, "returns")
        ana = person_by_email(session, workspace=ws, email="ana@example.com")
        refund = ideas.submit_idea(session, workspace=ws, person=ana,
                                   title="Refund to the original card within 48 hours",
                                   description="Refunds take too long.")  # fmt: skip
        add_feedback(session, ws, "le remboursement a pris plus d'un mois",
                     score=-0.7, findings=[("returns", -0.7)])  # fmt: skip
        add_feedback(session, ws, "les coussins sont très confortables", score=0.8)
        refund_id = refund.id
    url = cx.settings.database_url
    before = runner.invoke(app, ["ideas", "evidence", "-w", "acme", "--database-url", url])
    assert before.exit_code == 0 and "not computed yet" in before.stdout
    done = runner.invoke(app, ["ideas", "evidence", "-w", "acme", "--refresh", "--format",
                               "json", "--database-url", url])  # fmt: skip
    assert done.exit_code == 0, done.output
    (row,) = json.loads(done.stdout)
    assert (row["id"], row["verbatims"]) == (refund_id, 1)
    assert row["topics"] == [{"key": "returns", "name": "Returns", "verbatims": 1}]
    assert [m["text"] for m in row["matches"]] == ["le remboursement a pris plus d'un mois"]
    text = runner.invoke(app, ["ideas", "evidence", "-w", "acme", "--idea", str(refund_id),
                               "--database-url", url])  # fmt: skip
    assert "1 verbatim " in text.stdout and "topic Returns: 1" in text.stdout
    listed = runner.invoke(app, ["ideas", "list", "-w", "acme", "--format", "json",
                                 "--database-url", url])  # fmt: skip
    (line,) = json.loads(listed.stdout)
    assert {"id", "title", "status", "votes", "followers"} <= set(line)
    assert line["verbatims"] == 1
    missing = runner.invoke(app, ["ideas", "evidence", "-w", "acme", "--idea", "9999",
                                  "--database-url", url])  # fmt: skip
    assert missing.exit_code == 2 and "9999" in missing.stderr
