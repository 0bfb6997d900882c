"""Every method reports its statistics in the one shape ``MethodStats``: the common keys
with their types, and no key the shape does not declare."""

from __future__ import annotations

import typing
import warnings

import pytest

import bilevel_mp as bmp
from bilevel_mp.methods.registry import METHODS
from bilevel_mp.options import make_options
from bilevel_mp.result import MethodStats
from bilevel_mp.solvers.registry import SolverChoice
from tests.methods.test_accepts import MODELS

COMMON = {"time": dict, "iterations": int, "stages": list, "parameter": str, "chain": str}


def _program_for(name: str) -> bmp.BilevelProgram:
    """The first test model that ``name`` accepts."""
    spec = METHODS[name]
    for build in MODELS.values():
        program, _ = bmp.compile_pyomo(build())
        if spec.accepts(program, bmp.analyze(program), make_options(spec.options, None, name),
                        SolverChoice().of(spec.solver_class))[0]:
            return program
    raise AssertionError(f"no test model for {name}")


@pytest.mark.parametrize("name", ["auto", *sorted(METHODS)])
def test_stats_have_the_one_shape(name):
    program = _program_for("kkt-scholtes" if name == "auto" else name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        stats = bmp.solve(program, method=name, time_limit=30).stats
    declared = typing.get_type_hints(MethodStats)
    assert set(stats) <= set(declared), set(stats) - set(declared)
    for key, kind in COMMON.items():
        assert isinstance(stats[key], kind), (key, stats.get(key))
    assert stats["chain"] and stats["time"]["solve"] >= 0.0
    assert all(isinstance(stage, dict) and "status" in stage for stage in stats["stages"])
