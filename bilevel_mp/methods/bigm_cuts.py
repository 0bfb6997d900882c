"""``kkt-bigm`` without dual Ms: the direction-cut loop for LP lower levels.

Used by :func:`bilevel_mp.methods.bigm.run_bigm` when the lower level is an LP and every
primal M is proven (option ``dual="cuts"``, the default); no dual M is computed (see
:mod:`bilevel_mp.reformulations.bigm_cuts` for the formulation). Each round:

1. solve the master MILP (HiGHS; SCIP for a quadratic upper-level objective) with the
   cuts so far, offering the best bilevel-feasible point as a start; its optimal value is
   a lower bound on the bilevel optimum (the master relaxes the bilevel program);
2. if the rows active at the master's point admit lower-level multipliers, the point is
   a KKT point, hence bilevel feasible, hence optimal: polish it (one LP with its active
   rows held, which removes the MILP's 1e-7 feasibility slack) and stop with
   ``OPTIMAL``;
3. re-solve the lower level at the master's x (an LP, then the optimistic choice among
   its solutions): a bilevel-feasible point, improved by descending over the faces where
   its multipliers stay valid (:func:`_descend_faces`), and an upper bound; stop when the
   bounds meet;
4. otherwise separate up to ``cuts_per_round`` disjoint direction cuts at the master's
   point, the cuts its cheapest repairs would meet (one more row of a cut made active,
   :func:`~bilevel_mp.oracles.direction_cuts.lookahead_cuts`), and cuts at the
   improving solutions HiGHS found on its way, and go on.

At the time limit the best bilevel-feasible point is returned (``TIME_LIMIT``) with the
lower bound in the message. Every ``OPTIMAL`` rests on proven primal Ms, valid cuts
(decided in exact arithmetic) and the MILP solver's proof; no multiplier bound enters.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import highspy
import numpy as np
import scipy.sparse as sp

from bilevel_mp.ir.milp import MILP
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.methods.driver import Stage, StagesRun
from bilevel_mp.methods.homotopy import MethodOutcome
from bilevel_mp.oracles.bigm_bounds import region_g_rows, region_lp
from bilevel_mp.oracles.direction_cuts import (
    TIGHT_LP,
    DirectionCutData,
    blocking_cuts,
    lookahead_cuts,
    monotonicity_cuts,
    multipliers_on,
)
from bilevel_mp.reformulations.base import BilevelSolution
from bilevel_mp.reformulations.bigm import BigM, LinearKKT
from bilevel_mp.reformulations.bigm_cuts import CutMasterReformulation
from bilevel_mp.solvers.base import BackendResult, Deadline
from bilevel_mp.solvers.highs import INF, build_highs, highs_bounds, rerun
from bilevel_mp.status import Proof, ProofKind, TerminationStatus
from bilevel_mp.tolerances import SOLVER, Tolerances


@dataclass
class _Incumbent:
    """A bilevel-feasible point: objective, x, y and lower-level multipliers."""

    F: float
    x: np.ndarray
    y: np.ndarray
    u: np.ndarray
    v: np.ndarray


def _fixed_x_rows(ineq, eq, n: int, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row bounds of ``A_y y`` for an inequality block stacked on an equality block
    (``block(x, y) = A_y y + A_x x + b``) at fixed ``x``: ``<= -(A_x x + b)`` and
    ``= -(A_x x + b)``."""
    rhs_ineq, rhs_eq = (-(block.A[:, :n] @ x + block.b) for block in (ineq, eq))
    return (np.concatenate([np.full(rhs_ineq.size, -INF), rhs_eq]),
            np.concatenate([rhs_ineq, rhs_eq]))


def _free_y_lp(cost: np.ndarray, rows: sp.csr_matrix) -> highspy.Highs:
    """A persistent HiGHS LP ``min cost'y`` over the rows (bounds set per solve), ``y``
    free, with the tolerances ``TIGHT_LP``."""
    size = cost.size
    return build_highs(MILP(c=cost, A=rows, row_lb=np.full(rows.shape[0], -np.inf),
                            row_ub=np.full(rows.shape[0], np.inf),
                            col_lb=np.full(size, -np.inf), col_ub=np.full(size, np.inf),
                            integer=np.zeros(size, dtype=bool)), TIGHT_LP)


def _solve_with_rows(lp: highspy.Highs, lower: np.ndarray, upper: np.ndarray
                     ) -> np.ndarray | None:
    """Set all row bounds of ``lp`` and solve (warm); the point, or ``None``."""
    lp.changeRowsBounds(lower.size, np.arange(lower.size, dtype=np.int32), lower, upper)
    return rerun(lp)


class LowerLevelResponse:
    """The optimistic lower-level response at a given ``x``: solve the LL LP, then
    minimize F over its solutions (``c'y <= φ(x)`` within 1e-9 relative). Both LPs are
    persistent HiGHS models, warm-started from one ``x`` to the next; the lower level's
    rows at ``x`` come from the IR's LP view of it
    (:attr:`~bilevel_mp.ir.lower_level.LowerLevelAtX.qp_data`)."""

    def __init__(self, program: BilevelProgram, data: LinearKKT):
        self.lower_level, self.p = program.lower_level, program.p_values
        self.data = data
        self.c = np.asarray(data.grad_f.b, dtype=float)
        ll_rows = [data.jac_y(data.g), data.jac_y(data.h)]
        self.ll = _free_y_lp(self.c, sp.vstack(ll_rows).tocsr())
        self.pick = None
        if data.F_is_linear:
            rows = ll_rows + [data.jac_y(data.G), data.jac_y(data.H),
                              sp.csr_matrix(self.c.reshape(1, -1))]
            self.pick = _free_y_lp(data.F[1][data.n:], sp.vstack(rows).tocsr())

    def __call__(self, x: np.ndarray) -> _Incumbent | None:
        """The response at ``x``; ``None`` when the lower level or the upper-level
        constraints have no point there."""
        data, n = self.data, self.data.n
        _, _, _, bg, _, bh, _ = self.lower_level.qp_data(x, self.p)
        bg, bh = (np.asarray(b, dtype=float).ravel() for b in (bg, bh))
        q = bg.size
        lower = np.concatenate([np.full(q, -INF), -bh])
        upper = np.concatenate([-bg, -bh])
        y = _solve_with_rows(self.ll, lower, upper)
        if y is None:
            return None
        duals = -np.asarray(self.ll.getSolution().row_dual, dtype=float)
        u, v = np.maximum(duals[:q], 0.0), duals[q:]
        if self.pick is not None:
            phi = float(self.c @ y)
            lo_ul, up_ul = _fixed_x_rows(data.G, data.H, n, x)
            y = _solve_with_rows(self.pick, np.concatenate([lower, lo_ul, [-INF]]),
                                 np.concatenate([upper, up_ul,
                                                 [phi + SOLVER.relative_gain
                                                  * max(1.0, abs(phi))]]))
            if y is None:
                return None
        xy = np.concatenate([x, y])
        held = SOLVER.mip_feasibility
        if np.any(data.G(xy) > held) or np.any(np.abs(data.H(xy)) > held):
            return None
        Q, cF, k = data.F
        return _Incumbent(float(0.5 * xy @ (Q @ xy) + cF @ xy + k), x, y, u, v)


def _scaled_slack(data: LinearKKT, xy: np.ndarray) -> np.ndarray:
    """Each lower-level row's slack at ``xy`` divided by the row's size there."""
    return -data.g(xy) / (1.0 + np.abs(data.g.A) @ np.abs(xy) + np.abs(data.g.b))


def _active_rows(cuts: DirectionCutData, slack: np.ndarray) -> np.ndarray:
    """Candidate rows whose scaled slack (:func:`_scaled_slack`) is at most
    ``SOLVER.active``."""
    return (slack <= SOLVER.active) & cuts.candidates


class FaceLP:
    """min F over the relaxation R with chosen lower-level rows held active (integer x
    fixed at their rounded values): one persistent HiGHS model, warm-started from one
    call to the next. Any point of it keeps the multipliers of the held rows, so it is a
    KKT point when those rows admit multipliers."""

    def __init__(self, data: LinearKKT, program: BilevelProgram):
        Q, c, k = data.F
        self.lp = replace(region_lp(data, program), c=c, c0=k, Q=Q if Q.nnz else None)
        self.model = build_highs(self.lp, SOLVER.highs_lp())
        self.g_rows = region_g_rows(data)
        self.fixed = np.flatnonzero(program.x_integer).astype(np.int32)

    def __call__(self, xy: np.ndarray, active: np.ndarray) -> np.ndarray:
        """The LP's optimum with the rows ``active`` held at equality and integer x fixed
        at ``xy``'s; ``xy`` itself when the LP does not solve.

        The masters' feasibility tolerance (1e-7) can leave a held row violated by that
        much, which makes the lower level infeasible at x; this re-solve removes it with
        F at most the master's optimum (see the module docstring, step 2)."""
        upper = self.lp.row_ub[self.g_rows]
        lower = np.where(active, upper, self.lp.row_lb[self.g_rows])
        self.model.changeRowsBounds(self.g_rows.size, self.g_rows, highs_bounds(lower),
                                    highs_bounds(upper))
        if self.fixed.size:
            value = np.round(xy[self.fixed])
            self.model.changeColsBounds(self.fixed.size, self.fixed, value, value)
        z = rerun(self.model)
        return xy if z is None else z


FACE_STEPS = 5
"""Most face LPs of :func:`_descend_faces` per point."""


def _descend_faces(face: FaceLP, respond: LowerLevelResponse, point: _Incumbent,
                   steps: int = FACE_STEPS) -> _Incumbent:
    """A bilevel-feasible point at least as good as ``point``: minimize F with the rows of
    its positive multipliers held active (``face``; every point there is a KKT point with
    the same multipliers, hence bilevel feasible), take the lower-level response at the
    new x (new multipliers, F no larger), and repeat while F decreases, at most ``steps``
    times. This only improves the incumbent (the answer at a time limit and the masters'
    start); no bound depends on it."""
    n = point.x.size
    for _ in range(steps):
        z = face(np.concatenate([point.x, point.y]), point.u > SOLVER.positive)
        better = respond(z[:n])
        gain = -np.inf if better is None else point.F - better.F
        if gain <= SOLVER.relative_gain * max(1.0, abs(point.F)):
            break
        point = better
    return point


def _master_start(inc: _Incumbent, cuts: DirectionCutData) -> np.ndarray:
    """The incumbent as a master point: ``w = [u > 0]`` satisfies every valid cut."""
    w = ((inc.u > SOLVER.positive) & cuts.candidates).astype(float)
    return np.concatenate([inc.x, inc.y, w])


def _round_cuts(data: LinearKKT, cut_data: DirectionCutData, slack: np.ndarray,
                improving: list[np.ndarray], rows: list[np.ndarray], cuts_per_round: int,
                lookahead_rows: int) -> list[np.ndarray]:
    """The cuts of one round not already in ``rows`` (step 4 of the module docstring);
    empty when none separates the master's point (scaled slacks ``slack``).
    ``improving`` are the (x, y) parts of HiGHS's earlier improving solutions."""
    active = _active_rows(cut_data, slack)
    found = blocking_cuts(cut_data, active, cuts_per_round)
    if not found:
        return []
    found += lookahead_cuts(cut_data, active, found, slack, lookahead_rows, cuts_per_round)
    for xy in improving:
        found += blocking_cuts(cut_data, _active_rows(cut_data, _scaled_slack(data, xy)),
                               cuts_per_round)
    known, new = {tuple(r.tolist()) for r in rows}, []
    for cut in found:
        if tuple(cut.tolist()) not in known:
            known.add(tuple(cut.tolist()))
            new.append(cut)
    return new


@dataclass
class _CutRounds:
    """What the rounds of :func:`run_direction_cuts` carry from one to the next."""

    rows: list  # the direction cuts so far
    lower: float = -np.inf  # the masters' best proven bound
    status: TerminationStatus = TerminationStatus.TIME_LIMIT
    raw: str = ""
    message: str = ""
    kkt_point: BilevelSolution | None = None


def run_direction_cuts(program: BilevelProgram, data: LinearKKT, primal: list[BigM],
                       can_be_active: np.ndarray, deadline: Deadline, cuts_per_round: int,
                       lookahead_rows: int, solve_master, solver_name: str = ""
                       ) -> MethodOutcome:
    """The loop of the module docstring; ``solve_master(milp, deadline, start)`` solves
    one master problem (with the solver ``solver_name``, as in :func:`milp_label`);
    ``cuts_per_round`` and ``lookahead_rows`` as in
    :class:`~bilevel_mp.methods.bigm.BigMOptions`."""
    cut_data = DirectionCutData.of(data, can_be_active)
    respond, face = LowerLevelResponse(program, data), FaceLP(data, program)
    loop = _CutRounds(monotonicity_cuts(cut_data))
    run = StagesRun("")  # keeps the incumbent: a stage offers a point only when it is better

    def stage(index: int, _: float) -> Stage:
        incumbent: _Incumbent | None = run.kept
        milp, inv = CutMasterReformulation(primal, cut_data.candidates, cut_data.exclusive,
                                           loop.rows).apply(program)
        start = _master_start(incumbent, cut_data) if incumbent else None
        res: BackendResult = solve_master(milp, deadline, start)
        loop.raw = res.raw_status
        bound = res.extra.get("mip_dual_bound", np.nan)  # the master's proven bound
        # an optimum of the master within its absolute gap is one at the objective's scale
        proven = exact_solve_outcome(res, "master", data.F_scale)[0] is \
            TerminationStatus.OPTIMAL
        if np.isfinite(bound):  # (below its optimum when a MIP gap tolerance is loose)
            loop.lower = max(loop.lower, bound)
        elif proven:
            loop.lower = max(loop.lower, res.objective)
        point, done = None, True
        if not res.z.size:
            if res.status is TerminationStatus.INFEASIBLE and incumbent is None:
                loop.status, loop.message = TerminationStatus.INFEASIBLE, (
                    "the master problem (a relaxation of the bilevel program) is infeasible")
            else:
                loop.status = res.status
        else:
            point, done = round_(res, inv, proven, incumbent)
        best = point or incumbent
        F = None if best is None else best.F
        return Stage(res.raw_status, res.iterations, res.solve_time, F=F,
                     bound=loop.lower if np.isfinite(loop.lower) else None,
                     gap=F - loop.lower if F is not None and np.isfinite(F - loop.lower)
                     else None, point=point, done=done,
                     log={"nodes": res.extra.get("nodes", 0), "cuts": len(loop.rows),
                          "objective": res.objective})

    def round_(res: BackendResult, inv, proven: bool,
               incumbent: _Incumbent | None) -> tuple[_Incumbent | None, bool]:
        """Steps 2-4 of the module docstring for a master with a point: a new
        incumbent (if better) and whether the loop is done."""
        sl = inv.slices
        x = res.z[sl["x"]]
        xy_master = res.z[:sl["w"].start]
        slack = _scaled_slack(data, xy_master)
        active = _active_rows(cut_data, slack)
        multipliers = multipliers_on(cut_data, np.flatnonzero(active))
        if multipliers is not None and proven:
            z = face(xy_master, active)
            loop.kkt_point = BilevelSolution(x=z[:data.n], y=z[data.n:], u=multipliers[0],
                                             v=multipliers[1])
            loop.status, loop.message = TerminationStatus.OPTIMAL, (
                "the master optimum is a lower-level KKT point")
            return None, True
        point = respond(x)
        if point is not None:
            point = _descend_faces(face, respond, point)
        if point is not None and incumbent is not None and point.F >= incumbent.F:
            point = None  # not better: the incumbent stays
        best = point or incumbent
        if best is not None and loop.lower + Tolerances().value_tolerance(
                data.F_scale, loop.lower) >= best.F:
            loop.status, loop.message = TerminationStatus.OPTIMAL, (
                "a bilevel-feasible point attains the master's lower bound")
            return point, True
        if not proven or deadline.expired():
            loop.status = res.status if not proven else TerminationStatus.TIME_LIMIT
            return point, True
        new = _round_cuts(data, cut_data, slack, [
            other[:sl["w"].start] for other in res.extra.get("improving", [])[:-1]],
            loop.rows, cuts_per_round, lookahead_rows)
        if not new:
            loop.status, loop.message = TerminationStatus.NUMERICAL_ERROR, (
                "no direction cut separates the master's point although its active rows "
                "admit no multipliers (round-off)")
            return point, True
        loop.rows = loop.rows + new
        return point, False

    run.drive("cut round", itertools.count(), stage, deadline)
    incumbent: _Incumbent | None = run.kept
    status, raw, message, kkt_point = loop.status, loop.raw, loop.message, loop.kkt_point
    lower, rows, solve_time = loop.lower, loop.rows, run.solve_time
    if kkt_point is None and incumbent is not None:
        kkt_point = BilevelSolution(x=incumbent.x, y=incumbent.y, u=incumbent.u,
                                    v=incumbent.v)
        if status is not TerminationStatus.OPTIMAL:
            message = "; ".join(filter(None, [message, (
                f"best bilevel-feasible point {incumbent.F:.10g}, lower bound "
                f"{lower:.10g}")]))
    stats = run.stats({"solve": solve_time}, "kkt -> bigm (direction cuts, no dual M)",
                      direction_cuts=len(rows), lower_bound=lower)
    return MethodOutcome(status, raw, kkt_point, stats, message,
                         proof=_proof(status, lower, kkt_point,
                                      milp_label(solver_name, not data.F_is_linear)))


def exact_solve_outcome(res: BackendResult, prover: str,
                        scale: float) -> tuple[TerminationStatus, Proof | None]:
    """Termination and proof of a global solve of an exact single-level reformulation.

    The solver's ``OPTIMAL`` is a proof of global optimality only when its proven bound
    (``extra["mip_dual_bound"]``) is within ``value_tol · scale`` of its value, ``scale``
    the objective's largest coefficient: a MILP solver's absolute gaps (HiGHS 1e-9 here,
    SCIP's 1e-9 epsilon) say nothing about an objective whose coefficients are 1e-8.
    Otherwise the point is a feasible one (``LOCALLY_SOLVED``) with the bound as a proven
    lower bound.
    """
    bound = res.extra.get("mip_dual_bound", np.nan)
    if res.status is TerminationStatus.OPTIMAL and np.isfinite(bound) and (
            res.objective - bound > Tolerances().value_tolerance(scale, res.objective)):
        return TerminationStatus.LOCALLY_SOLVED, Proof(
            ProofKind.LOWER_BOUND, f"{prover} (gap {res.objective - bound:.3g} at an "
            f"objective scale of {scale:.3g})", float(bound))
    return res.status, Proof.of_exact_solve(res.status, prover, res.objective)


def milp_label(solver_name: str, quadratic: bool) -> str:
    """``"<solver> MILP"`` or ``"<solver> MIQP"`` for proofs; ``solver_name`` ``""`` is the
    choice by capability (HiGHS for a MILP, SCIP for an MIQP)."""
    kind = "MIQP" if quadratic else "MILP"
    return f"{solver_name or ('SCIP' if quadratic else 'HiGHS')} {kind}"


def _proof(status: TerminationStatus, lower: float, point: BilevelSolution | None,
           label: str) -> Proof | None:
    """What the loop proved: ``OPTIMAL`` a global optimum (value ``lower``, which the point
    attains); ``INFEASIBLE`` (a relaxation is infeasible) infeasibility; otherwise the
    masters' bound ``lower`` when finite. An unbounded master proves nothing (it is a
    relaxation). ``label``: the masters' solver (:func:`milp_label`)."""
    prover = f"kkt-bigm: direction cuts, {label} masters with proven primal Ms"
    if status is TerminationStatus.OPTIMAL and point is not None:
        return Proof(ProofKind.GLOBAL_OPTIMUM, prover, lower)
    if status is TerminationStatus.INFEASIBLE:
        return Proof(ProofKind.INFEASIBLE, prover)
    if np.isfinite(lower):
        return Proof(ProofKind.LOWER_BOUND, prover, float(lower))
    return None

