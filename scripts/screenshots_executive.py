"""Screenshots of the three gaps page and the executive report page, in English and French,
desktop and phone, and of the executive report's PDF pages (rendered with pdfium, the PDF
engine of Chromium, from the file cxgap writes), into docs/screenshots/.

Runs cxgap on a throw-away database holding the enriched demo workspace, a second
self-assessment campaign (so the gaps have a trend), a prepared report and a monthly
schedule.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pypdfium2
from scripts.screenshots_sessions import FIREFOX, OUT, PASSWORD, served, shoot, sign_in

from cxgap import jobs
from cxgap.cli import enrich
from cxgap.db.tables import InternalCampaign, User
from cxgap.jobs import executive
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.schema import InternalAnswer, InternalPillarAnswer
from cxgap.services import accounts
from cxgap.services.answers import store_internal_answers
from cxgap.services.campaigns import create_internal_campaign
from cxgap.services.core import Cxgap
from cxgap.services.demo import DEMO_KEY, create_demo_workspace
from cxgap.services.executive_output import executive_file
from cxgap.services.report_schedules import save_schedule
from cxgap.services.workspaces import get_workspace, pillars_of

PERIOD = "2026-11"
PDF_PAGES = 3


def _second_campaign(cx: Cxgap) -> None:
    """A later campaign where colleagues rate themselves half a point lower (closer to
    what customers say) and want a little less."""
    with cx.transaction() as session:
        demo = get_workspace(session, DEMO_KEY)
        keys = [p.key for p in pillars_of(session, demo)]
        first = session.query(InternalCampaign).filter_by(workspace_id=demo.id).one()
        first.created_at = datetime(2026, 5, 1, tzinfo=UTC)
        second = create_internal_campaign(session, workspace=demo, key="autumn", name="Autumn")
        answers = [
            InternalAnswer(
                pillars={
                    k: InternalPillarAnswer(
                        max(1, 3 + (i + j) % 2 - (j % 3 == 0)), 4 + (i % 2), j + 1
                    )
                    for j, k in enumerate(keys)
                },
                department="CX",
            )
            for i in range(8)
        ]
        store_internal_answers(
            session, campaign=second, answers=answers, submission_ids=[f"au{i}" for i in range(8)]
        )


def setup(cx: Cxgap, folder: Path) -> None:
    with cx.transaction() as session:
        create_demo_workspace(session)
        accounts.create_user(session, email="ana@example.com", password=PASSWORD)
        accounts.create_user(session, email="leo@example.com", password=PASSWORD)
        demo = get_workspace(session, DEMO_KEY)
        accounts.set_membership(session, workspace=demo, email="ana@example.com", role="admin")
        accounts.set_membership(session, workspace=demo, email="leo@example.com", role="viewer")
    enrich.enrich(DEMO_KEY, database_url=cx.settings.database_url)
    _second_campaign(cx)
    with cx.transaction() as session:
        demo = get_workspace(session, DEMO_KEY)
        ids = [u.id for u in session.query(User).filter(User.email.like("%@example.com"))]
        save_schedule(session, demo, enabled=True, locale="fr", paper="a4", recipient_ids=ids)
        for locale in ("en", "fr"):
            pdf = executive_file(session, demo, period=PERIOD, fmt="pdf", locale=locale)
            (folder / f"report-{locale}.pdf").write_bytes(pdf.content)
            _pdf_pages(folder / f"report-{locale}.pdf", locale)
        for fmt, locale in (("pdf", "fr"), ("html", "en")):  # one prepared report, one waiting
            jobs.submit(
                session,
                jobs.EXECUTIVE_REPORT,
                workspace_id=demo.id,
                payload=jobs.executive_payload(period=PERIOD, locale=locale, fmt=fmt, paper=None),
            )
    context = JobContext.for_app(cx, kinds={executive.EXECUTIVE_REPORT: executive.KIND})
    Worker(context).run_once()


def _pdf_pages(path: Path, locale: str) -> None:
    document = pypdfium2.PdfDocument(str(path))
    for index in range(min(PDF_PAGES, len(document))):
        target = OUT / f"executive-report-pdf-{locale}-p{index + 1}.png"
        document[index].render(scale=1.5).to_pil().save(target)
        print(f"docs/screenshots/{target.name}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with served(setup) as (base, browser):
        ana = sign_in(browser, base, "ana@example.com", FIREFOX)
        shoot(ana, "gaps-three", f"{base}/w/{DEMO_KEY}/gaps")
        shoot(ana, "executive-report-page", f"{base}/w/{DEMO_KEY}/reports/executive")


if __name__ == "__main__":
    main()
