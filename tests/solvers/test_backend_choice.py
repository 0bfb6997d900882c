"""``solver=`` reaches every method that takes a back-end of its class: a recording NLP
back-end (a mock around CasADi's IPOPT) registered under a new name is built and solved by
each NLP method, a recording MILP back-end (around HiGHS) by ``kkt-bigm``; a back-end
without a capability the problem needs declines, and malformed choices are errors."""

from __future__ import annotations

import warnings

import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from bilevel_mp.errors import ReformulationNotApplicable
from bilevel_mp.solvers import registry
from bilevel_mp.solvers.base import Backend, CompiledSolver, MILPBackend
from bilevel_mp.solvers.highs import HighsBackend
from bilevel_mp.solvers.ipopt import IpoptBackend
from tests.reformulations.test_bigm import bard_lp


class _Recording(Backend):
    """IPOPT through CasADi, counting builds and solves."""

    name = "recording"
    builds = 0
    solves = 0

    def available(self) -> tuple[bool, str]:
        return True, ""

    def build(self, nlp, options: dict | None = None) -> CompiledSolver:
        type(self).builds += 1
        inner = IpoptBackend().build(nlp, options)

        class Counted(CompiledSolver):
            def solve(self, p, z0, lam_g0=None, lam_z0=None, deadline=None, warm=False,
                      g_bounds=None):
                _Recording.solves += 1
                return inner.solve(p, z0, lam_g0, lam_z0, deadline, warm, g_bounds)

        return Counted()


def _program() -> bmp.BilevelProgram:
    """UL (x - 3)² + y, LL min (y - x)² s.t. y <= 2x, 0 <= y <= 10: y = x, so x = 2.5,
    F = 2.75."""
    return bmp.BilevelProgram.from_functions(
        1, 1, F=lambda x, y: (x[0] - 3) ** 2 + y[0], f=lambda x, y: (y[0] - x[0]) ** 2,
        g=lambda x, y: [y[0] - 2 * x[0]], x_bounds=([0], [10]), y_bounds=([0], [10]))


@pytest.fixture
def recording(monkeypatch):
    monkeypatch.setitem(registry.BACKENDS, "recording", _Recording)
    _Recording.builds = _Recording.solves = 0
    return _Recording


@pytest.mark.parametrize("method", ["kkt-scholtes", "implicit", "llvf-cuts"])
def test_each_nlp_method_solves_with_the_chosen_back_end(recording, method, monkeypatch):
    if method == "llvf-cuts":  # its relaxation goes to IPOPT only when SCIP does not take it
        from bilevel_mp.methods import value_function_cuts
        monkeypatch.setattr(value_function_cuts, "scip_available", lambda: False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        res = bmp.solve(_program(), method=method, solver="recording")
    assert recording.builds >= 1 and recording.solves >= 1
    assert res.verification is bmp.Verification.CERTIFIED
    assert res.upper_objective == pytest.approx(2.75, abs=1e-5)


def test_a_method_with_its_own_solvers_refuses_another_back_end(recording):
    with pytest.raises(bmp.OptionError, match="runs its own solvers"):
        bmp.solve(_program(), method="kkt-sn", solver="recording")
    assert recording.builds == 0


# --- the MILP class --------------------------------------------------------------------

class _RecordingMILP(MILPBackend):
    """HiGHS, counting solves."""

    name = "recording-milp"
    solves = 0

    def available(self) -> tuple[bool, str]:
        return True, ""

    def solve(self, milp, deadline=None, start=None, options=None):
        type(self).solves += 1
        return HighsBackend().solve(milp, deadline, start, options)


def _quadratic_upper_level() -> pyo.ConcreteModel:
    """Bard's LP with the upper-level objective squared: an MIQP for kkt-bigm."""
    m = bard_lp()
    expr = m.obj.expr
    m.obj.deactivate()
    m.obj_q = pyo.Objective(expr=(expr + 20) ** 2)
    return m


def test_kkt_bigm_solves_its_milps_with_the_chosen_milp_back_end(monkeypatch):
    monkeypatch.setitem(registry.MILP_BACKENDS, "recording-milp", _RecordingMILP)
    _RecordingMILP.solves = 0
    default = bmp.solve(bard_lp(), "kkt-bigm")
    chosen = bmp.solve(bard_lp(), "kkt-bigm", solver={"milp": "recording-milp"})
    assert _RecordingMILP.solves >= 1
    assert chosen.is_proven_optimal and chosen.upper_objective == pytest.approx(-18.0)
    assert chosen.upper_objective == pytest.approx(default.upper_objective, abs=1e-9)


def test_one_name_of_a_milp_back_end_goes_to_the_milp_class():
    pytest.importorskip("pyscipopt")
    res = bmp.solve(bard_lp(), "kkt-bigm", solver="scip")
    assert res.is_proven_optimal and "SCIP" in res.proof.prover
    assert res.upper_objective == pytest.approx(-18.0)
    mapped = bmp.solve(bard_lp(), "auto", solver={"nlp": "ipopt", "milp": "scip"})
    assert mapped.method == "auto -> kkt-bigm" and "SCIP" in mapped.proof.prover


def test_a_milp_back_end_without_the_capability_declines():
    with pytest.raises(ReformulationNotApplicable, match="'highs' does not solve"):
        bmp.solve(_quadratic_upper_level(), "kkt-bigm", solver="highs")
    with pytest.raises(ReformulationNotApplicable, match="'highs' does not take them"):
        bmp.solve(bard_lp(), "kkt-sos1", solver="highs")


@pytest.mark.parametrize(("method", "solver", "message"), [
    ("auto", {"qp": "highs"}, "unknown problem class 'qp'"),
    ("auto", {"milp": 3}, r"solver\['milp'\] must be a back-end name"),
    ("auto", 3, "solver must be a back-end name or a mapping"),
    ("auto", {"milp": "nosuch"}, "unknown solver 'nosuch'"),
    ("kkt-bigm", "nosuch", "unknown solver 'nosuch'"),
    ("kkt-scholtes", {"milp": "highs"}, "'kkt-scholtes' takes a NLP back-end, not milp 'highs'"),
    ("llvf-sn", {"nlp": "ipopt", "milp": "highs"}, "'llvf-sn' runs its own solvers"),
])
def test_malformed_solver_choices_are_option_errors(method, solver, message):
    with pytest.raises(bmp.OptionError, match=message):
        bmp.solve(_program(), method, solver=solver)
