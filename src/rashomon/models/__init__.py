"""Learned weights that ship with the package, and the one format they are saved in.

A model is data: a :class:`LinearModel` holds a linear classifier's classes, weights and
bias plus a JSON ``meta`` dict (feature layout, training data, measured figures), saved as
one compressed ``.npz`` file beside its model card (``NAME.md``). Training scripts live in
``train/`` at the repository root and write both; nothing here trains or downloads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np


@dataclass
class LinearModel:
    """A multinomial (or binary, one row of weights) linear classifier.

    ``coef`` is (n_classes, n_features), or (1, n_features) for two classes, in which case
    the row scores ``classes[1]``, as scikit-learn's LogisticRegression stores it.
    """

    classes: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_sklearn(cls, estimator: Any, meta: dict[str, Any] | None = None) -> LinearModel:
        """Take the weights of a fitted linear estimator (LogisticRegression and the like)."""
        return cls(classes=[str(c) for c in estimator.classes_],
                   coef=np.asarray(estimator.coef_, dtype=np.float32),
                   intercept=np.asarray(estimator.intercept_, dtype=np.float32),
                   meta=dict(meta or {}))

    def decision(self, features: np.ndarray) -> np.ndarray:
        return np.asarray(features, dtype=np.float32) @ self.coef.T + self.intercept

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per input row, columns in ``classes`` order."""
        scores = self.decision(np.atleast_2d(features))
        if self.coef.shape[0] == 1:
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.stack([1.0 - positive, positive], axis=1)
        scores = scores - scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict(self, features: np.ndarray) -> list[str]:
        return [self.classes[i] for i in self.predict_proba(features).argmax(axis=1)]

    def save(self, path: str | Path) -> None:
        np.savez_compressed(path, classes=np.array(self.classes), coef=self.coef,
                            intercept=self.intercept, meta=np.array(json.dumps(self.meta)))

    @classmethod
    def load(cls, path: str | Path) -> LinearModel:
        with np.load(path, allow_pickle=False) as data:
            return cls(classes=[str(c) for c in data["classes"]], coef=data["coef"],
                       intercept=data["intercept"], meta=json.loads(str(data["meta"])))


def packaged(name: str) -> Path:
    """The path of a model file shipped in this package (``packaged("event_type.npz")``)."""
    return Path(str(files(__package__) / name))
