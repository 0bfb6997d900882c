"""Hyperparameter problems of empirical risk minimization (survey §4.1, (4.1)–(4.2)).

With ``n`` training samples ``(a_i, b_i)`` (rows of ``A``), a convex loss ``ℓ``
(:mod:`bilevel_mp.learning.losses`), per-sample weights ``c_i(x) > 0`` and per-feature
ℓ2 weights ``r_j(x) > 0`` set by the hyperparameters ``x``::

    lower level (training)    f(x, w) = 1/n Σ_i c_i(x) ℓ(a_iᵀw, b_i) + ½ Σ_j r_j(x) w_j²
    upper level (validation)  F(w)    = 1/n_v Σ_i ℓ(a_{v,i}ᵀw, b_{v,i})

and ``x`` in a box. Two choices of ``(c, r)``:

:class:`FeatureRegularization`
    ``r_j = exp(x_j)``, ``c_i = 1``: one regularization weight per feature, optimized in
    log-space (the weight decay ``R(z, x) = Σ_i exp(x_i) z_i²`` of survey §4.1, here with
    the factor ½); with the squared loss ridge regression, with the logistic loss logistic
    regression. HOAG (Pedregosa 2016, survey [210]) tunes such weights by approximate
    hypergradients.
:class:`SampleReweighting`
    ``c_i = σ(x_i)`` (the logistic sigmoid), ``r_j = μ`` fixed: one weight per training
    sample, data hyper-cleaning (Franceschi et al. 2017, survey [95]; reweighting
    ``ℓ_tr = σ(x_i) ℓ`` of survey §4.1 after [217]): the leader learns to down-weight
    corrupted samples.

Every derivative the method needs is a product with ``A`` or ``Aᵀ`` (``z = Aw``,
``D = diag(c ⊙ ℓ''(z, b)) / n``; survey §5.2: AID needs only Hessian-vector and
cross-derivative-vector products)::

    ∇_w f          = Aᵀ (c ⊙ ℓ'(z, b)) / n + r ⊙ w
    ∇²_ww f · v    = Aᵀ D A v + r ⊙ v
    (∇²_xw f)ᵀ q   = ∂/∂x ⟨∇_w f, q⟩ = c' ⊙ ℓ'(z, b) ⊙ (A q) / n + r' ⊙ w ⊙ q
    ∇_w F          = A_vᵀ ℓ'(A_v w, b_v) / n_v,    ∇_x F = 0,

so memory is linear in the number of nonzeros of the data. Because ``ℓ`` is convex and
``c, r > 0``, ``f(x, ·)`` is strongly convex with modulus ``μ(x) >= min_j r_j(x)``: the
lower-level solution is unique and the implicit function theorem applies (survey §5.1).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.special import expit

from bilevel_mp.errors import ModelError
from bilevel_mp.learning.data import Dataset, as_dataset
from bilevel_mp.learning.krylov import norm
from bilevel_mp.learning.losses import Loss, LossName, get_loss


@dataclass(frozen=True)
class Curvature:
    """The lower-level Hessian ``∇²_ww f = Aᵀ D A + diag(r)`` at one point, as products.

    Attributes
    ----------
    features
        ``A``.
    weights
        The diagonal of ``D`` (``c ⊙ ℓ'' / n``).
    ridge
        ``r`` (an array, or a float when all ``r_j`` are equal).
    diagonal
        ``diag(∇²_ww f)``, the Jacobi preconditioner of the Krylov solves.
    """

    features: np.ndarray | sp.csr_matrix
    weights: np.ndarray
    ridge: np.ndarray | float
    diagonal: np.ndarray

    def product(self, v: np.ndarray) -> np.ndarray:
        """``∇²_ww f · v`` (two products with the data)."""
        a = self.features
        return a.T @ (self.weights * (a @ v)) + self.ridge * v


class ERMHyperproblem(ABC):
    """The bilevel problem of the module docstring for one choice of ``(c, r)``.

    Parameters
    ----------
    train, validation
        :class:`~bilevel_mp.learning.data.Dataset` or pairs ``(features, targets)``;
        features dense or ``scipy.sparse``, with the same number of columns.
    loss
        ``"squared"`` or ``"logistic"`` (labels ``±1``).
    bounds
        Box ``(lower, upper)`` of every hyperparameter.
    x0
        Start point: a number (the same for every hyperparameter) or an array.
    """

    hyperparameter_name = "x"
    """Name of the hyperparameter vector in results (``x[i]`` entries)."""

    def __init__(self, train: Dataset | tuple, validation: Dataset | tuple,
                 loss: LossName, bounds: tuple[float, float], x0: float | np.ndarray) -> None:
        self.train = as_dataset(train, "train")
        self.validation = as_dataset(validation, "validation")
        if self.validation.n_features != self.train.n_features:
            raise ModelError(f"validation has {self.validation.n_features} features, train "
                             f"{self.train.n_features}")
        self.loss: Loss = get_loss(loss)
        self.loss.check_targets(self.train.targets, "train targets")
        self.loss.check_targets(self.validation.targets, "validation targets")
        self.lower, self.upper = _bounds(bounds)
        self.x0 = self._start(x0)
        self._squared_features: np.ndarray | sp.csr_matrix | None = None

    @property
    @abstractmethod
    def n_hyperparameters(self) -> int:
        """Number of upper-level variables ``x``."""

    @property
    def n_weights(self) -> int:
        """Number of lower-level variables ``w`` (the features)."""
        return self.train.n_features

    @abstractmethod
    def sample_weights(self, x: np.ndarray) -> tuple[np.ndarray | float, np.ndarray | float]:
        """``(c(x), c'(x))``, elementwise."""

    @abstractmethod
    def penalty(self, x: np.ndarray) -> tuple[np.ndarray | float, np.ndarray | float]:
        """``(r(x), r'(x))``, elementwise."""

    def shared(self, t: float) -> np.ndarray:
        """The point with every hyperparameter equal to ``t`` (what grid and random
        search explore)."""
        return np.full(self.n_hyperparameters, float(t))

    def scores(self, w: np.ndarray) -> np.ndarray:
        """``z = A w`` on the training data."""
        return self.train.features @ w

    def training_value(self, x: np.ndarray, w: np.ndarray, z: np.ndarray) -> float:
        """``f(x, w)`` given ``z = A w``."""
        c, _ = self.sample_weights(x)
        r, _ = self.penalty(x)
        return float(np.mean(c * self.loss.value(z, self.train.targets))
                     + 0.5 * np.sum(r * w * w))

    def training_gradient(self, x: np.ndarray, w: np.ndarray, z: np.ndarray) -> np.ndarray:
        """``∇_w f(x, w)`` given ``z = A w``."""
        c, _ = self.sample_weights(x)
        r, _ = self.penalty(x)
        d = self.loss.derivative(z, self.train.targets)
        return self.train.features.T @ (c * d / self.train.n_samples) + r * w

    def curvature(self, x: np.ndarray, z: np.ndarray) -> Curvature:
        """``∇²_ww f`` at ``z = A w`` as a product (and its diagonal)."""
        c, _ = self.sample_weights(x)
        r, _ = self.penalty(x)
        weights = np.broadcast_to(
            c * self.loss.curvature(z, self.train.targets) / self.train.n_samples, z.shape)
        diagonal = self._squared().T @ weights + r
        return Curvature(self.train.features, np.ascontiguousarray(weights), r,
                         np.broadcast_to(diagonal, (self.n_weights,)))

    def cross_product(self, x: np.ndarray, w: np.ndarray, z: np.ndarray,
                      q: np.ndarray) -> np.ndarray:
        """``(∇²_xw f)ᵀ q = ∂/∂x ⟨∇_w f(x, w), q⟩``, a vector like ``x``."""
        _, dc = self.sample_weights(x)
        _, dr = self.penalty(x)
        out = np.zeros(self.n_hyperparameters)
        if np.any(dc):
            d = self.loss.derivative(z, self.train.targets)
            out = out + dc * d * (self.train.features @ q) / self.train.n_samples
        if np.any(dr):
            out = out + dr * w * q
        return out

    def validation_value_and_gradient(self, w: np.ndarray) -> tuple[float, np.ndarray]:
        """``(F(w), ∇_w F(w))``."""
        v = self.validation
        z = v.features @ w
        value = float(np.mean(self.loss.value(z, v.targets)))
        return value, v.features.T @ (self.loss.derivative(z, v.targets) / v.n_samples)

    def mean_loss(self, data: Dataset | tuple, w: np.ndarray) -> float:
        """``1/m Σ ℓ(aᵀw, b)`` on other data (a test set), in the units of ``F``."""
        data = as_dataset(data, "data")
        if data.n_features != self.n_weights:
            raise ModelError(f"data have {data.n_features} features, the problem "
                             f"{self.n_weights}")
        self.loss.check_targets(data.targets, "data targets")
        return float(np.mean(self.loss.value(data.features @ w, data.targets)))

    def strong_convexity(self, x: np.ndarray) -> float:
        """A modulus of strong convexity of ``f(x, ·)``: ``min_j r_j(x)`` (the loss term
        is convex)."""
        r, _ = self.penalty(x)
        return float(np.min(r))

    def gradient_scale(self, x: np.ndarray) -> float:
        """``‖∇_w f(x, 0)‖``: the lower-level tolerances are relative to it."""
        zero = np.zeros(self.train.n_samples)
        return norm(self.training_gradient(x, np.zeros(self.n_weights), zero))

    def hyperparameter_names(self) -> list[str]:
        """Names of the entries of ``x`` in results."""
        return [f"{self.hyperparameter_name}[{i}]" for i in range(self.n_hyperparameters)]

    def weight_names(self) -> list[str]:
        """Names of the entries of ``w`` in results."""
        return [f"w[{j}]" for j in range(self.n_weights)]

    def _squared(self) -> np.ndarray | sp.csr_matrix:
        """``A ⊙ A`` (for the Hessian diagonal), made once."""
        if self._squared_features is None:
            a = self.train.features
            self._squared_features = a.multiply(a).tocsr() if sp.issparse(a) else a * a
        return self._squared_features

    def _start(self, x0: float | np.ndarray) -> np.ndarray:
        try:
            x = np.broadcast_to(np.asarray(x0, dtype=float), (self.n_hyperparameters,))
        except (TypeError, ValueError):
            raise ModelError(f"x0 must be a number or an array of {self.n_hyperparameters} "
                             f"numbers, got {np.shape(x0) or type(x0).__name__}") from None
        outside = np.flatnonzero(~((x >= self.lower) & (x <= self.upper)))
        if outside.size:
            raise ModelError(f"x0[{outside[0]}] = {x[outside[0]]} is outside the bounds "
                             f"[{self.lower}, {self.upper}] (or not finite)")
        return np.array(x)


class FeatureRegularization(ERMHyperproblem):
    """One ℓ2 weight ``exp(x_j)`` per feature (module docstring): ridge regression with
    ``loss="squared"``, logistic regression with ``loss="logistic"``.

    Parameters
    ----------
    train, validation, loss
        As for :class:`ERMHyperproblem`.
    bounds
        Box of ``x_j = log λ_j``; default ``(-12, 8)``: ``λ`` from 6e-6 to 3e3.
    x0
        Start point (default 0: ``λ_j = 1``).

    Examples
    --------
    >>> import numpy as np
    >>> from bilevel_mp.learning import FeatureRegularization
    >>> rng = np.random.default_rng(0)
    >>> a, a_v = rng.normal(size=(40, 5)), rng.normal(size=(20, 5))
    >>> p = FeatureRegularization((a, a @ np.ones(5)), (a_v, a_v @ np.ones(5)))
    >>> p.n_hyperparameters, p.n_weights
    (5, 5)
    """

    hyperparameter_name = "log_l2"

    def __init__(self, train: Dataset | tuple, validation: Dataset | tuple,
                 loss: LossName = "squared", bounds: tuple[float, float] = (-12.0, 8.0),
                 x0: float | np.ndarray = 0.0) -> None:
        super().__init__(train, validation, loss, bounds, x0)

    @property
    def n_hyperparameters(self) -> int:
        return self.train.n_features

    def sample_weights(self, x: np.ndarray) -> tuple[float, float]:
        return 1.0, 0.0

    def penalty(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r = np.exp(x)
        return r, r


class SampleReweighting(ERMHyperproblem):
    """One weight ``σ(x_i)`` per training sample and a fixed ℓ2 weight ``l2`` (module
    docstring): data hyper-cleaning.

    Parameters
    ----------
    train, validation, loss
        As for :class:`ERMHyperproblem` (default loss: logistic).
    l2
        The fixed ℓ2 weight ``μ > 0`` (it makes the lower level strongly convex).
    bounds
        Box of ``x_i``; default ``(-8, 8)``: weights from 3e-4 to 1 - 3e-4.
    x0
        Start point (default 0: every weight ½).
    """

    hyperparameter_name = "sample_logit"

    def __init__(self, train: Dataset | tuple, validation: Dataset | tuple,
                 loss: LossName = "logistic", l2: float = 1e-3,
                 bounds: tuple[float, float] = (-8.0, 8.0),
                 x0: float | np.ndarray = 0.0) -> None:
        if not (isinstance(l2, int | float) and np.isfinite(l2) and l2 > 0):
            raise ModelError(f"l2 must be a positive number, got {l2!r}")
        self.l2 = float(l2)
        super().__init__(train, validation, loss, bounds, x0)

    @property
    def n_hyperparameters(self) -> int:
        return self.train.n_samples

    def sample_weights(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        c = expit(x)
        return c, c * (1.0 - c)

    def penalty(self, x: np.ndarray) -> tuple[float, float]:
        return self.l2, 0.0


def _bounds(bounds: object) -> tuple[float, float]:
    try:
        lower, upper = (float(v) for v in bounds)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise ModelError(f"bounds must be a pair (lower, upper) of numbers, got "
                         f"{bounds!r}") from None
    if not (np.isfinite(lower) and np.isfinite(upper) and lower < upper):
        raise ModelError(f"bounds must be finite with lower < upper, got ({lower}, {upper})")
    return lower, upper
