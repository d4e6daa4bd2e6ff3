"""A local Hugging Face text-classification model given with ``--model`` (optional).

A folder saved by ``transformers`` (``config.json``, weights, tokenizer files), for instance a
fine-tuned CamemBERT the user already has. Nothing is downloaded: the folder is loaded with
``local_files_only``. It runs batched, on the GPU when ``torch`` sees one, else on the CPU.
``transformers`` and ``torch`` are not cxgap dependencies; without them this path explains
what to install.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cxgap.errors import ConfigError
from cxgap.text.dependencies import require

BATCH_SIZE = 32
MAX_TOKENS = 256
_HINT = "pip install transformers torch"


@dataclass
class TransformersModel:
    """A sequence-classification model with its tokenizer, on one device."""

    tokenizer: Any
    model: Any
    torch: Any
    device: str
    labels: tuple[str, ...]
    multi_label: bool

    @classmethod
    def load(cls, directory: Path) -> TransformersModel:
        if not (directory / "config.json").exists():
            raise ConfigError(
                f"{directory}: neither a classifier trained by `cxgap text train` (no "
                "head.json) nor a Hugging Face model folder (no config.json)"
            )
        torch: Any = require("torch", purpose="A Hugging Face model", hint=_HINT)
        transformers: Any = require("transformers", purpose="A Hugging Face model", hint=_HINT)
        try:
            tokenizer = transformers.AutoTokenizer.from_pretrained(directory, local_files_only=True)
            model = transformers.AutoModelForSequenceClassification.from_pretrained(
                directory, local_files_only=True
            )
        except (OSError, ValueError) as error:
            raise ConfigError(f"{directory}: cannot load the model ({error})") from error
        device = "cuda" if torch.cuda.is_available() else "cpu"
        model.to(device).eval()
        config = model.config
        labels = tuple(str(config.id2label[i]) for i in range(config.num_labels))
        multi = config.problem_type == "multi_label_classification"
        return cls(tokenizer, model, torch, device, labels, multi)

    def labels_for(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        out: list[tuple[str, ...]] = []
        for start in range(0, len(texts), BATCH_SIZE):
            out.extend(self._batch(list(texts[start : start + BATCH_SIZE])))
        return out

    def _batch(self, texts: list[str]) -> list[tuple[str, ...]]:
        encoded = self.tokenizer(
            texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        ).to(self.device)
        with self.torch.no_grad():
            logits = self.model(**encoded).logits
        if self.multi_label:
            chosen = (self.torch.sigmoid(logits) >= 0.5).cpu().tolist()
            return [
                tuple(lab for lab, on in zip(self.labels, row, strict=True) if on) for row in chosen
            ]
        return [(self.labels[i],) for i in logits.argmax(dim=-1).cpu().tolist()]
