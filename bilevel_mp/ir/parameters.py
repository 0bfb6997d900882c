"""Method parameters (penalty λ, relaxation t, ...) carried as CasADi parameters."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

import casadi as ca
import numpy as np

P = TypeVar("P", bound="Parametrized")


class Parametrized:
    """``with_parameter`` and ``params`` for dataclasses with ``p``, ``p_values``, ``p_index``."""

    p: ca.SX
    p_values: np.ndarray
    p_index: dict[str, int]

    def with_parameter(self: P, name: str, value: float) -> tuple[P, ca.SX]:
        """A copy with one more parameter appended to ``p``; returns it and its symbol."""
        sym = type(self.p).sym(name)
        return (
            replace(self, p=ca.vertcat(self.p, sym), p_values=np.append(self.p_values, value),
                    p_index={**self.p_index, name: self.p.numel()}),
            sym,
        )

    def params(self, **values: float) -> np.ndarray:
        """``p_values`` with the named method parameters replaced."""
        p = self.p_values.copy()
        for name, value in values.items():
            p[self.p_index[name]] = value
        return p
