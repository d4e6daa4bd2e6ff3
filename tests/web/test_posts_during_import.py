"""Survey answers sent while a long import runs (issue 10, "a long import blocks every web
write on SQLite"): a real uvicorn server, an import in another thread with an engine of its
own (as the CLI in another process), slowed by its progress hook, and answers posted in
parallel meanwhile. Every answer is thanked and stored exactly once."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cxgap.db.tables import CustomerResponse, Feedback
from cxgap.services import campaigns
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import ImportOutcome, run_feedback_import
from tests.factories import make_workspace
from tests.feedback_files import write_generic_csv
from tests.live_http import Respondent, serving

ROWS = 12_000  # the progress hook runs every 1,000 rows
PAUSE_S = 0.5  # per 1,000 rows: the import lasts about 6 s
BUSY_TIMEOUT_S = 2  # below what is left of the import once the answers are sent
RESPONDENTS = 12


def _with_timeout(cx: Cxgap) -> Cxgap:
    url = f"{cx.settings.database_url}?timeout={BUSY_TIMEOUT_S}"
    return Cxgap(dataclasses.replace(cx.settings, database_url=url))


@pytest.fixture
def server_cx(sqlite_cx: Cxgap) -> Iterator[Cxgap]:
    app = _with_timeout(sqlite_cx)
    yield app
    app.dispose()


@pytest.mark.slow
def test_answers_sent_during_a_long_import_are_all_stored_once(
    server_cx: Cxgap, tmp_path: Path
) -> None:
    with server_cx.transaction() as session:
        workspace = make_workspace(session)
        token = campaigns.create_survey(session, workspace=workspace, key="p", name="P").token
    source = write_generic_csv(tmp_path / "big.csv", ROWS)
    importer = Cxgap(server_cx.settings)  # an engine of its own, as another process
    reading = threading.Event()
    outcome: list[ImportOutcome | BaseException] = []

    def slow(rows: int, _done: int, _total: int) -> None:
        if rows >= 3_000:  # past the first batches
            reading.set()
        time.sleep(PAUSE_S)

    def run_import() -> None:
        try:
            outcome.append(
                run_feedback_import(
                    importer, workspace_key="acme", source=source, name="big.csv", progress=slow
                )
            )
        except BaseException as exc:  # reported by the test below
            outcome.append(exc)
        finally:
            reading.set()

    with serving(server_cx) as base:
        respondents = [Respondent(base, token) for _ in range(RESPONDENTS)]
        thread = threading.Thread(target=run_import, name="long-import")
        thread.start()
        assert reading.wait(timeout=60)
        with ThreadPoolExecutor(max_workers=RESPONDENTS) as pool:
            answered = list(pool.map(lambda r: (r.send(), thread.is_alive()), respondents))
        responses = [response for response, _ in answered]
        thread.join(timeout=120)
        for respondent in respondents:
            respondent.close()
    importer.dispose()

    (result,) = outcome
    assert isinstance(result, ImportOutcome), result
    assert result.refusal is None, result.refusal
    assert [r.status_code for r in responses] == [303] * RESPONDENTS, [
        r.text[:300] for r in responses if r.status_code != 303
    ]
    assert all(r.headers["location"].endswith("/thanks") for r in responses)
    assert any(running for _, running in answered), "no answer came back during the import"
    with server_cx.reading() as session:
        ids = list(session.scalars(select(CustomerResponse.external_id)))
        records = session.scalar(select(func.count(Feedback.id)).where(Feedback.text != ""))
    assert sorted(ids) == sorted(f"web-{r.submission_id}" for r in respondents)
    assert records == ROWS + RESPONDENTS  # the file's reviews and the answers' comments
