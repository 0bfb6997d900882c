"""Mixed-integer linear (or quadratic-objective) programs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True, eq=False)
class MILP:
    """``min c'z + ½ z'Qz + c0  s.t.  row_lb <= A z <= row_ub,  col_lb <= z <= col_ub``,
    ``z_j`` integer where ``integer[j]``. ``Q`` is ``None`` for a MILP (an MIQP otherwise).
    ``sos1`` lists pairs of columns of which at most one may be nonzero (SOS1 constraints,
    which SCIP branches on and HiGHS does not take).
    """

    c: np.ndarray
    A: sp.csr_matrix
    row_lb: np.ndarray
    row_ub: np.ndarray
    col_lb: np.ndarray
    col_ub: np.ndarray
    integer: np.ndarray
    c0: float = 0.0
    Q: sp.csc_matrix | None = None
    col_names: tuple[str, ...] = ()
    row_names: tuple[str, ...] = ()
    sos1: tuple[tuple[int, int], ...] = ()

    @property
    def n(self) -> int:
        """Number of variables."""
        return self.c.size

    def objective(self, z: np.ndarray) -> float:
        """Objective value at ``z``."""
        quad = 0.5 * float(z @ (self.Q @ z)) if self.Q is not None else 0.0
        return float(self.c @ z) + quad + self.c0
