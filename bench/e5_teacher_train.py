"""The training stage of ``bench.e5_teacher`` (PyTorch, CPU; run from the torch virtualenv).

The first ``layers`` layers of e5 become a PyTorch module initialised from the dequantised
weights; the embeddings and the first ``frozen`` layers stay as they are, so their output is
computed once per text and cached (float16), and only the layers above, a mean pooling and a
3-class layer are trained (class-balanced cross-entropy, each row weighted as
:mod:`cxgap.text.sentiment_data` weighs it). The same module then reads the test texts.
"""

from __future__ import annotations

import json
import math
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from cxgap.text.e5_weights import E5Weights, read_e5_weights


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        return None
    return torch


def build(weights: E5Weights, torch: Any) -> tuple[Any, Any]:
    """(embeddings + frozen layers as a function, trainable layers + head as a module)."""
    nn, t, cfg = torch.nn, weights.tensors, weights.config

    def param(name: str) -> Any:
        return nn.Parameter(torch.from_numpy(np.ascontiguousarray(t[name])))

    class Block(nn.Module):  # type: ignore[misc]
        def __init__(self, layer: int) -> None:
            super().__init__()
            p = f"l{layer}."
            self.w = nn.ParameterDict(
                {
                    k.replace(".", "_"): param(p + k)
                    for k in (
                        "q.w",
                        "q.b",
                        "k.w",
                        "k.b",
                        "v.w",
                        "v.b",
                        "ao.w",
                        "ao.b",
                        "aln.w",
                        "aln.b",
                        "fi.w",
                        "fi.b",
                        "fo.w",
                        "fo.b",
                        "oln.w",
                        "oln.b",
                    )
                }
            )

        def forward(self, x: Any, bias: Any) -> Any:
            w, (b, n, h) = self.w, x.shape
            heads = cfg.heads

            def split(y: Any) -> Any:
                return y.view(b, n, heads, h // heads).transpose(1, 2)

            f = nn.functional
            q = split(f.linear(x, w["q_w"], w["q_b"]))
            k = split(f.linear(x, w["k_w"], w["k_b"]))
            v = split(f.linear(x, w["v_w"], w["v_b"]))
            ctx = f.scaled_dot_product_attention(q, k, v, attn_mask=bias)
            ctx = ctx.transpose(1, 2).reshape(b, n, h)
            x = f.layer_norm(
                x + f.linear(ctx, w["ao_w"], w["ao_b"]), (h,), w["aln_w"], w["aln_b"], cfg.eps
            )
            mid = f.gelu(f.linear(x, w["fi_w"], w["fi_b"]), approximate="tanh")
            return f.layer_norm(
                x + f.linear(mid, w["fo_w"], w["fo_b"]), (h,), w["oln_w"], w["oln_b"], cfg.eps
            )

    class Top(nn.Module):  # type: ignore[misc]
        def __init__(self, first: int, last: int) -> None:
            super().__init__()
            self.blocks = nn.ModuleList([Block(i) for i in range(first, last)])
            self.classify = nn.Linear(cfg.hidden, 3)

        def forward(self, x: Any, mask: Any) -> Any:
            bias = mask.bool()[:, None, None, :]
            for block in self.blocks:
                x = block(x, bias)
            pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
            return self.classify(pooled)

    return Block, Top


def lower_states(
    weights: E5Weights, frozen: int, batches: list[list[int]], torch: Any, Block: Any
) -> list[Any]:
    """Each text's hidden states after the frozen layers, float16, ``[tokens, hidden]``."""
    t, cfg = weights.tensors, weights.config
    word = torch.from_numpy(t["emb.word"])
    pos = torch.from_numpy(t["emb.pos"])
    type0 = torch.from_numpy(t["emb.type"][0])
    blocks = [Block(i) for i in range(frozen)]
    out: list[Any] = [None] * len(batches)
    order = sorted(range(len(batches)), key=lambda i: len(batches[i]))
    with torch.inference_mode():
        for start in range(0, len(order), 64):
            chunk = order[start : start + 64]
            ids, mask = pad([batches[i] for i in chunk], torch, weights.vocab.pad)
            x = word[ids] + pos[: ids.shape[1]][None] + type0
            x = torch.nn.functional.layer_norm(
                x,
                (cfg.hidden,),
                torch.from_numpy(t["emb.ln.w"]),
                torch.from_numpy(t["emb.ln.b"]),
                cfg.eps,
            )
            bias = mask.bool()[:, None, None, :]
            for block in blocks:
                x = block(x, bias)
            for row, i in enumerate(chunk):
                out[i] = x[row, : len(batches[i])].to(torch.float16).clone()
    return out


def cap(ids: list[int], most: int) -> list[int]:
    """The first pieces of a text, its closing ``</s>`` kept."""
    return ids if len(ids) <= most else [*ids[: most - 1], ids[-1]]


def sample_training(data: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """The corpus rows come first, then the French reviews (weight 2), then the tweets."""
    weights = data["weights"]
    first_real = weights.index(max(weights))
    first_tweet = len(weights) - weights[::-1].index(max(weights))
    rng = random.Random(settings["seed"])
    corpus = rng.sample(range(first_real), min(first_real, settings["train_corpus_rows"]))
    tweets = range(first_tweet, len(weights))
    chosen = sorted(corpus) + list(range(first_real, first_tweet))
    chosen += sorted(rng.sample(tweets, min(len(tweets), settings["train_tweet_rows"])))
    return {
        "ids": [cap(data["ids"][i], settings["max_tokens"]) for i in chosen],
        "labels": [data["labels"][i] for i in chosen],
        "weights": [weights[i] for i in chosen],
    }


def test_sample(rows: int, settings: dict[str, Any]) -> list[int]:
    most = settings["test_rows"]
    return list(range(rows)) if rows <= most else sorted(random.Random(1).sample(range(rows), most))


PRIORITY = ["fr_trustpilot_multisector_2021.csv", "en_sanders_brand_tweets.csv"]
"""The files closest to the issue's targets are read first."""


def _cached_lower(
    work: Path,
    weights: E5Weights,
    settings: dict[str, Any],
    ids: list[list[int]],
    torch: Any,
    Block: Any,
) -> list[Any]:
    """The training texts' frozen-layer states, kept on disk for the next run."""
    path = work / f"lower_{settings['frozen']}_{settings['max_tokens']}.npy"
    lengths = [len(row) for row in ids]
    if path.is_file():
        flat = np.load(path)
        if flat.shape[0] == sum(lengths):
            ends = np.cumsum(lengths)
            return [torch.from_numpy(flat[e - n : e]) for n, e in zip(lengths, ends, strict=True)]
    states = lower_states(weights, settings["frozen"], ids, torch, Block)
    np.save(path, torch.cat(states).numpy())
    return states


def pad(batch: list[list[int]], torch: Any, value: int) -> tuple[Any, Any]:
    width = max(len(ids) for ids in batch)
    tokens = torch.full((len(batch), width), value, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.float32)
    for row, ids in enumerate(batch):
        tokens[row, : len(ids)] = torch.tensor(ids)
        mask[row, : len(ids)] = 1.0
    return tokens, mask


def stack(states: list[Any], torch: Any) -> tuple[Any, Any]:
    width = max(s.shape[0] for s in states)
    x = torch.zeros((len(states), width, states[0].shape[1]), dtype=torch.float32)
    mask = torch.zeros((len(states), width), dtype=torch.float32)
    for row, s in enumerate(states):
        x[row, : s.shape[0]] = s.float()
        mask[row, : s.shape[0]] = 1.0
    return x, mask


def train(work: Path, model: Path, settings: dict[str, Any]) -> None:
    torch = _torch()
    if torch is None or not (work / "train.json").is_file() or not model.is_file():
        print("skipped: needs torch, the model file and `prepare`'s output")
        return
    torch.manual_seed(settings["seed"])
    torch.set_num_threads(settings["threads"])
    weights = read_e5_weights(model, layers=settings["layers"])
    Block, Top = build(weights, torch)
    data = sample_training(json.loads((work / "train.json").read_text(encoding="utf-8")), settings)
    log = _logger(work / "train.log")
    log(f"train rows {len(data['ids'])}, tokens {sum(map(len, data['ids']))}; settings {settings}")
    start = time.time()
    cached = _cached_lower(work, weights, settings, data["ids"], torch, Block)
    log(f"lower layers of the training texts: {time.time() - start:.0f} s")
    top = Top(settings["frozen"], settings["layers"])
    fit(top, cached, data["labels"], data["weights"], settings, torch, log)
    np.savez(
        work / "teacher_top.npz", **{k: v.detach().numpy() for k, v in top.state_dict().items()}
    )
    while not (work / "tests.json").is_file():  # `prepare` may still be scoring them
        time.sleep(10)
    tests = json.loads((work / "tests.json").read_text(encoding="utf-8"))
    probabilities: dict[str, Any] = {}
    for name in sorted(tests, key=lambda n: PRIORITY.index(n) if n in PRIORITY else 99):
        begin, test = time.time(), tests[name]
        rows = test_sample(len(test["ids"]), settings)
        capped = [cap(test["ids"][i], settings["max_tokens"]) for i in rows]
        states = lower_states(weights, settings["frozen"], capped, torch, Block)
        probabilities[name] = {"rows": rows, "p": predict(top, states, torch).tolist()}
        log(f"{name}: {len(states)} texts read in {time.time() - begin:.0f} s")
        # written after each file: the report reads whatever is done
        (work / "teacher_probs.json").write_text(json.dumps(probabilities), encoding="utf-8")
    log(f"done in {time.time() - start:.0f} s")


def fit(
    top: Any,
    cached: list[Any],
    labels: list[int],
    row_weights: list[float],
    settings: dict[str, Any],
    torch: Any,
    log: Any,
) -> None:
    rng = random.Random(settings["seed"])
    counts = np.bincount(labels, minlength=3).astype(np.float64)
    balance = torch.tensor(counts.sum() / (3 * np.maximum(counts, 1)), dtype=torch.float32)
    head = list(top.classify.parameters())
    body = [p for n, p in top.named_parameters() if not n.startswith("classify")]
    optimiser = torch.optim.AdamW(
        [
            {"params": body, "lr": settings["learning_rate"]},
            {"params": head, "lr": settings["head_learning_rate"]},
        ],
        weight_decay=settings["weight_decay"],
    )
    size = settings["batch_size"]
    steps = settings["epochs"] * math.ceil(len(cached) / size)
    warm = max(1, steps // 10)  # linear warm-up over a tenth, then linear decay to 0
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda k: min((k + 1) / warm, max(0.0, (steps - k) / max(1, steps - warm)))
    )
    top.train()
    begin, done = time.time(), 0
    for epoch in range(settings["epochs"]):
        order = list(range(len(cached)))
        rng.shuffle(order)
        batches = []
        for i in range(0, len(order), 50 * size):  # batches of similar length
            block = sorted(order[i : i + 50 * size], key=lambda j: cached[j].shape[0])
            batches += [block[k : k + size] for k in range(0, len(block), size)]
        rng.shuffle(batches)
        total = 0.0
        for step, batch in enumerate(batches):
            x, mask = stack([cached[i] for i in batch], torch)
            loss = torch.nn.functional.cross_entropy(
                top(x, mask),
                torch.tensor([labels[i] for i in batch]),
                weight=balance,
                reduction="none",
            )
            loss = (loss * torch.tensor([row_weights[i] for i in batch])).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total, done = total + loss.item(), done + 1
            if step % 50 == 0:
                rate = (time.time() - begin) / done
                log(
                    f"epoch {epoch + 1} step {step}/{len(batches)} loss {total / (step + 1):.4f}"
                    f" {rate:.2f} s/step, {rate * (steps - done) / 60:.1f} min left"
                )
    top.eval()


def predict(top: Any, states: list[Any], torch: Any) -> Any:
    out = np.zeros((len(states), 3), dtype=np.float32)
    order = sorted(range(len(states)), key=lambda i: states[i].shape[0])
    with torch.inference_mode():
        for start in range(0, len(order), 64):
            chunk = order[start : start + 64]
            x, mask = stack([states[i] for i in chunk], torch)
            out[chunk] = torch.softmax(top(x, mask), dim=1).numpy()
    return out


def _logger(path: Path) -> Any:
    def log(message: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {message}"
        print(line, flush=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    return log
