"""The packed e5 model read into numpy: Q4_0 blocks, the tokenizer data, the directory."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cxgap.errors import ConfigError
from cxgap.text.e5_weights import dequantize_q4_0, read_e5_weights
from tests.text.e5_fixture import NORMALISATION, PIECES, SCORES, quantize_q4_0, write_tiny_model


def test_a_q4_0_block_puts_byte_j_in_weights_j_and_j_plus_16() -> None:
    # scale 0.5 (float16 0x3800), byte j: low nibble j, high nibble 15 - j
    block = bytes([0x00, 0x38]) + bytes((15 - j) << 4 | j for j in range(16))
    values = dequantize_q4_0(block, 1, 32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    assert values.tolist() == [expected]


def test_quantised_matrices_come_back_within_one_step() -> None:
    # one step = max |w| / 8; the side opposite the extreme weight clips at 7 steps
    rng = np.random.default_rng(1)
    matrix = rng.normal(0, 1, (3, 64)).astype(np.float32)
    back = dequantize_q4_0(quantize_q4_0(matrix), 3, 64)
    steps = np.repeat(np.abs(matrix.reshape(-1, 32)).max(axis=1) / 8, 32).reshape(3, 64)
    assert back.shape == (3, 64) and back.dtype == np.float32
    assert np.all(np.abs(back - matrix) <= steps + 1e-3)
    assert np.abs(back - matrix).mean() < steps.mean() / 3


def test_rows_that_are_not_whole_blocks_are_refused() -> None:
    with pytest.raises(ConfigError, match=r"multiple of 32 weights \(got 40\)"):
        dequantize_q4_0(bytes(18 * 2), 1, 40)


def test_the_file_gives_its_config_vocabulary_and_tensors(tmp_path: Path) -> None:
    path = tmp_path / "tiny.bin"
    expected = write_tiny_model(path, layers=2)
    weights = read_e5_weights(path)
    assert (weights.config.hidden, weights.config.layers, weights.config.heads) == (32, 2, 2)
    assert weights.config.feed_forward == 64 and weights.config.max_positions == 16
    assert [p.decode() for p in weights.vocab.pieces] == PIECES
    np.testing.assert_array_equal(weights.vocab.scores, np.array(SCORES, dtype=np.float32))
    assert (weights.vocab.bos, weights.vocab.pad, weights.vocab.eos, weights.vocab.unk) == (
        0,
        1,
        2,
        3,
    )
    assert weights.vocab.normalisation == NORMALISATION
    assert sorted(weights.tensors) == sorted(expected)
    for name, values in expected.items():
        np.testing.assert_array_equal(weights.tensors[name], values, err_msg=name)
        assert weights.tensors[name].dtype == np.float32


def test_keeping_the_first_layers_leaves_the_others_out(tmp_path: Path) -> None:
    path = tmp_path / "tiny.bin"
    write_tiny_model(path, layers=3)
    weights = read_e5_weights(path, layers=1)
    assert weights.config.layers == 1
    assert "l0.q.w" in weights.tensors and "l1.q.w" not in weights.tensors
    with pytest.raises(ConfigError, match="between 1 and 3 \\(got 4\\)"):
        read_e5_weights(path, layers=4)


def test_a_file_of_another_kind_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "other.bin"
    path.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ConfigError, match=r"other\.bin: not a packed e5 model"):
        read_e5_weights(path)


def test_a_truncated_file_says_where_it_ends(tmp_path: Path) -> None:
    path = tmp_path / "tiny.bin"
    write_tiny_model(path, layers=1)
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ConfigError, match=r"tiny\.bin: tensor l0\.oln\.b runs past the end"):
        read_e5_weights(path)
    path.write_bytes(path.read_bytes()[:60])
    with pytest.raises(ConfigError, match="truncated model file at byte"):
        read_e5_weights(path)
