"""Per-sample losses ``ℓ(z, b)`` of a linear model's score ``z = aᵀw`` against a target ``b``.

Each loss gives its value and its first and second derivatives in ``z``, elementwise on
arrays, which is all the empirical-risk problems of :mod:`bilevel_mp.learning` need: the
gradient of a mean loss is ``Aᵀ ℓ'(Aw, b) / n`` and its Hessian-vector product
``Aᵀ (ℓ''(Aw, b) ⊙ Av) / n``.

- ``squared``: ``ℓ = ½ (z - b)²`` (ridge regression), any finite targets;
- ``logistic``: ``ℓ = log(1 + exp(-b z))`` (logistic regression), targets ``b ∈ {-1, +1}``;
  evaluated as ``logaddexp(0, -b z)`` and ``σ(·)`` by :func:`scipy.special.expit`, so that
  large scores do not overflow.

Both are convex in ``z`` (``ℓ'' >= 0``), which the certificate of
:mod:`bilevel_mp.learning.certificate` relies on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.special import expit

from bilevel_mp.errors import ModelError

LossName = Literal["squared", "logistic"]


@dataclass(frozen=True)
class SquaredLoss:
    """``ℓ(z, b) = ½ (z - b)²``: quadratic, so its curvature does not depend on ``z``."""

    name: str = "squared"
    quadratic: bool = True

    def value(self, z: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``½ (z - b)²``."""
        return 0.5 * (z - b) ** 2

    def derivative(self, z: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``z - b``."""
        return z - b

    def curvature(self, z: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``1``."""
        return np.ones_like(z)

    def check_targets(self, targets: np.ndarray, what: str) -> None:
        """Any finite targets are valid (finiteness is checked with the data)."""


@dataclass(frozen=True)
class LogisticLoss:
    """``ℓ(z, b) = log(1 + exp(-b z))`` for labels ``b ∈ {-1, +1}``."""

    name: str = "logistic"
    quadratic: bool = False

    def value(self, z: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``log(1 + exp(-b z))``."""
        return np.logaddexp(0.0, -b * z)

    def derivative(self, z: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``-b σ(-b z)``."""
        return -b * expit(-b * z)

    def curvature(self, z: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``σ(z) σ(-z)`` (``b² = 1``)."""
        s = expit(z)
        return s * (1.0 - s)

    def check_targets(self, targets: np.ndarray, what: str) -> None:
        """Labels must be ``-1`` or ``+1``."""
        bad = np.flatnonzero(np.abs(targets) != 1.0)
        if bad.size:
            raise ModelError(f"{what}: the logistic loss needs labels -1 or +1; entry "
                             f"{bad[0]} is {targets[bad[0]]!r} ({bad.size} such entries)")


Loss = SquaredLoss | LogisticLoss

LOSSES: dict[str, Loss] = {"squared": SquaredLoss(), "logistic": LogisticLoss()}


def get_loss(name: str) -> Loss:
    """The loss called ``name``; :class:`~bilevel_mp.errors.ModelError` lists the valid
    names otherwise."""
    if name not in LOSSES:
        raise ModelError(f"loss must be one of {sorted(LOSSES)}, not {name!r}")
    return LOSSES[name]
