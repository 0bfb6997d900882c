"""``solver=`` reaches every method that takes an NLP back-end: a recording back-end (a
mock around CasADi's IPOPT) registered under a new name is built and solved by each."""

from __future__ import annotations

import warnings

import pytest

import bilevel_mp as bmp
from bilevel_mp.solvers import registry
from bilevel_mp.solvers.base import Backend, CompiledSolver
from bilevel_mp.solvers.ipopt import IpoptBackend


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
            def solve(self, p, z0, lam_g0=None, lam_z0=None, deadline=None, warm=False):
                _Recording.solves += 1
                return inner.solve(p, z0, lam_g0, lam_z0, deadline, warm)

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
