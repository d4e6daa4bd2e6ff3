"""The ingest package stands alone: of cxgap it imports only the error types."""

from __future__ import annotations

from tests.test_architecture import SRC, imports_of, modules


def test_ingest_imports_no_other_cxgap_package() -> None:
    offences = [
        f"{path.relative_to(SRC)} imports {name}"
        for path in modules("ingest")
        for name in imports_of(path)
        if name.startswith("cxgap.")
        and name != "cxgap.errors"
        and not name.startswith("cxgap.ingest")
    ]
    assert offences == []


def test_the_layering_test_covers_ingest() -> None:
    assert modules("ingest"), "the ingest package has moved"
