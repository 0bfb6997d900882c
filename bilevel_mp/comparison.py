"""The value :func:`bilevel_mp.compare` returns: results by method, for notebooks.

A :class:`Comparison` is a read-only mapping from method name to
:class:`~bilevel_mp.BilevelResult`, in the order the methods were given, so code written
for the plain dict that ``compare`` used to return keeps working (``results["kkt-fb"]``,
``list(results)``, ``results.items()``, ``dict(results)``). On top of that it has one
:class:`ResultRow` per method (:meth:`Comparison.rows`), a pandas frame
(:meth:`Comparison.to_frame`; ``pd.DataFrame(comparison)`` gives the same rows), a
JSON-safe dict (:meth:`Comparison.to_dict`) and an HTML table for Jupyter.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from bilevel_mp.optional import import_optional
from bilevel_mp.result import BilevelResult


@dataclass(frozen=True)
class ResultRow:
    """One method's result in one flat row (a column each; enums as their names).

    Attributes
    ----------
    method
        The name the method was asked for (the key of the comparison).
    ran
        ``BilevelResult.method``: what ran (``"auto -> kkt-bigm"`` for ``auto``).
    termination, primal_status, verification
        The three status axes, by name.
    proven_optimal
        ``BilevelResult.is_proven_optimal``.
    F, f
        Upper- and lower-level objective values (``nan`` without a point).
    ll_gap, ul_violation, ll_violation
        As on the result.
    stationarity
        MPCC stationarity type (``"S"``, ``"M"``, ``"C"``, ``"W"``, ``"UNDECIDED"``) or
        ``None``.
    proof
        ``Proof.describe()`` or ``None``.
    ll_solver
        Who decided the verification.
    seconds
        Wall time of the method (the model is compiled once, before the first method).
    iterations
        ``stats["iterations"]`` when the method reports it, else ``None``.
    message
        ``BilevelResult.message``.
    """

    method: str
    ran: str
    termination: str
    primal_status: str
    verification: str
    proven_optimal: bool
    F: float
    f: float
    ll_gap: float
    ul_violation: float
    ll_violation: float
    stationarity: str | None
    proof: str | None
    ll_solver: str
    seconds: float
    iterations: int | None
    message: str

    @classmethod
    def of(cls, method: str, result: BilevelResult, seconds: float) -> ResultRow:
        """The row of ``result``, asked for as ``method``, that took ``seconds``."""
        iterations = result.stats.get("iterations")
        return cls(
            method=method, ran=result.method, termination=result.termination.name,
            primal_status=result.primal_status.name, verification=result.verification.name,
            proven_optimal=result.is_proven_optimal, F=float(result.upper_objective),
            f=float(result.lower_objective), ll_gap=float(result.ll_gap),
            ul_violation=float(result.ul_violation), ll_violation=float(result.ll_violation),
            stationarity=None if result.stationarity is None else result.stationarity.name,
            proof=result.proof.describe() if result.proof else None,
            ll_solver=result.ll_solver, seconds=float(seconds),
            iterations=None if iterations is None else int(iterations),
            message=result.message)


class Comparison(Mapping[str, BilevelResult]):
    """Results of several methods on one model, by method name (see the module docstring).

    Parameters
    ----------
    results
        ``{method: result}`` in the order the methods ran.
    seconds
        ``{method: wall seconds}`` for the same methods.
    """

    def __init__(self, results: Mapping[str, BilevelResult],
                 seconds: Mapping[str, float]) -> None:
        self._results = dict(results)
        self.seconds: dict[str, float] = {name: float(seconds[name]) for name in self._results}

    def __getitem__(self, method: str) -> BilevelResult:
        return self._results[method]

    def __iter__(self) -> Iterator[str]:
        return iter(self._results)

    def __len__(self) -> int:
        return len(self._results)

    def __repr__(self) -> str:
        inner = ", ".join(f"{r.method!r}: {r.termination} {r.verification} "
                          f"F={r.F:.6g}" for r in self.rows())
        return f"Comparison({inner})"

    def rows(self) -> list[ResultRow]:
        """One :class:`ResultRow` per method, in order."""
        return [ResultRow.of(name, res, self.seconds[name])
                for name, res in self._results.items()]

    def to_dict(self) -> dict[str, Any]:
        """``{"results": {method: result.to_dict()}, "seconds": {method: seconds}}``,
        JSON-safe (see :meth:`BilevelResult.to_dict`)."""
        return {"results": {name: res.to_dict() for name, res in self._results.items()},
                "seconds": dict(self.seconds)}

    def to_frame(self):
        """A ``pandas.DataFrame`` with one row per method (index ``method``) and the
        columns of :class:`ResultRow`.

        Raises
        ------
        OptionalDependencyError
            When pandas is not installed (extra ``report``).
        """
        pd = import_optional("pandas", "Comparison.to_frame")
        return pd.DataFrame(self.rows()).set_index("method")

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """The rows as a 1-D object array: what ``pd.DataFrame(comparison)`` reads (one
        row per method, ``method`` a column)."""
        rows = np.empty(len(self), dtype=object)
        rows[:] = self.rows()
        return rows if dtype is None else rows.astype(dtype)

    def _repr_html_(self) -> str:
        """The rows as an HTML table (Jupyter shows it for a comparison)."""
        columns = ("method", "ran", "termination", "primal_status", "verification",
                   "proven_optimal", "F", "ll_gap", "seconds", "message")
        head = "".join(f"<th>{c}</th>" for c in columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_cell(getattr(row, c)))}</td>"
                             for c in columns) + "</tr>"
            for row in self.rows())
        return (f"<table class='bilevel-comparison'><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table>")


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:.6g}"
    return str(value)

