"""The e5 tokenizer: the segmentation of highest score, as ``e5.c``'s Viterbi finds it.

Vocabulary of the tiny model (``e5_fixture``): ▁ -3, ▁a -2, ▁ab -4.5, a -3, b -3, c -6,
▁passage -1, : -2, ▁abc -9 (ids 4 to 12); <s> 0, <pad> 1, </s> 2, <unk> 3.
"""

from __future__ import annotations

import pytest

from cxgap.text.e5_tokenizer import E5Tokenizer
from cxgap.text.e5_weights import read_e5_weights
from tests.text.e5_fixture import write_tiny_model


@pytest.fixture(scope="module")
def tokenizer(tmp_path_factory: pytest.TempPathFactory) -> E5Tokenizer:
    path = tmp_path_factory.mktemp("e5") / "tiny.bin"
    write_tiny_model(path, layers=1)
    return E5Tokenizer(read_e5_weights(path).vocab)


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("ab", [6]),  # ▁ab -4.5 beats ▁a + b -5
        ("abc", [12]),  # ▁abc -9 beats ▁ab + c -10.5
        ("aab", [5, 7, 8]),  # ▁a + a + b -8 beats ▁ + a + a + b -12
        ("a  \tb", [5, 4, 8]),  # tab is a space, runs of spaces are one: ▁a ▁ b
        (" a", [5]),  # a text starting with a space gets no second one
        ("a\x07b", [6]),  # the bell is dropped by the normalisation map
        ("x", [4, 3]),  # a character no piece covers is <unk>
        ("\u00c5", [4, 3, 3]),  # Å becomes A + ring, neither in the vocabulary
        ("", [4]),
    ],
)
def test_content_ids_take_the_best_segmentation(
    tokenizer: E5Tokenizer, text: str, ids: list[int]
) -> None:
    assert tokenizer.content_ids(text) == ids


def test_a_text_is_read_as_a_passage_between_the_special_pieces(tokenizer: E5Tokenizer) -> None:
    assert tokenizer.encode("ab") == [0, 10, 11, 6, 2]  # <s> ▁passage : ▁ab </s>
    assert tokenizer.encode("ab", prefix="") == [0, 6, 2]


def test_a_long_text_keeps_its_first_pieces(tokenizer: E5Tokenizer) -> None:
    assert tokenizer.encode("ab ab ab", max_tokens=4) == [0, 10, 11, 2]
    assert tokenizer.encode_batch(["ab", "x"], prefix="") == [[0, 6, 2], [0, 4, 3, 2]]
