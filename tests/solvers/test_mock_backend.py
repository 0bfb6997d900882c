"""A mock back-end round trip: ``solve`` → the KKT method → a back-end that returns a known
point → the chain's inverse → the independent check → the values loaded into the model.

The mock answers with the exact solution of the contract model (x = y = 0.5, F = 1; the
lower-level rows inactive, so u = 0 and the slacks are 0.5), without IPOPT, so the test
isolates our plumbing: parameter values handed to the back-end, the point mapped back by
name, the certificate, and the model's variables.
"""

from __future__ import annotations

import numpy as np
import pytest

import bilevel_mp as bmp
from bilevel_mp.solvers import registry
from bilevel_mp.solvers.base import Backend, BackendResult, CompiledSolver
from bilevel_mp.status import TerminationStatus
from tests.modeling.test_modeling import contract_model

ANSWER = np.array([0.5, 0.5, 0.0, 0.0, 0.5, 0.5])  # (x, y, u[L.c], u[L.y >= 0], s, s)


class _MockSolver(CompiledSolver):
    def __init__(self, nlp, calls: list) -> None:
        self.nlp, self.calls, self.build_time = nlp, calls, 0.0

    def solve(self, p, z0, lam_g0=None, lam_z0=None, deadline=None, warm=False,
              g_bounds=None):
        self.calls.append({"p": np.asarray(p, dtype=float).copy(), "warm": warm,
                           "n_z": len(z0)})
        g = np.zeros(self.nlp.g.numel())
        return BackendResult(TerminationStatus.LOCALLY_SOLVED, "Mock_Solved", ANSWER.copy(),
                             1.0, g, g.copy(), np.zeros(len(z0)), iterations=1)


def _mock_backend(calls: list) -> type[Backend]:
    class MockBackend(Backend):
        name = "mock"

        def available(self):
            return True, ""

        def build(self, nlp, options=None):
            return _MockSolver(nlp, calls)
    return MockBackend


def test_a_known_point_from_the_back_end_comes_back_certified_and_loaded(monkeypatch):
    calls: list = []
    monkeypatch.setitem(registry.BACKENDS, "mock", _mock_backend(calls))
    m = contract_model()
    res = bmp.solve(m, method="kkt-scholtes", solver="mock", options={"start": 0.25})
    assert calls and calls[0]["n_z"] == 6 and not calls[0]["warm"]
    assert calls[0]["p"].tolist() == [0.25]  # the relaxation t handed to the back-end
    assert res.raw_status == "Mock_Solved"
    assert res.termination is TerminationStatus.LOCALLY_SOLVED
    assert res.verification is bmp.Verification.CERTIFIED
    assert res.x == {"x": 0.5} and res.y == {"L.y": 0.5}
    assert res.ll_multipliers == {"L.c": 0.0, "L.y >= 0": 0.0}
    assert res.upper_objective == pytest.approx(1.0, abs=1e-12)
    assert (m.x.value, m.L.y.value) == (0.5, 0.5)
