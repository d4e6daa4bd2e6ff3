"""Background jobs: the task queue that enriches feedback, with an embedded default and Redis.

The ``enrichment_jobs`` table is the source of truth: a job is queued, claimed atomically by
one worker, worked batch by batch (each batch's transaction also records the job's progress
and heartbeat), and finished, failed or resumed. Two ways to run workers:

- embedded (default, nothing to install): a thread of the web app, or ``cxgap enrich`` in the
  foreground, polls the table;
- Redis (``CXGAP_QUEUE=redis``): job ids are also pushed to a Redis list that ``cxgap worker``
  processes block on, so any number of worker processes on any machine pick jobs up at once.

This package sits between ``services`` (which it calls) and the front ends (which call it).
"""
