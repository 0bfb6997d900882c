"""Golden tests: the KKT MPCC and each complementarity handling of one 2-variable problem.

Problem (the user-API contract model)::

    min_{x in [0, 10], y}  x + y   s.t.  1 - x - y <= 0,
    y in argmin_y { (y - x)^2 : y - 2x <= 0, -y <= 0 }.

KKT variables z = (x, y, u1, u2, s1, s2); the expected single-level problems are written
out by hand below and compared with ours at random points.
"""

from __future__ import annotations

import casadi as ca
import numpy as np
import pytest

from bilevel_mp.modeling.compile import compile_pyomo
from bilevel_mp.reformulations.complementarity import ComplementarityHandling
from bilevel_mp.reformulations.kkt import KKTReformulation
from tests.modeling.test_modeling import contract_model

INF = np.inf


def _kkt():
    program, _ = compile_pyomo(contract_model())
    return KKTReformulation().apply(program)


def _eval(nlp, z, param):
    fn = ca.Function("f", [nlp.z, nlp.p], [nlp.f, nlp.g])
    f, g = fn(z, param)
    return float(f), np.asarray(g).ravel()


def kkt_rows(z):
    x, y, u1, u2, s1, s2 = z
    return [1 - x - y,               # UL constraint c
            2 * (y - x) + u1 - u2,   # dL/dy
            y - 2 * x + s1,          # g1 + s1
            -y + s2]                 # g2 + s2


def test_kkt_mpcc():
    mpcc, inverse = _kkt()
    nlp = mpcc.nlp
    assert nlp.z_names == ("x", "L.y", "u[L.c]", "u[L.y >= 0]", "s[L.c]", "s[L.y >= 0]")
    np.testing.assert_array_equal(nlp.z_lb, [0, -INF, 0, 0, 0, 0])
    np.testing.assert_array_equal(nlp.z_ub, [10, INF, INF, INF, INF, INF])
    np.testing.assert_array_equal(nlp.g_lb, [-INF, 0, 0, 0])
    np.testing.assert_array_equal(nlp.g_ub, [0, 0, 0, 0])
    np.testing.assert_array_equal(mpcc.pairs_a, [2, 3])
    np.testing.assert_array_equal(mpcc.pairs_b, [4, 5])
    rng = np.random.default_rng(0)
    for _ in range(5):
        z = rng.normal(size=6)
        f, g = _eval(nlp, z, [])
        assert f == pytest.approx(z[0] + z[1])
        np.testing.assert_allclose(g, kkt_rows(z), atol=1e-14)
    assert (inverse.u, inverse.s) == (slice(2, 4), slice(4, 6))


def _theta(v):
    return 2 / np.pi * np.sin(v * np.pi / 2 + 3 * np.pi / 2) + 1


def _su(a, b, t):
    d = a - b
    return a + b - abs(d) if abs(d) >= t else a + b - t * _theta(d / t)


def _ks(a, b, t):
    return (a - t) * (b - t) if a + b >= 2 * t else -0.5 * ((a - t) ** 2 + (b - t) ** 2)


# handling -> (extra rows per pair kind as functions of (a, b, t), lb, ub, free bounds, obj)
EXPECTED = {
    "product": ([lambda a, b, t: a * b], [0], [0], False),
    "scholtes": ([lambda a, b, t: a * b - t], [-INF], [0], False),
    "lin-fukushima": ([lambda a, b, t: a * b - t**2, lambda a, b, t: (a + t) * (b + t) - t**2,
                       lambda a, b, t: a + t, lambda a, b, t: b + t],
                      [-INF, 0, 0, 0], [0, INF, INF, INF], True),
    "kadrani": ([lambda a, b, t: a + t, lambda a, b, t: b + t,
                 lambda a, b, t: (a - t) * (b - t)], [0, 0, -INF], [INF, INF, 0], True),
    "steffensen-ulbrich": ([_su], [-INF], [0], False),
    "kanzow-schwartz": ([_ks], [-INF], [0], False),
    "penalty": ([], [], [], False),
    "fb": ([lambda a, b, t: np.sqrt(a**2 + b**2 + 2 * t**2) - a - b], [0], [0], False),
    "min": ([lambda a, b, t: a + b - np.sqrt((a - b) ** 2 + 4 * t**2)], [0], [0], False),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_handling(key):
    mpcc, _ = _kkt()
    nlp, _ = ComplementarityHandling(key).apply(mpcc)
    rows, lbs, ubs, free = EXPECTED[key]
    has_param = key != "product"
    assert nlp.p.numel() == (1 if has_param else 0)
    rng = np.random.default_rng(1)
    pairs = [(2, 4), (3, 5)]
    for _ in range(20):
        z = rng.uniform(-1, 1, size=6)
        t = float(rng.uniform(0.05, 0.5))
        f, g = _eval(nlp, z, [t] if has_param else [])
        expected_rows = kkt_rows(z) + [r(z[a], z[b], t) for r in rows for a, b in pairs]
        np.testing.assert_allclose(g, expected_rows, atol=1e-12)
        penalty = t * (z[2] * z[4] + z[3] * z[5]) if key == "penalty" else 0.0
        assert f == pytest.approx(z[0] + z[1] + penalty, abs=1e-12)
    np.testing.assert_array_equal(nlp.g_lb[4:], np.repeat(lbs, 2))
    np.testing.assert_array_equal(nlp.g_ub[4:], np.repeat(ubs, 2))
    expected_lb = [0, -INF] + ([-INF] * 4 if free else [0] * 4)
    np.testing.assert_array_equal(nlp.z_lb, expected_lb)


def test_chain_round_trip_maps_the_nlp_point_to_the_bilevel_point():
    """KKT then Scholtes as one chain: the NLP's point z = (x, y, u1, u2, s1, s2) inverts to
    x, y and the multipliers u (of g = (L.c, L.y >= 0)); the chain keeps the MPCC."""
    from bilevel_mp.reformulations.base import BilevelSolution, Chain

    program, _ = compile_pyomo(contract_model())
    chain = Chain(KKTReformulation(), ComplementarityHandling("scholtes"))
    nlp, inverse = chain.apply(program)
    assert chain.name == "kkt -> mpcc.scholtes"
    assert inverse.sources[0] is program
    np.testing.assert_array_equal(inverse.sources[1].pairs_a, [2, 3])
    z = np.array([0.5, 0.5, 0.0, 0.0, 0.5, 0.5])  # y = x = 0.5: the follower's response
    solution = chain.invert(z, inverse)
    assert isinstance(solution, BilevelSolution)
    np.testing.assert_array_equal(solution.x, [0.5])
    np.testing.assert_array_equal(solution.y, [0.5])
    np.testing.assert_array_equal(solution.u, [0.0, 0.0])
    assert solution.v.size == 0


def test_chain_refuses_a_step_that_does_not_accept_its_source():
    import pyomo.environ as pyo

    from bilevel_mp.errors import ReformulationNotApplicable
    from bilevel_mp.reformulations.base import Chain

    m = contract_model()
    m.L.y.domain = pyo.Integers
    program, _ = compile_pyomo(m)
    chain = Chain(KKTReformulation(), ComplementarityHandling("scholtes"))
    assert not chain.accepts(program)[0]
    with pytest.raises(ReformulationNotApplicable, match="kkt.*L.y"):
        chain.apply(program)
