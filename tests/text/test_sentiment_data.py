"""The labelled training files are read like every CSV cxgap imports: BOM, delimiter, quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxgap.errors import ConfigError
from cxgap.text.finetune import Labelled
from cxgap.text.sentiment_data import REAL_WEIGHT, TRAINING_FILES, real_sets

TRUSTPILOT, TWEETS = TRAINING_FILES


def write(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def test_files_saved_again_by_french_excel_are_read_as_they_were(tmp_path: Path) -> None:
    # A byte order mark, ';' between cells, CRLF, a quoted cell holding ';' and a line break:
    # what a spreadsheet writes when the file is opened and saved in French.
    write(
        tmp_path / TRUSTPILOT,
        "\ufeffreview_id;rating;title;text\r\n"
        'a;5;;"Livraison rapide ; parfait,\r\nmerci"\r\n'
        "b;3;;Moyen\r\n"
        "c;1;;Colis perdu\r\n"
        "d;;;Sans note\r\n",
    )
    write(tmp_path / TWEETS, "\ufeffid,text,label_name\r\n1,Love it,positive\r\n2,meh,other\r\n")
    assert real_sets(tmp_path) == [
        Labelled("Livraison rapide ; parfait,\r\nmerci", "positive", REAL_WEIGHT),
        Labelled("Colis perdu", "negative", REAL_WEIGHT),
        Labelled("Love it", "positive"),
    ]


def test_a_missing_training_file_is_named(tmp_path: Path) -> None:
    write(tmp_path / TRUSTPILOT, "rating,text\n5,Top\n")
    with pytest.raises(ConfigError, match="en_semeval2017"):
        real_sets(tmp_path)
