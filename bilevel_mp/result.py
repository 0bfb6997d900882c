"""The user-facing :class:`BilevelResult`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bilevel_mp.status import Stationarity, TerminationStatus, Verification


@dataclass
class BilevelResult:
    """Outcome of :func:`bilevel_mp.solve`.

    Attributes
    ----------
    termination
        How the method ended (``OPTIMAL`` only when globally certified).
    verification
        Outcome of re-solving the lower level at the returned x (see ``Verification``).
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
        homotopy stages and similar.
    message
        Human-readable summary of anything notable.
    """

    termination: TerminationStatus
    verification: Verification
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
    stats: dict = field(default_factory=dict)
    message: str = ""

    @property
    def has_point(self) -> bool:
        """Whether the result carries a candidate point."""
        return self.x_array.size + self.y_array.size > 0

    def summary(self) -> str:
        """A few lines for terminals and logs."""
        lines = [
            f"method        {self.method}",
            f"termination   {self.termination.name} ({self.raw_status})",
            f"verification  {self.verification.name} via {self.ll_solver or '-'}",
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
