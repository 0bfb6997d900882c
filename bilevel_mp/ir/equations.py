"""Semismooth equation systems: the target of the Newton-type reformulations.

A system is ``Φ(z; p) = 0`` with ``Φ = [S(z; p); φ_FB(z_a, b(z; p))]``: smooth rows ``S``
and Fischer–Burmeister rows, each pairing one variable ``z_a`` (a multiplier) with an
expression ``b`` (a constraint value with the sign that makes it ``>= 0``)::

    φ_FB(a, b) = sqrt(a² + b²) - (a + b)                    (survey (7.10))
    φ_FB(a, b) = 0  <=>  a >= 0, b >= 0, a b = 0.

:class:`SystemFunctions` evaluates ``Φ`` and one element of its generalized Jacobian:
where ``(a, b) != 0`` the derivative ``(a/r - 1) ∇a + (b/r - 1) ∇b`` with ``r = ‖(a, b)‖``;
at a kink ``a = b = 0`` the element of De Luca, Facchinei and Kanzow (Math. Programming 75,
1996, Proposition 3.1 and Procedure 3.1): with the direction ``d`` that is 1 on the paired
variables of the kink rows and 0 elsewhere, ``c_a = ∇a·d``, ``c_b = ∇b·d``,

    V_i = (c_a/‖(c_a, c_b)‖ - 1) ∇a + (c_b/‖(c_a, c_b)‖ - 1) ∇b,

the limit of the derivatives along ``z + t d``, ``t -> 0+``, hence a member of the
B-subdifferential (not merely of the convex hull).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import casadi as ca
import numpy as np
import scipy.sparse as sp

from bilevel_mp.ir.parameters import Parametrized
from bilevel_mp.ir.structure import to_csc

KINK_RADIUS = 1e-14
"""``‖(a, b)‖`` at or below which a Fischer–Burmeister row is treated as a kink."""


@dataclass(frozen=True, eq=False)
class EquationSystem(Parametrized):
    """``Φ(z; p) = [smooth(z; p); φ_FB(z[fb_a], fb_b(z; p))] = 0``.

    Attributes
    ----------
    z
        The unknowns.
    smooth
        Smooth rows.
    fb_a
        For each Fischer–Burmeister row, the index in ``z`` of its variable ``a``.
    fb_b
        For each Fischer–Burmeister row, the expression ``b``.
    p, p_values, p_index
        Parameters (model constants and method parameters such as the penalty λ).
    z0
        Default start point.
    z_names, row_names
        Names for messages and logs (smooth rows first, then FB rows).
    """

    z: ca.SX
    smooth: ca.SX
    fb_a: np.ndarray
    fb_b: ca.SX
    p: ca.SX
    p_values: np.ndarray
    z0: np.ndarray
    z_names: tuple[str, ...] = ()
    row_names: tuple[str, ...] = ()
    p_index: dict[str, int] = field(default_factory=dict)

    @property
    def nz(self) -> int:
        """Number of unknowns."""
        return self.z.numel()

    @property
    def n_rows(self) -> int:
        """Number of equations."""
        return self.smooth.numel() + int(self.fb_a.size)

    @property
    def square(self) -> bool:
        """Whether there are as many equations as unknowns."""
        return self.n_rows == self.nz


class SystemFunctions:
    """Compiled ``Φ`` and a generalized Jacobian element of an :class:`EquationSystem`."""

    def __init__(self, system: EquationSystem) -> None:
        self.system = system
        z, p = system.z, system.p
        self._smooth = ca.Function("smooth", [z, p], [system.smooth,
                                                      ca.jacobian(system.smooth, z)])
        self._fb = ca.Function("fb_b", [z, p], [system.fb_b, ca.jacobian(system.fb_b, z)])
        self._a = np.asarray(system.fb_a, dtype=int)

    def residual(self, z: np.ndarray, p: np.ndarray) -> np.ndarray:
        """``Φ(z; p)``."""
        s, _ = self._smooth(z, p)
        b, _ = self._fb(z, p)
        a = z[self._a]
        b = np.asarray(b, dtype=float).ravel()
        return np.concatenate([np.asarray(s, dtype=float).ravel(),
                               np.hypot(a, b) - a - b])

    def evaluate(self, z: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, sp.csr_matrix]:
        """``Φ(z; p)`` and the Jacobian element of the module docstring (CSR)."""
        s, js = self._smooth(z, p)
        b, jb = self._fb(z, p)
        b = np.asarray(b, dtype=float).ravel()
        jb = to_csc(jb).tocsr()
        a = z[self._a]
        r = np.hypot(a, b)
        kink = r <= KINK_RADIUS
        ca_, cb = np.ones_like(a), np.zeros_like(b)
        if kink.any():
            d = np.zeros(z.size)
            d[self._a[kink]] = 1.0
            cb = jb @ d
            ca_ = d[self._a]
        a_eff = np.where(kink, ca_, a)
        b_eff = np.where(kink, cb, b)
        r_eff = np.hypot(a_eff, b_eff)
        da, db = a_eff / r_eff - 1.0, b_eff / r_eff - 1.0
        n_fb = self._a.size
        ja = sp.csr_matrix((da, (np.arange(n_fb), self._a)), shape=(n_fb, z.size))
        jac = sp.vstack([to_csc(js), ja + sp.diags(db) @ jb], format="csr")
        phi = np.concatenate([np.asarray(s, dtype=float).ravel(), r - a - b])
        return phi, jac
