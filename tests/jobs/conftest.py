"""Job tests run with the small rule analyzer, the example-memory trainer, a small taxonomy."""

from __future__ import annotations

import pytest

from cxgap.jobs.runner import JobContext
from cxgap.services import taxonomy
from cxgap.services.core import Cxgap
from tests.listening import TOPICS, NearestExampleTrainer, rule_analyzer


@pytest.fixture(autouse=True)
def small_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(taxonomy, "default_taxonomy", lambda: TOPICS)


@pytest.fixture
def trainer() -> NearestExampleTrainer:
    return NearestExampleTrainer()


@pytest.fixture
def context(cx: Cxgap, trainer: NearestExampleTrainer) -> JobContext:
    return JobContext(
        sessions=cx.sessions,
        data_dir=cx.settings.data_dir,
        analyzer_factory=rule_analyzer,
        trainer=trainer,
        batch_size=3,
        stale_seconds=60,
    )
