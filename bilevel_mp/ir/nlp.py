"""Single-level targets of the reformulations: :class:`NLP` and :class:`MPCC`."""

from __future__ import annotations

from dataclasses import dataclass, field

import casadi as ca
import numpy as np

from bilevel_mp.ir.parameters import Parametrized


@dataclass(frozen=True, eq=False)
class NLP(Parametrized):
    """``min_z f(z; p)  s.t.  g_lb <= g(z; p) <= g_ub,  z_lb <= z <= z_ub``.

    ``p`` holds every number a driver may change between solves (model parameters,
    relaxation parameter t, penalty λ, ...) so a back-end is built once per structure.
    ``p_index`` names the method parameters' positions in ``p``.
    """

    z: ca.SX
    f: ca.SX
    g: ca.SX
    z_lb: np.ndarray
    z_ub: np.ndarray
    g_lb: np.ndarray
    g_ub: np.ndarray
    z0: np.ndarray
    p: ca.SX
    p_values: np.ndarray
    z_names: tuple[str, ...] = ()
    g_names: tuple[str, ...] = ()
    p_index: dict[str, int] = field(default_factory=dict)

    @property
    def nz(self) -> int:
        """Number of variables."""
        return self.z.numel()


@dataclass(frozen=True, eq=False)
class MPCC:
    """An NLP plus complementarity pairs ``0 <= z[a] ⊥ z[b] >= 0`` between variables.

    Both variables of every pair carry a lower bound 0 in ``nlp.z_lb``.
    """

    nlp: NLP
    pairs_a: np.ndarray
    pairs_b: np.ndarray
    pair_names: tuple[str, ...] = ()

    @property
    def n_pairs(self) -> int:
        """Number of complementarity pairs."""
        return int(self.pairs_a.size)
