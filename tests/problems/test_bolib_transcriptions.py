"""The BOLIB transcriptions reproduce the catalogue.

For every transcribed example: the program builds with the catalogue's dimensions and
constraint counts (counting rule of :mod:`bolib_problems`), and at the recorded point
``(x_star, y_star)`` the objectives and the largest constraint violation agree with the
catalogue's ``check_at_recorded_point`` (computed by an independent port). Documented
exceptions:

* simple bilevel programs: the catalogue's ``nx = 1`` is the library's dummy ``x``; the
  models have ``nx = 0`` (package docstring);
* simple bilevel rows have a recorded ``y_star`` but no ``check_at_recorded_point``: the
  recorded ``F_star``, ``f_star`` and feasibility are checked instead;
* the catalogue prints points and check values with 6 significant digits (``%g``: some
  are rounded fractions such as 17/9, and ``2`` may stand for 1.999997), while the check
  values were computed at the unrounded points: the tolerances add the first-order effect
  of rounding the point (half a unit in the 6th digit of each entry, times the absolute
  gradient) and half a unit in the 6th digit of the check value itself;
* check values written by hand (``F=...;f=... at recorded point``) may omit ``maxviol``:
  the point is then checked to be feasible;
* a row with blank ``ny`` (OptimalControl: the size depends on a mesh, ``ny = 2 ni`` with
  ``ni`` interior nodes) is compared against the model's own structure: ``nx`` and ``nG``
  as catalogued, ``ny = 2 ni`` even, ``ng = 2 ni`` (the control bounds), ``nh = ni``,
  ``ng_coded = 4 ni``;
* :data:`RECORD_ERRATA` names records that are wrong as printed and gives the value the
  coded problem has at the recorded point.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import casadi as ca
import numpy as np
import pytest

import bolib_problems
from bilevel_mp import BilevelProgram
from bolib_problems._catalogue import parse_check

REL_TOL = 1e-6
VIOL_TOL = 1e-6
PRINTED_DIGITS = 6
NAMES = bolib_problems.names()
COUNTS = ("nG", "nH", "ng", "nh")
RECORD_ERRATA: dict[str, tuple[dict[str, float], str]] = {
    name: ({"F": -1.15}, "recorded F* = +1.15, but the coded objective is -x_{N+1} "
           "(catalogue README, erratum 3)")
    for name in ("RobustPortfolioP1", "RobustPortfolioP2")
}


def _expected_dims(row: Mapping[str, str], prog: BilevelProgram) -> tuple[int, int]:
    """Catalogue ``(nx, ny)``; ``nx = 0`` for simple programs (the dummy ``x`` is dropped);
    a blank (mesh-dependent) ``ny`` is ``2 ni`` with ``ni`` the model's rows of ``h``."""
    nx = 0 if row["collection"] == "simple" else int(row["nx"])
    return nx, int(row["ny"]) if row["ny"] else 2 * _mesh_nodes(prog)


def _mesh_nodes(prog: BilevelProgram) -> int:
    """``ni`` of a mesh-dependent example: one state equation (row of ``h``) per node."""
    ni = prog.h.numel()
    assert ni > 0
    return ni


def _rounding_radius(text: str) -> np.ndarray:
    """Half a unit in the 6th significant digit of each nonzero entry (``%g`` printing drops
    trailing zeros, so ``2`` may stand for 1.999997)."""
    return np.array([_half_unit(float(e)) for e in filter(None, text.split(";"))], dtype=float)


def _half_unit(value: float) -> float:
    """Half a unit in the 6th significant digit of ``value`` (0 for 0)."""
    if value == 0.0:
        return 0.0
    return 0.5 * 10.0 ** (math.floor(math.log10(abs(value))) - PRINTED_DIGITS + 1)


def _allowance(prog: BilevelProgram, x: np.ndarray, y: np.ndarray,
               radius: np.ndarray) -> np.ndarray:
    """First-order bound on how much rounding ``(x, y)`` by ``radius`` moves F, f, G, H, g, h."""
    outputs = ca.vertcat(prog.F, prog.f, prog.G, prog.H, prog.g, prog.h)
    jac = ca.Function("rounding_jacobian", [prog.x, prog.y, prog.p],
                      [ca.jacobian(outputs, ca.vertcat(prog.x, prog.y))])
    return np.abs(np.array(jac(x, y, prog.p_values))) @ radius


def test_collections_complete() -> None:
    assert len(bolib_problems.names("linear")) == 24
    assert len(bolib_problems.names("simple")) == 11
    indices = [bolib_problems.load(n).meta.index for n in NAMES]
    assert indices == sorted(indices)
    with pytest.raises(ValueError):
        bolib_problems.names("quadratic")


def test_unknown_name_suggests_close_matches() -> None:
    with pytest.raises(KeyError, match="Bard1984a"):
        bolib_problems.load("bard1984")


def test_untranscribed_name_is_reported() -> None:
    pending = [n for n in bolib_problems.catalogue() if n not in NAMES]
    if not pending:
        pytest.skip("every catalogue example is transcribed")
    with pytest.raises(KeyError, match="not transcribed"):
        bolib_problems.load(pending[0])


@pytest.mark.parametrize("name", NAMES)
def test_builds_with_catalogue_dimensions(name: str) -> None:
    ex = bolib_problems.load(name)
    prog = ex.program()
    assert isinstance(prog, BilevelProgram)
    assert ex.program() is prog
    nx, ny = _expected_dims(ex.row, prog)
    assert (prog.nx, prog.ny) == (ex.meta.nx, ex.meta.ny) == (nx, ny)
    x0, y0 = ex.start
    assert (x0.size, y0.size) == (nx, ny)
    np.testing.assert_array_equal(prog.x0, x0)
    np.testing.assert_array_equal(prog.y0, y0)
    if ex.known.y_star is not None:
        assert (ex.known.x_star.size, ex.known.y_star.size) == (nx, ny)
    assert (ex.meta.name, ex.meta.collection) == (name, ex.row["collection"])
    assert "arXiv:1812.00230" in ex.meta.source and name in prog.source


@pytest.mark.parametrize("name", NAMES)
def test_constraint_counts(name: str) -> None:
    ex = bolib_problems.load(name)
    prog = ex.program()
    counts = bolib_problems.constraint_counts(prog)
    expected = {c: ex.row[c] for c in (*COUNTS, "nG_coded", "ng_coded")}
    if not ex.row["ny"]:  # mesh-dependent: ni state equations, 2 ni control bounds
        ni = _mesh_nodes(prog)
        expected.update(ng=2 * ni, nh=ni, ng_coded=4 * ni)
    expected = {c: int(v) for c, v in expected.items()}
    assert counts == {c: expected[c] for c in COUNTS}
    assert counts == {c: getattr(ex.meta, c) for c in COUNTS}
    # the library codes each equality as two inequalities
    assert expected["nG_coded"] == counts["nG"] + 2 * counts["nH"]
    assert expected["ng_coded"] == counts["ng"] + 2 * counts["nh"]


@pytest.mark.parametrize("name", NAMES)
def test_recorded_point(name: str) -> None:
    ex = bolib_problems.load(name)
    known, row = ex.known, ex.row
    if known.x_star is None or known.y_star is None:
        pytest.skip(f"catalogue records no point for {name} ({row['solution_note']})")
    check = parse_check(row["check_at_recorded_point"])
    if check is None:
        check = {"F": known.F_star, "f": known.f_star, "maxviol": 0.0}
        check.update(RECORD_ERRATA.get(name, ({}, ""))[0])
    prog = ex.program()
    x, y = known.x_star, known.y_star
    radius = np.concatenate([_rounding_radius(row["x_star"]), _rounding_radius(row["y_star"])])
    allow = _allowance(prog, x, y, radius)
    values = prog.evaluate(x, y)
    for i, key in enumerate(("F", "f")):
        tol = REL_TOL * max(1.0, abs(check[key])) + allow[i] + _half_unit(check[key])
        assert abs(values[key] - check[key]) <= tol, (key, values[key], check[key], tol)
    violation = max(prog.ul_violation(x, y), prog.ll_violation(x, y))
    viol_allow = float(max(allow[2:].max(initial=0.0), radius.max(initial=0.0)))
    maxviol = check.get("maxviol", 0.0)
    assert abs(violation - maxviol) <= VIOL_TOL + maxviol + viol_allow


def test_record_inconsistencies_are_documented() -> None:
    undocumented = []
    for name in NAMES:
        ex = bolib_problems.load(name)
        check = parse_check(ex.row["check_at_recorded_point"])
        recorded = {"F": ex.known.F_star, "f": ex.known.f_star}
        differs = check is not None and any(
            abs(check[k] - v) > 1e-4 * max(1.0, abs(v)) for k, v in recorded.items())
        if differs and not ex.meta.remarks:
            undocumented.append(name)
    assert not undocumented, f"records differ from their points without a remark: {undocumented}"
