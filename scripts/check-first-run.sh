#!/usr/bin/env bash
# The first run, as `make run` does it: a fresh virtual environment with exactly
# requirements/main.txt and the project (--no-deps), the demo workspace on an empty SQLite
# database, its enrichment run to completion, then the demo's Listening read back through the
# service layer: it must have topics and sentiment counts. Catches a default install that lacks
# what the first screens need (the test suite runs with the dev requirements, which would hide
# it). About a minute with a warm pip cache; called by .ci/run before `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
started=$SECONDS

"$PYTHON" -m venv "$WORK/venv"
BIN="$WORK/venv/bin"
"$BIN/python" -m pip install --quiet --upgrade pip
"$BIN/python" -m pip install --quiet -r requirements/main.txt
"$BIN/python" -m pip install --quiet --no-deps -e .
installed=$SECONDS

export CXGAP_DATA_DIR="$WORK/data"
export CXGAP_DATABASE_URL="sqlite:///$WORK/data/cxgap.sqlite3"
mkdir -p "$CXGAP_DATA_DIR"
"$BIN/cxgap" demo  # creates the demo workspace and enriches its feedback
"$BIN/python" - <<'PY'
"""The demo's Listening, read as its screens read it (services, not SQL)."""
import sys

from cxgap.services import listening, listening_insights
from cxgap.services.core import Cxgap
from cxgap.services.demo import DEMO_KEY
from cxgap.services.workspaces import get_workspace

app = Cxgap.from_env()
with app.transaction() as session:
    workspace = get_workspace(session, DEMO_KEY)
    filters = listening.parse_filters({})
    explorer = listening.explore(session, workspace, filters, with_facets=True)
    topics = listening_insights.topics_view(session, workspace, filters).topics
sentiments = {c.value: c.count for c in explorer.facets.get("sentiment", [])}
coverage = explorer.coverage
app.dispose()
problems = []
if coverage.feedback == 0 or coverage.enriched < coverage.feedback:
    problems.append(f"{coverage.enriched} of {coverage.feedback} feedback records enriched")
if not topics or sum(t.mentions for t in topics) == 0:
    problems.append("no topic mentioned")
for sentiment in ("positive", "negative"):
    if sentiments.get(sentiment, 0) == 0:
        problems.append(f"no {sentiment} verbatim (sentiment counts: {sentiments})")
if problems:
    sys.exit("first run: the demo's Listening is not filled: " + "; ".join(problems))
print(
    f"first run: {coverage.enriched} verbatims enriched, {len(topics)} topics, "
    f"sentiments {sentiments}"
)
PY
echo "first run checked in $((SECONDS - started)) s (install $((installed - started)) s)"
