from __future__ import annotations

import logging

from cxgap.services.core import Cxgap
from cxgap.web.app import create_app
from cxgap.web.log_redaction import ACCESS_LOGGER, TokenRedactor


def test_the_access_log_never_shows_a_link_token(sqlite_cx: Cxgap) -> None:
    create_app(cx=sqlite_cx)
    create_app(cx=sqlite_cx)
    logger = logging.getLogger(ACCESS_LOGGER)
    assert sum(isinstance(f, TokenRedactor) for f in logger.filters) == 1
    # The shape of uvicorn's access record: client, method, path, HTTP version, status.
    record = logging.LogRecord(
        ACCESS_LOGGER,
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/invite/SeCrEt-Tok_en?next=/w/x", "1.1", 200),
        None,
    )
    for path in (
        "/optout/abc",
        "/community/unsubscribe/12.abc",
        "/s/survey-token?invitation=inv-token&lang=fr",
        "/a/camp",
    ):
        other = logging.LogRecord(ACCESS_LOGGER, logging.INFO, __file__, 1, "%s", (path,), None)
        assert logger.filters[-1].filter(other)
        assert other.getMessage().count("***") >= 1
        assert "abc" not in other.getMessage() and "inv-token" not in other.getMessage()
    assert logger.filters[-1].filter(record)
    assert "SeCrEt" not in record.getMessage() and "/invite/***" in record.getMessage()
