"""The user-facing :class:`BilevelResult`."""

from __future__ import annotations

import dataclasses
import html
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np

from bilevel_mp.jsonable import to_jsonable
from bilevel_mp.status import (
    PrimalStatus,
    Proof,
    ProofKind,
    Stationarity,
    TerminationStatus,
    Verification,
)

if TYPE_CHECKING:
    from bilevel_mp.ir.program import BilevelProgram


class MethodStats(TypedDict, total=False):
    """The one shape of ``BilevelResult.stats``.

    Every method reports ``time``, ``iterations``, ``stages``, ``parameter`` and ``chain``
    (:meth:`bilevel_mp.methods.driver.StagesRun.stats` writes them); the other keys are
    present when the method or the API has that figure.
    """

    time: dict[str, float]
    """Seconds by phase: ``compile``, ``analyze``, ``reformulate``, ``setup``, ``solve``,
    ``verify`` and a method's own (``lambda_checks``, ``lower_level``, ...)."""
    iterations: int
    """Solver iterations over the whole run (IPOPT iterations, Newton steps, MILP
    simplex iterations)."""
    stages: list[dict[str, Any]]
    """One record per stage of the method's loop: ``param``, ``status``, ``iterations``,
    ``residual``, ``F`` and the loop's own keys."""
    parameter: str
    """The loop's parameter (``"t"``, ``"mu"``, ``"lambda"``; ``""`` for none)."""
    chain: str
    """The reformulation chain, e.g. ``"kkt -> mpcc.scholtes"``."""
    residual: float
    """Equation-system methods: ‖Φ‖∞ at the kept point."""
    log: list[dict[str, Any]]
    """Equation-system methods: the solver's step log."""
    complementarity_residual: float
    """KKT homotopy: ``max_i max(|a_i b_i|, -a_i, -b_i)`` at the kept point."""
    lower_bound: float
    """A proven lower bound on F (minimization form): Big-M masters, value-function cut
    relaxations."""
    big_m: dict[str, dict[str, tuple[float | None, str]]]
    """``kkt-bigm``: every M by lower-level row, primal and dual, with its source."""
    direction_cuts: int
    """``kkt-bigm`` with direction cuts: the number of cuts added."""
    polish_step: dict[str, float]
    """``kkt-bigm``/``kkt-sos1``: how far the point moved when made exact on its active set."""
    exact_cuts: bool
    """``llvf-cuts``: whether every cut is valid (global claims need it)."""
    global_relaxation: bool
    """``llvf-cuts``: whether every relaxation was solved globally (SCIP)."""
    cut_points: list[list[float]]
    """``llvf-cuts``: the lower-level points of the cuts."""
    lower_level_solves: int
    """``implicit``: lower-level solves."""
    hypergradient: str
    """``implicit``: ``"exact"``, ``"aid"`` or ``"itd"``."""
    diagnostics: dict[str, Any]
    """``implicit``: LLICQ, strict complementarity and singularity counts."""
    F_min_form: float
    """F at the returned point in minimization form (the ranking's value)."""
    index_sets: dict[str, int]
    """KKT methods: the sizes of the biactive and one-sided index sets at the point."""
    stationarity_reason: str
    """Why the stationarity type was (not) decided."""
    integer_assignments: list[dict[str, Any]]
    """Integer upper-level variables fixed: each rounding tried and its outcome."""
    auto_tried: list[dict[str, Any]]
    """``auto``: each method run, its statuses, F and seconds."""
    auto_declined: dict[str, str]
    """``auto``: each wanted method that does not accept the problem, and why."""


@dataclass
class BilevelResult:
    """Outcome of :func:`bilevel_mp.solve`.

    Attributes
    ----------
    termination
        Why the method stopped, as the method said (``OPTIMAL`` only from a method that
        solves the bilevel program globally); never rewritten afterwards.
    verification
        Outcome of re-solving the lower level at the returned x (see ``Verification``).
    primal_status
        What the returned point is (see ``PrimalStatus``): feasible, near feasible or
        infeasible by its verified UL and LL violations, or ``NO_SOLUTION``.
    proof
        What is proven and who proved it (see ``Proof``), or ``None``. A proof of global
        optimality is kept only when the verification CERTIFIED the point; a proof the
        check contradicts is dropped and the message says why.
    upper_objective, lower_objective
        ``F`` and ``f`` at the returned point, in the user's sense (max stays max).
    ll_gap
        ``f(x̂, ŷ) - φ(x̂)`` in minimization form, where φ(x̂) is the best LL value the
        verification found at x̂ (``nan`` when not checked, ``inf`` when the LL at x̂ is
        infeasible or unbounded).
    x, y
        Values by variable name; ``x_array``/``y_array`` as arrays in IR order.
    ll_multipliers
        LL multipliers by constraint name (bounds named ``"<var> >= lb"``), when the
        method produced them.
    ul_violation, ll_violation
        Largest violation of UL constraints (and x bounds) and of LL constraints.
    stationarity
        MPCC stationarity type of the final point (KKT methods) or ``None``.
    method
        What ran (for ``auto``: the method whose answer was kept, and what was tried).
    stats
        Time per phase (``compile``, ``reformulate``, ``solve``, ``verify``), iterations,
        the loop's stages and the method's own figures (:class:`MethodStats`).
    message
        Human-readable summary of anything notable.
    program
        The compiled program that was solved, parameter values included, so that the
        result can be differentiated (:func:`bilevel_mp.differentiation`). Not shown, not in
        ``to_dict``, and dropped when the result is pickled or copied (CasADi symbols do
        not pickle): a copy cannot be differentiated.
    """

    termination: TerminationStatus
    verification: Verification
    primal_status: PrimalStatus = PrimalStatus.NO_SOLUTION
    proof: Proof | None = None
    upper_objective: float = float("nan")
    lower_objective: float = float("nan")
    ll_gap: float = float("nan")
    x: dict[str, float] = field(default_factory=dict)
    y: dict[str, float] = field(default_factory=dict)
    x_array: np.ndarray = field(default_factory=lambda: np.zeros(0))
    y_array: np.ndarray = field(default_factory=lambda: np.zeros(0))
    ll_multipliers: dict[str, float] = field(default_factory=dict)
    ul_violation: float = float("nan")
    ll_violation: float = float("nan")
    stationarity: Stationarity | None = None
    method: str = ""
    raw_status: str = ""
    ll_solver: str = ""
    stats: MethodStats = field(default_factory=MethodStats)
    message: str = ""
    program: BilevelProgram | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict:
        """The fields without ``program`` (pickling and ``copy``)."""
        return {**self.__dict__, "program": None}

    @property
    def has_point(self) -> bool:
        """Whether the result carries a candidate point."""
        return self.x_array.size + self.y_array.size > 0

    @property
    def is_proven_optimal(self) -> bool:
        """A proof of global optimality for a feasible point whose lower level was
        CERTIFIED: the strongest claim a result makes."""
        return (self.proof is not None and self.proof.kind is ProofKind.GLOBAL_OPTIMUM
                and self.verification is Verification.CERTIFIED
                and self.primal_status is PrimalStatus.FEASIBLE_POINT)

    def summary(self) -> str:
        """A few lines for terminals and logs."""
        lines = [
            f"method        {self.method}",
            f"termination   {self.termination.name} ({self.raw_status})",
            f"verification  {self.verification.name} via {self.ll_solver or '-'}",
            f"primal        {self.primal_status.name}",
            f"proof         {self.proof.describe() if self.proof else '-'}",
            f"F = {self.upper_objective:.10g}   f = {self.lower_objective:.10g}   "
            f"LL gap = {self.ll_gap:.3g}",
            f"violations    UL {self.ul_violation:.3g}   LL {self.ll_violation:.3g}",
        ]
        if self.stationarity is not None:
            lines.append(f"stationarity  {self.stationarity.value}")
        shown = list(self.x.items())[:10] + list(self.y.items())[:10]
        lines += [f"  {k} = {v:.10g}" for k, v in shown]
        if len(self.x) + len(self.y) > len(shown):
            lines.append(f"  ... ({len(self.x) + len(self.y) - len(shown)} more)")
        times = self.stats.get("time", {})
        if times:
            lines.append("time          " + "  ".join(f"{k} {v:.3f}s" for k, v in times.items()))
        if self.message:
            lines.append(self.message)
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """Every field but ``program`` as JSON-safe values:
        ``json.dumps(res.to_dict(), allow_nan=False)`` works.

        Enums become their names, arrays lists, the proof a dict (``kind``, ``prover``,
        ``bound``) or ``None``; a ``nan`` becomes ``None`` and ``±inf`` the strings
        ``"inf"`` / ``"-inf"`` (rules in :mod:`bilevel_mp.jsonable`), in ``stats`` too.
        """
        return {f.name: to_jsonable(getattr(self, f.name)) for f in dataclasses.fields(self)
                if f.name != "program"}

    def _repr_html_(self) -> str:
        """The summary as an HTML table (Jupyter shows it for a result)."""
        proof = self.proof.describe() if self.proof else "-"
        rows = [
            ("method", self.method),
            ("termination", f"{self.termination.name} ({self.raw_status})"),
            ("verification", f"{self.verification.name} via {self.ll_solver or '-'}"),
            ("primal", self.primal_status.name),
            ("proof", proof),
            ("F", _number(self.upper_objective)), ("f", _number(self.lower_objective)),
            ("LL gap", _number(self.ll_gap, ".3g")),
            ("violations", f"UL {_number(self.ul_violation, '.3g')}   "
                           f"LL {_number(self.ll_violation, '.3g')}"),
        ]
        if self.stationarity is not None:
            rows.append(("stationarity", self.stationarity.name))
        shown = list(self.x.items())[:10] + list(self.y.items())[:10]
        rows += [(name, _number(value)) for name, value in shown]
        if len(self.x) + len(self.y) > len(shown):
            rows.append(("...", f"{len(self.x) + len(self.y) - len(shown)} more values"))
        times = self.stats.get("time", {})
        if times:
            rows.append(("time", "  ".join(f"{k} {v:.3f}s" for k, v in times.items())))
        if self.message:
            rows.append(("message", self.message))
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
                       f"<td style='text-align:left'>{html.escape(str(v))}</td></tr>"
                       for k, v in rows)
        return f"<table class='bilevel-result'>{body}</table>"


def _number(value: float, spec: str = ".10g") -> str:
    """``value`` formatted, ``-`` for ``nan``."""
    return "-" if math.isnan(value) else format(value, spec)
