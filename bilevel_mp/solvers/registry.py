"""Back-ends by problem class, and what ``solver=`` selects.

Each method solves problems of at most one class through a back-end the caller may choose
(``MethodSpec.solver_class``):

* ``"nlp"``: smooth NLPs (the KKT relaxations, the lower level of ``implicit``, the local
  relaxation of ``llvf-cuts``): :data:`BACKENDS`, default ``"ipopt"``;
* ``"milp"``: MILPs and MIQPs (``kkt-bigm``, ``kkt-sos1``): :data:`MILP_BACKENDS` or any
  Pyomo solver by name; by default (``""``) chosen by capability: HiGHS for a MILP, SCIP
  for an MIQP or SOS1 pairs.

The equation-system methods (``kkt-sn``, ``kkt-lm``, ``llvf-sn``, ``llvf-lm``) are named
by their solver and take none; the verification always uses its own solvers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from bilevel_mp.errors import OptionError, SolverUnavailable
from bilevel_mp.solvers.base import Backend, MILPBackend
from bilevel_mp.solvers.highs import HighsBackend
from bilevel_mp.solvers.ipopt import IpoptBackend
from bilevel_mp.solvers.ipopt_cyipopt import CyipoptBackend
from bilevel_mp.solvers.scip import ScipBackend


class ProblemClass(StrEnum):
    """The classes of single-level problems a back-end solves."""

    NLP = "nlp"
    MILP = "milp"


BACKENDS: dict[str, type[Backend]] = {"ipopt": IpoptBackend, "cyipopt": CyipoptBackend}
"""NLP back-ends selectable with ``solver=``."""

MILP_BACKENDS: dict[str, type[MILPBackend]] = {"highs": HighsBackend, "scip": ScipBackend}
"""MILP back-ends of bilevel_mp; any other name is a Pyomo solver."""

DEFAULT_SOLVER = "ipopt"
"""The NLP back-end used when the caller names none."""

BY_CAPABILITY = ""
"""The default MILP choice: HiGHS for MILPs, SCIP for MIQPs and SOS1 pairs."""


def get_backend(name: str) -> Backend:
    """The NLP back-end called ``name``.

    Raises
    ------
    OptionError
        For an unknown name (lists the valid ones).
    SolverUnavailable
        When it is not installed (says what to install).
    """
    if name not in BACKENDS:
        raise OptionError(f"unknown solver {name!r}; valid solvers: {', '.join(BACKENDS)}")
    backend = BACKENDS[name]()
    ok, hint = backend.available()
    if not ok:
        raise SolverUnavailable(f"solver {name!r} is not available: {hint}")
    return backend


def get_milp_backend(name: str) -> MILPBackend:
    """The MILP back-end called ``name``: ``"highs"``, ``"scip"`` or a Pyomo solver.

    Raises
    ------
    OptionError
        When ``name`` is none of these.
    SolverUnavailable
        When it is not installed.
    """
    from bilevel_mp.solvers.pyomo_interface import PyomoMILPBackend, check_pyomo_solver

    if name in MILP_BACKENDS:
        backend = MILP_BACKENDS[name]()
        ok, hint = backend.available()
        if not ok:
            raise SolverUnavailable(f"solver {name!r} is not available: {hint}")
        return backend
    check_pyomo_solver(name)
    return PyomoMILPBackend(name)


@dataclass(frozen=True)
class SolverChoice:
    """The back-end name of each problem class (``milp``: ``""`` for by capability)."""

    nlp: str = DEFAULT_SOLVER
    milp: str = BY_CAPABILITY

    def of(self, problem_class: ProblemClass | None) -> str:
        """The name for ``problem_class`` (``""`` for ``None``: the method takes none)."""
        return "" if problem_class is None else getattr(self, problem_class.value)

    def check(self) -> None:
        """Raise :class:`OptionError` for an unknown name, :class:`SolverUnavailable`
        for one not installed."""
        get_backend(self.nlp)
        if self.milp != BY_CAPABILITY:
            get_milp_backend(self.milp)

    def chosen(self) -> dict[ProblemClass, str]:
        """The classes whose back-end differs from the default, with their names."""
        default = SolverChoice()
        return {c: self.of(c) for c in ProblemClass if self.of(c) != default.of(c)}


def solver_choice(solver: str | Mapping[str, str]) -> SolverChoice:
    """Parse ``solver=``: a mapping ``{"nlp": name, "milp": name}``, or one name, which
    is an NLP back-end's (``"ipopt"``, ``"cyipopt"``) or else a MILP back-end's
    (``"highs"``, ``"scip"``, a Pyomo solver). The names are checked by
    :meth:`SolverChoice.check`.

    Raises
    ------
    OptionError
        For a malformed value.
    """
    if isinstance(solver, str):
        entries = {"nlp" if solver in BACKENDS else "milp": solver}
    elif isinstance(solver, Mapping):
        entries = dict(solver)
    else:
        raise OptionError(f"solver must be a back-end name or a mapping {{'nlp': ..., "
                          f"'milp': ...}}, got {type(solver).__name__}")
    classes = [c.value for c in ProblemClass]
    for key, name in entries.items():
        if key not in classes:
            raise OptionError(f"unknown problem class {key!r} in solver=; valid classes: "
                              f"{', '.join(classes)}")
        if not isinstance(name, str):
            raise OptionError(f"solver[{key!r}] must be a back-end name, got "
                              f"{type(name).__name__}")
    return replace(SolverChoice(), **entries)
