"""Training and validation data of the empirical-risk problems: checked once, stored once.

Features are kept as given when they are a dense ``numpy`` array (C order, float64) and as
CSR otherwise (any ``scipy.sparse`` matrix or array): every later use is a product
``A v`` or ``Aᵀ u``, so memory stays ``O(nnz)`` and no ``n × n`` matrix is ever formed.
Bad data raise :class:`~bilevel_mp.errors.ModelError` naming the offending array and
entry, not an error from numpy or scipy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from bilevel_mp.errors import ModelError

Features = np.ndarray | sp.csr_matrix | sp.csr_array


@dataclass(frozen=True, eq=False)
class Dataset:
    """Samples as rows of ``features`` (``n × d``) with one target each.

    Use :meth:`of` to build one from arrays: it checks shapes and values and converts.
    """

    features: Features
    targets: np.ndarray

    @property
    def n_samples(self) -> int:
        """Number of samples ``n``."""
        return self.features.shape[0]

    @property
    def n_features(self) -> int:
        """Number of features ``d``."""
        return self.features.shape[1]

    @property
    def nnz(self) -> int:
        """Stored entries of the features (``n·d`` when dense)."""
        return self.features.nnz if sp.issparse(self.features) else self.features.size

    @property
    def nbytes(self) -> int:
        """Bytes held by the features and targets."""
        a = self.features
        held = a.data.nbytes + a.indices.nbytes + a.indptr.nbytes if sp.issparse(a) \
            else a.nbytes
        return held + self.targets.nbytes

    @classmethod
    def of(cls, features: object, targets: object, what: str = "data") -> Dataset:
        """Checked and converted data; ``what`` names them in error messages.

        Raises
        ------
        ModelError
            ``features`` not a 2-D numeric array or sparse matrix, no samples or no
            features, ``targets`` not a 1-D numeric array with one entry per sample, or a
            NaN or infinite entry in either.
        """
        if isinstance(features, Dataset):
            raise ModelError(f"{what}: pass features and targets, not a Dataset")
        a = _features(features, what)
        b = _vector(targets, f"{what} targets")
        if b.size != a.shape[0]:
            raise ModelError(f"{what}: {a.shape[0]} samples (rows of the features) but "
                             f"{b.size} targets")
        return cls(a, b)


def as_dataset(data: Dataset | tuple, what: str) -> Dataset:
    """``data`` as a :class:`Dataset`: a Dataset is kept, a pair ``(features, targets)``
    checked by :meth:`Dataset.of`."""
    if isinstance(data, Dataset):
        return data
    if not isinstance(data, tuple | list) or len(data) != 2:
        raise ModelError(f"{what} must be a Dataset or a pair (features, targets), got "
                         f"{type(data).__name__}")
    return Dataset.of(data[0], data[1], what)


def _features(features: object, what: str) -> Features:
    if sp.issparse(features):
        if features.ndim != 2:
            raise ModelError(f"{what} features must be 2-D, got shape {features.shape}")
        if not np.issubdtype(features.dtype, np.number) or np.iscomplexobj(features.data):
            raise ModelError(f"{what} features must be real numbers, got dtype "
                             f"{features.dtype}")
        a = sp.csr_matrix(features, dtype=float)
        if not a.has_canonical_format:  # duplicates summed on a copy: the caller's is kept
            a = a.copy()
            a.sum_duplicates()
        _check_finite(a.data, f"{what} features", a)
    else:
        try:
            a = np.ascontiguousarray(features, dtype=float)
        except (TypeError, ValueError):
            raise ModelError(f"{what} features must be a numeric array or a scipy.sparse "
                             f"matrix, got {type(features).__name__}") from None
        if a.ndim != 2:
            raise ModelError(f"{what} features must be 2-D (samples × features), got shape "
                             f"{a.shape}")
        _check_finite(a.ravel(), f"{what} features", a)
    if a.shape[0] == 0 or a.shape[1] == 0:
        raise ModelError(f"{what} features have shape {a.shape}: need at least one sample "
                         "and one feature")
    return a


def _vector(values: object, what: str) -> np.ndarray:
    try:
        v = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ModelError(f"{what} must be a 1-D numeric array, got "
                         f"{type(values).__name__}") from None
    if v.ndim != 1:
        raise ModelError(f"{what} must be 1-D, got shape {v.shape}")
    _check_finite(v, what, v)
    return v


def _check_finite(values: np.ndarray, what: str, array: object) -> None:
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size == 0:
        return
    if sp.issparse(array):
        row = int(np.searchsorted(array.indptr, bad[0], side="right") - 1)
        where = f"({row}, {int(array.indices[bad[0]])})"
    elif isinstance(array, np.ndarray) and array.ndim == 2:
        where = str(tuple(int(i) for i in np.unravel_index(bad[0], array.shape)))
    else:
        where = str(int(bad[0]))
    raise ModelError(f"{what} contain {bad.size} NaN or infinite value(s), the first at "
                     f"{where}: {values[bad[0]]}")
