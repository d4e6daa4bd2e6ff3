"""Importing feedback files in the browser: upload, mapping, run, report, on both backends."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import select, update

from cxgap.db.tables import Feedback, Job, utcnow
from cxgap.ingest import collect_feedback
from cxgap.jobs import imports
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import mapping_spec
from cxgap.services.feedback_uploads import load_upload, staging_root
from tests.factories import make_user, make_workspace
from tests.warm_routes import app_for
from tests.web.conftest import csrf_of, log_in

pytestmark = pytest.mark.on_postgresql  # the backend changes the path: imports: COPY on PostgreSQL

DATA = Path(__file__).resolve().parents[1] / "data" / "feedback"
BASE = "/w/acme/import/feedback"
SELECT = re.compile(
    r'<select id="(col-\d+)" name="col-\d+" data-column="([^"]*)">(.*?)</select>', re.S
)


@pytest.fixture
def analyst(cx: Cxgap, client: TestClient) -> TestClient:
    with cx.transaction() as session:
        make_user(session, workspace=make_workspace(session), role="analyst")
    log_in(client, "ana@example.com")
    return client


def upload(
    client: TestClient, name: str, data: bytes, *, preset: str = "detect", lang: str = "en"
) -> Response:
    token = csrf_of(client.get(f"{BASE}?lang={lang}").text)
    return client.post(
        BASE,
        data={"csrf_token": token, "preset": preset},
        files={"file": (name, data, "text/csv")},
        follow_redirects=False,
    )


def mapping_form(html: str, **changes: str) -> dict[str, str]:
    """The mapping form as the page fills it in, with ``changes`` by column name or field."""
    form = {"csrf_token": csrf_of(html), "mode": "all_or_nothing", "pseudonymise": "true"}
    for field, column, options in SELECT.findall(html):
        chosen = re.search(r'<option value="([^"]+)" selected', options)
        form[field] = changes.pop(column, chosen.group(1) if chosen else "ignore")
    for name in ("const-source_type", "const-channel", "date_format", "encoding"):
        match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
        form[name] = match.group(1) if match else ""
    if 'name="const-source_type"' in html:
        selected = re.search(
            r'id="const-source_type".*?<option value="([^"]*)" selected', html, re.S
        )
        form["const-source_type"] = selected.group(1) if selected else ""
    selected = re.search(r'id="encoding".*?<option value="([^"]*)" selected', html, re.S)
    form["encoding"] = selected.group(1) if selected else ""
    form.update(changes)
    return form


def work(client: TestClient) -> None:
    """Run the queued import jobs as a worker would (the test app starts no worker thread)."""
    cx = client.app.state.cx  # type: ignore[attr-defined]
    context = JobContext.for_app(cx, kinds={imports.IMPORT: imports.KIND})
    while Worker(context).run_once() is not None:
        pass


def run(client: TestClient, location: str, form: dict[str, str]) -> Response:
    """Submit the mapping with "Import", let a worker run the import job, open its report."""
    response = client.post(location, data=form | {"action": "run"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    work(client)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        progress = client.get(f"{location}/progress")
        if progress.status_code == 204:
            return client.get(progress.headers["hx-redirect"])
        assert progress.status_code == 200
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


def import_file(client: TestClient, name: str, data: bytes, **changes: str) -> Response:
    response = upload(client, name, data)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    return run(client, location, mapping_form(client.get(location).text, **changes))


def stored(cx: Cxgap) -> dict[str, tuple[object, ...]]:
    with cx.reading() as session:
        rows = session.execute(select(Feedback.source_id, Feedback.text, Feedback.stars))
        return {row.source_id: (row.text, row.stars) for row in rows}


def staged_files(cx: Cxgap) -> list[Path]:
    root = staging_root(cx.settings)
    return sorted(p for p in root.rglob("data.*")) if root.exists() else []


def test_a_trustpilot_export_is_detected_mapped_and_imported(
    cx: Cxgap, analyst: TestClient
) -> None:
    response = upload(analyst, "trustpilot.csv", (DATA / "trustpilot.csv").read_bytes())
    assert response.status_code == 303
    page = analyst.get(response.headers["location"]).text
    assert "layout detected: Trustpilot reviews" in page
    assert "Terrible after-sales" in page  # sample values of the title column
    assert 'id="open-questions"' not in page  # title and content are joined, not questions
    assert dict((c, f) for f, c, _ in SELECT.findall(page))["Review Stars"] == "col-6"
    report = run(analyst, response.headers["location"], mapping_form(page))
    assert "6 records stored from 6 rows read." in report.text
    assert re.search(r'id="created">6<', report.text) and re.search(r'id="updated">0<', report.text)
    assert 'hx-get="/w/acme/listening/enrichment"' in report.text  # the enrichment follows
    twin = analyst.get(f"{report.url}.json").json()
    assert (twin["status"], twin["records_stored"], twin["report"]["records_created"]) == (
        "done",
        6,
        6,
    )
    assert len(stored(cx)) == 6
    assert staged_files(cx) == []  # the upload is deleted once imported
    with cx.reading() as session:  # the new texts wait for enrichment
        jobs = session.execute(select(Job.kind, Job.status).order_by(Job.id)).all()
    # and, on PostgreSQL, for the search's index (db.search_index: a job after the import)
    search = [("index_search", "queued")] if cx.engine.dialect.name == "postgresql" else []
    assert [tuple(job) for job in jobs] == [("import", "done"), ("enrich", "queued"), *search]
    again = import_file(analyst, "trustpilot.csv", (DATA / "trustpilot.csv").read_bytes())
    assert re.search(r'id="created">0<', again.text) and re.search(r'id="updated">6<', again.text)
    history = analyst.get(BASE).text
    assert history.count("trustpilot.csv") == 2 and "imported" in history


def test_a_mapping_without_a_date_is_refused_before_running(cx: Cxgap, analyst: TestClient) -> None:
    response = upload(analyst, "zendesk.csv", (DATA / "zendesk.csv").read_bytes())
    location = response.headers["location"]
    form = mapping_form(analyst.get(location).text, **{"Created at": "ignore"})
    refused = analyst.post(location, data=form | {"action": "run"})
    assert refused.status_code == 422
    assert "collected_at" in refused.text and "is not mapped" in refused.text
    assert "The import was not started; nothing was stored." in refused.text
    nothing = mapping_form(
        analyst.get(location).text,
        Subject="ignore",
        Description="ignore",
        **{"Satisfaction Score": "ignore"},
    )
    checked = analyst.post(location, data=nothing | {"action": "check"})
    assert checked.status_code == 422
    assert "nothing to import: map the text or at least one score" in checked.text
    assert stored(cx) == {}


def test_a_bad_score_refuses_the_import_and_keeps_what_was_stored(
    cx: Cxgap, analyst: TestClient
) -> None:
    import_file(analyst, "trustpilot.csv", (DATA / "trustpilot.csv").read_bytes())
    before = stored(cx)
    broken = (DATA / "trustpilot_broken.csv").read_bytes()
    report = import_file(analyst, "trustpilot_broken.csv", broken)
    assert "Import refused: nothing was stored." in report.text
    assert "<td>4</td><td><code>Review Stars</code></td><td>6</td>" in report.text
    assert "must be a whole number from 1 to 5" in report.text
    assert stored(cx) == before  # neither added nor changed
    retry = re.search(r'href="([^"]+\?edit=1)"', report.text)
    assert retry, "a refused import offers to change the mapping"
    page = analyst.get(retry.group(1))
    assert "The last import of this file was refused and nothing was stored." in page.text
    form = mapping_form(page.text, mode="skip_invalid")
    skipped = run(analyst, retry.group(1).split("?")[0], form)
    assert "rows refused" in skipped.text and re.search(r'id="updated">2<', skipped.text)


def test_broken_encodings_are_refused_with_where_and_what(cx: Cxgap, analyst: TestClient) -> None:
    import_file(analyst, "trustpilot.csv", (DATA / "trustpilot.csv").read_bytes())
    before = stored(cx)
    utf16 = "Review Id,Review Stars\n1,5\n".encode("utf-16")
    response = upload(analyst, "reviews.csv", utf16)
    assert response.status_code == 422
    assert "UTF-16 text or not a text file" in response.text
    assert "Nothing was stored." in response.text
    header = b"source_type,collected_at,text,nps\n"
    good = b"review,2024-03-05,Livraison rapide et soign\xc3\xa9e,9\n" * 2000
    late_bad_byte = header + good + b"review,2024-03-06,Tr\xe8s bien,8\n"
    report = import_file(analyst, "late.csv", late_bad_byte)
    assert "Import refused: nothing was stored." in report.text
    assert "is not valid UTF-8 text at line 2002" in report.text
    assert stored(cx) == before


def test_oversized_and_unreadable_uploads_leave_nothing_behind(
    cx: Cxgap, analyst: TestClient
) -> None:
    row = b"review,2024-03-05,ok\n"
    just_over = b"source_type,collected_at,text\n" + row * (
        cx.settings.max_upload_bytes // len(row)
    )
    response = upload(analyst, "big.csv", just_over)
    assert response.status_code == 413
    assert "big.csv is larger than the 2 MB upload limit" in response.text
    far_over = upload(analyst, "huge.csv", just_over * 2)  # refused before it is read
    assert far_over.status_code == 413
    analyst.headers.update({"Accept": "text/html", "Accept-Language": "fr"})
    in_french = upload(analyst, "huge.csv", just_over * 2)  # a browser gets a page it can read
    assert in_french.status_code == 413 and "text/html" in in_french.headers["content-type"]
    assert "La requête dépasse la limite de 2 MB" in in_french.text
    wrong = upload(analyst, "export.xls", b"\xd0\xcf\x11\xe0")
    assert wrong.status_code == 422 and "save it as .xlsx or CSV" in wrong.text
    empty = upload(analyst, "empty.csv", b"")
    assert empty.status_code == 422 and "is empty" in empty.text
    assert staged_files(cx) == [] and stored(cx) == {}


def test_an_upload_needs_the_analyst_role(cx: Cxgap, client: TestClient) -> None:
    with cx.transaction() as session:
        make_user(session, workspace=make_workspace(session), role="viewer")
    log_in(client, "ana@example.com")
    assert client.get(BASE).status_code == 403
    files = {"file": ("a.csv", b"x,y\n1,2\n", "text/csv")}
    token = csrf_of(client.get("/").text)
    assert client.post(BASE, data={"csrf_token": token}, files=files).status_code == 403
    assert staged_files(cx) == []


def test_an_upload_without_the_csrf_token_is_refused(cx: Cxgap, analyst: TestClient) -> None:
    files = {"file": ("a.csv", (DATA / "trustpilot.csv").read_bytes(), "text/csv")}
    forged = analyst.post(BASE, data={"preset": "detect"}, files=files)
    assert forged.status_code == 403 and "reload the page" in forged.text
    assert staged_files(cx) == []


def test_the_mapping_downloads_as_a_file_the_cli_reads(
    cx: Cxgap, analyst: TestClient, tmp_path: Path
) -> None:
    data = (DATA / "zendesk.csv").read_bytes()
    location = upload(analyst, "zendesk.csv", data).headers["location"]
    form = mapping_form(analyst.get(location).text, Priority="touchpoint")
    download = analyst.post(location, data=form | {"action": "download"})
    assert download.status_code == 200
    assert 'filename="zendesk.mapping.json"' in download.headers["content-disposition"]
    document = download.json()
    assert document["preset"] == "zendesk"
    assert document["fields"]["touchpoint"] == {"columns": ["Priority"]}
    assert document["fields"]["csat"]["values"]["good"] == "5"
    path = tmp_path / "zendesk.mapping.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    records, report = collect_feedback(DATA / "zendesk.csv", mapping_spec(None, path))
    assert report.ok and {r.touchpoint for r in records} >= {"normal", "high"}


def test_an_uploaded_mapping_file_is_used(cx: Cxgap, analyst: TestClient) -> None:
    data = (DATA / "spreadsheet_fr.csv").read_bytes()
    location = upload(analyst, "spreadsheet_fr.csv", data).headers["location"]
    page = analyst.get(location).text
    token = csrf_of(page)
    mapping = (DATA / "spreadsheet_fr.mapping.json").read_bytes()
    bad = analyst.post(
        f"{location}/mapping-file",
        data={"csrf_token": token},
        files={"file": ("m.json", b'{"fields": {"nps": {"colum": "x"}}}', "application/json")},
    )
    assert bad.status_code == 422 and "fields.nps.colum" in bad.text
    used = analyst.post(
        f"{location}/mapping-file",
        data={"csrf_token": token},
        files={"file": ("m.json", mapping, "application/json")},
    )
    assert used.status_code == 200 and "mapping file in use" in used.text
    assert "Vendeuse très à l&#39;écoute" in used.text  # read as cp1252, as the mapping says
    report = run(analyst, location, mapping_form(used.text))
    assert "3 records stored from 3 rows read." in report.text
    with cx.reading() as session:
        channels = set(session.scalars(select(Feedback.channel)))
    assert channels == {"store", "phone"}  # the mapping file's value translations


def test_problems_are_paginated_and_downloadable(cx: Cxgap, analyst: TestClient) -> None:
    lines = ["source_id,source_type,collected_at,text,nps"]
    lines += [f"r{i},review,2024-03-05,Bien,{11 if i % 2 else 9}" for i in range(240)]
    report = import_file(analyst, "scores.csv", "\n".join(lines).encode(), mode="skip_invalid")
    assert "120 records stored from 240 rows read." in report.text
    assert "page 1 of 3" in report.text and report.text.count("<td><code>nps</code></td>") == 50
    last = analyst.get(re.search(r'href="([^"]*problems.csv)"', report.text).group(1))
    rows = list(csv.reader(io.StringIO(last.content.decode("utf-8-sig"))))
    assert rows[0] == ["Row", "Column", "Value", "Reason"]
    assert rows[1] == ["3", "nps", "11", "must be a whole number from 0 to 10"]
    assert len(rows) == 121
    url = re.search(r'href="([^"]*imports/\d+)', analyst.get(BASE).text).group(1)
    assert "page 3 of 3" in analyst.get(f"{url}?page=3").text


def test_the_flow_speaks_french(cx: Cxgap, analyst: TestClient) -> None:
    response = upload(
        analyst, "typeform.csv", (DATA / "typeform_broken.csv").read_bytes(), lang="fr"
    )
    page = analyst.get(response.headers["location"]).text
    assert "format détecté : Typeform" in page and "Ce que deviennent les premières lignes" in page
    report = run(analyst, response.headers["location"], mapping_form(page))
    assert "Import refusé : rien n&#39;a été enregistré." in report.text
    assert "doit être un nombre entier de 0 à 10" in report.text
    assert stored(cx) == {}


def test_progress_polls_while_running_and_works_without_javascript(
    cx: Cxgap, analyst: TestClient
) -> None:
    location = upload(analyst, "trustpilot.csv", (DATA / "trustpilot.csv").read_bytes()).headers[
        "location"
    ]
    form = mapping_form(analyst.get(location).text)
    analyst.post(location, data=form | {"action": "run"}, follow_redirects=False)
    waiting = analyst.get(location).text
    assert 'hx-trigger="every 1s"' in waiting and "Waiting for a worker" in waiting
    with cx.transaction() as session:  # an import caught while a worker runs it
        session.execute(
            update(Job)
            .where(Job.kind == "import")
            .values(
                status="running",
                heartbeat_at=utcnow(),
                result={"rows_read": 4_000, "stored": 3_000, "problems": 0},
            )
        )
    page = analyst.get(location).text
    assert 'hx-trigger="every 1s"' in page and ">4,000<" in page and ">3,000<" in page
    assert f'<a href="{location}">Refresh</a>' in page  # the way without JavaScript
    fragment = analyst.get(f"{location}/progress").text
    assert fragment.lstrip().startswith('<div id="import-progress"')


def test_an_import_started_by_another_process_is_not_offered_twice(
    cx: Cxgap, analyst: TestClient
) -> None:
    data = (DATA / "trustpilot.csv").read_bytes()
    location = upload(analyst, "trustpilot.csv", data).headers["location"]
    item = load_upload(cx.settings, location.rsplit("/", 1)[1], workspace_key="acme")
    item.running_since = time.time()  # as another web worker (or one since restarted) left it
    item.save()
    page = analyst.get(location).text
    assert "running in another server process, or was interrupted" in page
    assert 'id="mapping-table"' not in page
    assert 'id="mapping-table"' in analyst.get(f"{location}?edit=1").text


def test_the_after_import_hook_runs_once_per_successful_import(
    cx: Cxgap, analyst: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(imports, "enqueue_enrichment", lambda s, w: calls.append(w.key))
    import_file(analyst, "trustpilot.csv", (DATA / "trustpilot.csv").read_bytes())
    import_file(analyst, "broken.csv", (DATA / "trustpilot_broken.csv").read_bytes())
    assert calls == ["acme"]


def test_another_workspace_cannot_see_an_upload(cx: Cxgap, analyst: TestClient) -> None:
    with cx.transaction() as session:
        other = make_workspace(session, key="other", name="Other")
        from cxgap.services import accounts

        accounts.set_membership(session, workspace=other, email="ana@example.com", role="analyst")
    location = upload(analyst, "trustpilot.csv", (DATA / "trustpilot.csv").read_bytes()).headers[
        "location"
    ]
    token = location.rsplit("/", 1)[1]
    assert analyst.get(f"/w/other/import/feedback/{token}").status_code == 404
    assert analyst.get(f"{BASE}/..%2F..%2Fsecret_key").status_code == 404


def test_xlsx_and_json_lines_exports_import_too(
    cx: Cxgap, analyst: TestClient, tmp_path: Path
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Review Created (UTC)", "Review Id", "Review Content", "Review Stars"])
    sheet.append([datetime(2024, 3, 5, 14, 30), "x1", "Belle table", 5])
    sheet.append(["2024-03-06 09:00:00", "x2", "Wobbly", 2])
    workbook.save(tmp_path / "reviews.xlsx")
    report = import_file(analyst, "reviews.xlsx", (tmp_path / "reviews.xlsx").read_bytes())
    # Detected as Trustpilot though "Review Title" is missing; the rest is prefilled.
    assert "2 records stored from 2 rows read." in report.text
    jsonl = (DATA / "zendesk_tickets.jsonl").read_bytes()
    report = import_file(analyst, "tickets.jsonl", jsonl)
    assert "3 records stored from 3 rows read." in report.text
    assert len(stored(cx)) == 5


def test_without_javascript_the_upload_page_leads_to_the_report(
    cx: Cxgap, analyst: TestClient
) -> None:
    location = upload(analyst, "t.csv", (DATA / "trustpilot.csv").read_bytes()).headers["location"]
    report = run(analyst, location, mapping_form(analyst.get(location).text))
    refreshed = analyst.get(location, follow_redirects=False)  # the "Refresh" link
    assert refreshed.status_code == 303
    assert refreshed.headers["location"] == str(report.url).removeprefix("http://testserver")


def test_a_discarded_upload_is_deleted(cx: Cxgap, analyst: TestClient) -> None:
    location = upload(analyst, "t.csv", (DATA / "trustpilot.csv").read_bytes()).headers["location"]
    assert len(staged_files(cx)) == 1
    token = csrf_of(analyst.get(location).text)
    gone = analyst.post(f"{location}/discard", data={"csrf_token": token})
    assert gone.status_code == 200 and staged_files(cx) == []
    assert analyst.get(location).status_code == 404


def test_a_file_of_its_own_gets_suggestions_and_a_proposed_source_type(
    cx: Cxgap, analyst: TestClient
) -> None:
    data = (DATA / "spreadsheet_fr.csv").read_bytes()
    location = upload(analyst, "boutiques.csv", data, lang="fr").headers["location"]
    page = analyst.get(location)
    assert "format détecté : Générique" in page.text
    chosen = {column: form for form, column, _ in SELECT.findall(page.text)}
    form = mapping_form(page.text)
    assert [form[chosen[c]] for c in ("Référence", "Date", "Canal", "Verbatim", "Note /5")] == [
        "source_id",
        "collected_at",
        "channel",
        "text",
        "stars",
    ]
    assert form["date_format"] == "%d/%m/%Y %H:%M"  # 13/03/2024 in the samples says day first
    # Stars say reviews: proposed, said why, and still the person's to change.
    assert form["const-source_type"] == "review"
    assert "Proposé parce que la colonne « Note /5 » contient des étoiles." in page.text
    report = run(analyst, location, form | {"const-source_type": "agent_note"})
    assert "3 retours enregistrés sur 3 lignes lues." in report.text


def test_another_web_process_shows_the_progress_and_the_report(
    cx: Cxgap, analyst: TestClient
) -> None:
    """Two web processes on one database: the import queued through one is followed through
    the other (the job row, not a dictionary of the process that queued it)."""
    location = upload(analyst, "trustpilot.csv", (DATA / "trustpilot.csv").read_bytes()).headers[
        "location"
    ]
    form = mapping_form(analyst.get(location).text)
    analyst.post(location, data=form | {"action": "run"}, follow_redirects=False)
    second = Cxgap(cx.settings)
    try:
        with TestClient(app_for(second)) as other:
            log_in(other, "ana@example.com")
            assert "Waiting for a worker" in other.get(location).text
            work(analyst)
            done = other.get(f"{location}/progress")
            assert done.status_code == 204
            report = other.get(done.headers["hx-redirect"])
    finally:
        second.engine.dispose()
    assert report.status_code == 200 and len(stored(cx)) == 6


class WorkerKilled(BaseException):
    """Stands for the worker process dying mid-import: nothing in cxgap catches it."""


def test_an_import_whose_worker_died_is_resumed_by_another_and_stored_once(
    cx: Cxgap, analyst: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = upload(analyst, "trustpilot.csv", (DATA / "trustpilot.csv").read_bytes()).headers[
        "location"
    ]
    form = mapping_form(analyst.get(location).text)
    analyst.post(location, data=form | {"action": "run"}, follow_redirects=False)
    real = imports.feedback_imports.run_feedback_import

    def dies(*args: object, **kwargs: object) -> object:
        raise WorkerKilled

    monkeypatch.setattr(imports.feedback_imports, "run_feedback_import", dies)
    with pytest.raises(WorkerKilled):
        work(analyst)
    monkeypatch.setattr(imports.feedback_imports, "run_feedback_import", real)
    with cx.transaction() as session:  # its heartbeat stops: presumed dead after a while
        session.execute(
            update(Job)
            .where(Job.kind == "import")
            .values(heartbeat_at=utcnow() - timedelta(hours=1))
        )
    assert "Its worker stopped" in analyst.get(location).text
    work(analyst)  # another worker resumes it
    assert len(stored(cx)) == 6
    with cx.reading() as session:
        job = session.scalars(select(Job).where(Job.kind == "import")).one()
    assert (job.status, job.attempts) == ("done", 1)
    assert analyst.get(f"{location}/progress").status_code == 204
