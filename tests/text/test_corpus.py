"""The project's labelled corpus: well formed, separate splits, deterministic expansion."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from cxgap.errors import ConfigError
from cxgap.text.corpus import Example, expand, load_examples, parse_line
from cxgap.text.taxonomy import topic_keys


def test_both_splits_cover_both_languages_and_the_three_sentiments() -> None:
    for split in ("train", "heldout"):
        examples = load_examples(split)
        counts = Counter((e.language, e.sentiment) for e in examples)
        for language in ("fr", "en"):
            for sentiment in ("positive", "neutral", "negative"):
                assert counts[(language, sentiment)] >= 10, (split, language, sentiment)


def test_every_topic_has_training_sentences_in_both_languages_and_only_known_keys() -> None:
    examples = load_examples("train")
    used = Counter((topic, e.language) for e in examples for topic in e.topics)
    assert {topic for topic, _ in used} == set(topic_keys())
    assert min(used[(topic, lang)] for topic in topic_keys() for lang in ("fr", "en")) >= 5


def test_the_held_out_set_shares_no_text_with_the_training_set() -> None:
    train = {e.text.casefold() for e in expand(load_examples("train"))}
    assert not [e.text for e in load_examples("heldout") if e.text.casefold() in train]


def test_expansion_is_deterministic_and_keeps_labels() -> None:
    originals = load_examples("train", ("fr",))[:20]
    first, second = expand(originals, seed=3), expand(originals, seed=3)
    assert first == second
    assert len(first) > 3 * len(originals)
    variants = first[1 : first.index(originals[1])]
    assert variants and all(e.text != originals[0].text for e in variants)
    assert {(e.sentiment, e.topics) for e in variants} == {
        (originals[0].sentiment, originals[0].topics)
    }


def test_a_bad_line_is_refused_with_its_place(tmp_path: Path) -> None:
    (tmp_path / "train_fr.tsv").write_text("# comment\n+7\tdelivery\tTop\n?\t\tbad\n")
    with pytest.raises(ConfigError, match=r"train_fr\.tsv:3"):
        load_examples("train", ("fr",), directory=tmp_path)
    assert parse_line("=1\t\tBonjour", language="fr", where="x") == Example(
        "Bonjour", "fr", "neutral", 0.1, ()
    )
