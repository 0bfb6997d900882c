"""Bad input to ``reformulate``: typed errors that name what is wrong."""

from __future__ import annotations

import casadi as ca
import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from tests.export.helpers import nonlinear_model
from tests.modeling.test_modeling import contract_model


@pytest.mark.parametrize("method", ["auto", "implicit", "kkt-sn", "kkt-lm", "llvf-sn",
                                    "llvf-lm"])
def test_methods_without_a_single_level_form(method):
    with pytest.raises(bmp.ReformulationNotApplicable, match=f"^{method} is not applicable: "
                       "it has no single-level form") as err:
        bmp.reformulate(contract_model(), method)
    assert err.value.reformulation == method


def test_unknown_method_lists_the_forms():
    with pytest.raises(bmp.OptionError, match="unknown method; no single-level form called "
                       "'kkt-foo'; valid: kkt, kkt-product, "):
        bmp.reformulate(contract_model(), "kkt-foo")


@pytest.mark.parametrize(("method", "options", "match"), [
    ("kkt-scholtes", {"mu": 0.1}, "unknown option.*mu.*valid options: t=1.0"),
    ("kkt-scholtes", {"t": "small"}, "'t' of reformulate\\('kkt-scholtes'\\) must be a finite"),
    ("kkt-scholtes", {"t": 0.0}, "'t' .* must be > 0"),
    ("kkt-fb", {"mu": -1.0}, "'mu' .* must be >= 0"),
    ("kkt-penalty", {"lam": float("nan")}, "'lam'"),
    ("kkt", {"t": 0.1}, "reformulate\\('kkt'\\) takes no options, got t"),
    ("kkt-bigm", {"lp_bounds": 1}, "'lp_bounds'"),
    ("llvf-cuts", {"cut_points": [[0.1, 0.2]]}, "cut_points\\[0\\] has 2 entries"),
    ("llvf-cuts", {"cut_points": 3}, "'cut_points'"),
])
def test_bad_options(method, options, match):
    with pytest.raises(bmp.OptionError, match=match):
        bmp.reformulate(contract_model(), method, **options)


def test_forms_that_do_not_apply_say_why():
    with pytest.raises(bmp.ReformulationNotApplicable, match="kkt-bigm is not applicable: "
                       "lower-level objective is not linear or quadratic"):
        bmp.reformulate(nonlinear_model(), "kkt-bigm")
    m = contract_model()
    m.L.k = pyo.Var(domain=pyo.Integers, bounds=(0, 3))
    m.L.ck = pyo.Constraint(expr=m.L.k <= m.L.y)
    for method in ("kkt", "kkt-scholtes"):
        with pytest.raises(bmp.ReformulationNotApplicable, match="L.k are integer"):
            bmp.reformulate(m, method)


def test_bad_models_are_model_errors():
    with pytest.raises(bmp.ModelError, match="no LowerLevel block"):
        bmp.reformulate(pyo.ConcreteModel(), "kkt")
    program = bmp.BilevelProgram.from_functions(
        1, 1, F=lambda x, y: x[0] + y[0], f=lambda x, y: (y[0] - x[0]) ** 2,
        g=lambda x, y: [ca.atan2(y[0], 1 + x[0] ** 2) - 1])
    with pytest.raises(bmp.ModelError, match="row 'g\\[0\\] \\+ s' of the single-level "
                       "problem uses the CasADi operation atan2"):
        bmp.reformulate(program, "kkt-scholtes")
