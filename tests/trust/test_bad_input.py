"""Bad input never ends in a traceback from a dependency (issue 15, class 6).

Every case is a malformed model or call as a new user would write it, with what it must
give: a typed :class:`~bilevel_mp.BilevelError` whose message names the offending thing,
or a status on the result.
"""

from __future__ import annotations

import importlib
import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, replace

import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from bilevel_mp.cli import main
from bilevel_mp.errors import ModelError, OptionError, ReformulationNotApplicable
from bilevel_mp.status import TerminationStatus
from tests.modeling.test_modeling import contract_model

BP = bmp.BilevelProgram


def linear_model(coef: float = 1.0, ul_coef: float = 1.0) -> pyo.ConcreteModel:
    """An LP–LP model (every global method applies); ``coef`` multiplies x in the LL
    constraint, ``ul_coef`` in the UL constraint."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 10))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(0, 5))
    m.L.obj = pyo.Objective(expr=m.L.y)
    m.L.c = pyo.Constraint(expr=m.L.y >= coef * m.x - 3)
    m.obj = pyo.Objective(expr=m.x - m.L.y)
    m.c = pyo.Constraint(expr=ul_coef * m.x + m.L.y <= 8)
    return m


def edited(build: Callable[[], pyo.ConcreteModel], edit: Callable) -> pyo.ConcreteModel:
    """``build()`` changed in place by ``edit(m)``."""
    m = build()
    edit(m)
    return m


def with_param(value, where: str = "body") -> pyo.ConcreteModel:
    """The linear model with a mutable parameter ``p`` (``value`` None: no value) used as
    a coefficient of the LL constraint ``L.c2`` or as the bound of the UL row ``c2``."""
    m = linear_model()
    m.p = pyo.Param(mutable=True) if value is None else pyo.Param(mutable=True,
                                                                     initialize=value)
    if where == "body":
        m.L.c2 = pyo.Constraint(expr=m.L.y >= m.p * m.x - 9)
    else:
        m.c2 = pyo.Constraint(expr=m.x <= m.p)
    return m


def nested_lower_level(m: pyo.ConcreteModel) -> None:
    m.L.inner = bmp.LowerLevel()
    m.L.inner.z = pyo.Var()
    m.L.inner.obj = pyo.Objective(expr=m.L.inner.z ** 2)


def second_objective(block, name: str, expr) -> None:
    block.add_component(name, pyo.Objective(expr=expr))


def two_ll_objectives(m):
    second_objective(m.L, "obj2", m.L.y ** 2)


def two_ul_objectives(m):
    second_objective(m, "obj2", m.x)


def no_ul_objective(m):
    m.obj.deactivate()


def no_ll_objective(m):
    m.L.obj.deactivate()


def no_lower_level(m):
    m.del_component(m.L)
    m.del_component(m.c)
    m.obj.set_value(m.x)


def fixed_without_value(m):
    m.z = pyo.Var()
    m.z.fix(None)
    m.c3 = pyo.Constraint(expr=m.x + m.z <= 4)


def fixed_at_inf(m):
    m.z = pyo.Var()
    m.z.fix(math.inf, skip_validation=True)
    m.c3 = pyo.Constraint(expr=m.x + m.z <= 4)


def foreign_variable(m):
    other = pyo.ConcreteModel()
    other.z = pyo.Var()
    m.c3 = pyo.Constraint(expr=m.x + other.z <= 4)


def f(x, y):
    return y[0]


def F(x, y):
    return x[0]


def from_functions(**kwargs):
    """``BilevelProgram.from_functions`` on a 1 + 1 variable program with ``kwargs``."""
    args = {"nx": 1, "ny": 1, "F": F, "f": f, **kwargs}
    return lambda: BP.from_functions(**args)


def solve(model_builder, method="kkt-scholtes", **kwargs):
    return lambda: bmp.solve(model_builder(), method, **kwargs)


@dataclass(frozen=True)
class Case:
    """One bad input: the call, and the error class with a substring of its message, or
    the expected termination statuses."""

    id: str
    call: Callable[[], object]
    error: type[Exception] | None = None
    names: str = ""
    statuses: tuple[TerminationStatus, ...] = ()


def _not_a_model(value, names):
    return Case(f"solve({type(value).__name__})", lambda: bmp.solve(value), ModelError, names)


CASES = [
    # --- what is passed as the model ------------------------------------------------
    _not_a_model(None, "NoneType"),
    _not_a_model("model.py", "bilevel-mp solve FILE.py:NAME"),
    _not_a_model(42, "int 42"),
    _not_a_model([1, 2], "list"),
    _not_a_model(BP, "BilevelProgram"),
    Case("compile_pyomo(None)", lambda: bmp.compile_pyomo(None), ModelError, "NoneType"),
    Case("abstract model", lambda: bmp.solve(pyo.AbstractModel()), ModelError, "abstract"),
    Case("empty model", lambda: bmp.solve(pyo.ConcreteModel()), ModelError,
         "no LowerLevel"),
    # --- the structure of the model -------------------------------------------------
    Case("no LowerLevel block", solve(lambda: edited(contract_model, no_lower_level)),
         ModelError, "no LowerLevel"),
    Case("LowerLevel without objective", solve(lambda: edited(contract_model,
                                                                  no_ll_objective)),
         ModelError, "LowerLevel 'L' must have exactly one active objective; found none"),
    Case("LowerLevel with two objectives", solve(lambda: edited(contract_model,
                                                                    two_ll_objectives)),
         ModelError, "L.obj, L.obj2"),
    Case("no upper-level objective", solve(lambda: edited(contract_model, no_ul_objective)),
         ModelError, "upper level"),
    Case("two upper-level objectives", solve(lambda: edited(contract_model,
                                                                two_ul_objectives)),
         ModelError, "obj, obj2"),
    Case("every LL variable fixed", solve(lambda: edited(contract_model,
                                                         lambda m: m.L.y.fix(1))),
         ModelError, "declares no"),
    Case("nested LowerLevel", solve(lambda: edited(contract_model, nested_lower_level)),
         ModelError, "nested"),
    Case("variable of another model", solve(lambda: edited(contract_model,
                                                           foreign_variable)),
         ModelError, "'z'"),
    Case("unsupported function", solve(lambda: edited(
        contract_model, lambda m: setattr(m, "c4", pyo.Constraint(
            expr=pyo.floor(m.x) <= 4))))
        , ModelError, "floor"),
    # --- variables -------------------------------------------------------------------
    Case("UL variable with lb > ub", solve(lambda: edited(contract_model,
                                                          lambda m: m.x.setlb(20))),
         ModelError, "variable 'x' has lower bound 20"),
    Case("LL variable with lb > ub", solve(lambda: edited(contract_model,
                                                          lambda m: m.L.y.setub(-1))),
         ModelError, "variable 'L.y'"),
    Case("NaN initial value", solve(lambda: edited(
        contract_model, lambda m: m.x.set_value(math.nan, skip_validation=True))),
        ModelError, "variable 'x' has initial value nan"),
    Case("fixed variable without value", solve(lambda: edited(contract_model,
                                                              fixed_without_value)),
         ModelError, "'z' is fixed but has no value"),
    Case("fixed variable at inf", solve(lambda: edited(contract_model, fixed_at_inf)),
         ModelError, "'z'"),
    # --- parameters --------------------------------------------------------------------
    Case("mutable Param without value in a body", solve(lambda: with_param(None)),
         ModelError, "parameter 'p' has no value"),
    Case("mutable Param without value as a bound",
         solve(lambda: with_param(None, where="bound")), ModelError, "constraint 'c2'"),
    Case("mutable Param at NaN", solve(lambda: with_param(math.nan)), ModelError,
         "parameter 'p' has value nan"),
    Case("mutable Param at inf, kkt-bigm", solve(lambda: with_param(math.inf), "kkt-bigm"),
         ModelError, "'L.c2'"),
    Case("mutable Param at inf, kkt-sos1", solve(lambda: with_param(math.inf), "kkt-sos1"),
         ModelError, "'L.c2'"),
    Case("Param at inf as an upper bound is no bound",
         solve(lambda: with_param(math.inf, where="bound"), "kkt-bigm"),
         statuses=(TerminationStatus.OPTIMAL,)),
    # --- numbers in the model ----------------------------------------------------------
    Case("inf coefficient, kkt-sos1", solve(lambda: linear_model(coef=math.inf), "kkt-sos1"),
         ModelError, "constraint 'L.c': coefficient inf"),
    Case("inf coefficient, llvf-cuts", solve(lambda: linear_model(coef=math.inf),
                                             "llvf-cuts"),
         ModelError, "constraint 'L.c'"),
    Case("inf coefficient, auto", solve(lambda: linear_model(coef=math.inf), "auto"),
         ModelError, "constraint 'L.c'"),
    Case("NaN in UL constraint, kkt-bigm", solve(lambda: linear_model(ul_coef=math.nan),
                                                 "kkt-bigm"),
         ModelError, "constraint 'c': coefficient nan"),
    Case("NaN in UL constraint, kkt-scholtes", solve(lambda: linear_model(ul_coef=math.nan)),
         ModelError, "constraint 'c'"),
    Case("NaN in LL objective", solve(lambda: edited(
        contract_model, lambda m: m.L.obj.set_value(math.nan * m.L.y + m.L.y ** 2))),
        ModelError, "objective 'L.obj'"),
    Case("inf constant in UL objective", solve(lambda: edited(
        contract_model, lambda m: m.obj.set_value(m.x + m.L.y + math.inf))),
        ModelError, "objective 'obj'"),
    # y >= 1e25·x - 3: F reaches -5 at x = 8e-25, which no MILP solver resolves; the row
    # is normalized (no SCIP "infinity") but no global claim is made
    Case("coefficients spanning 1e25 in one row", solve(lambda: linear_model(coef=1e25),
                                                        "kkt-sos1"),
         statuses=(TerminationStatus.LOCALLY_SOLVED,)),
    Case("x <= inf is no constraint", solve(lambda: edited(
        contract_model, lambda m: setattr(m, "c2", pyo.Constraint(expr=m.x <= math.inf)))),
        statuses=(TerminationStatus.LOCALLY_SOLVED,)),
    # --- method, solver, options -----------------------------------------------------
    Case("unknown method", solve(contract_model, "kkt-foo"), OptionError, "'kkt-foo'"),
    Case("method None", solve(contract_model, None), OptionError, "unknown method None"),
    Case("unknown solver", solve(contract_model, solver="snopt"), OptionError, "'snopt'"),
    # solver= names the NLP back-end of the KKT relaxations, implicit and llvf-cuts (and
    # kkt-bigm's MILP solver); the other methods ignored it silently
    Case("solver for a method with its own solvers", solve(contract_model, "llvf-sn",
                                                          solver="cyipopt"),
         OptionError, "'llvf-sn' runs its own solvers and does not take solver='cyipopt'"),
    Case("NLP back-end for kkt-bigm", solve(linear_model, "kkt-bigm", solver="cyipopt"),
         OptionError, "'kkt-bigm' takes a MILP back-end, not nlp 'cyipopt'"),
    Case("solver for kkt-lm", solve(contract_model, "kkt-lm", solver="cyipopt"),
         OptionError, "does not take solver="),
    Case("unknown option lists defaults", solve(contract_model, options={"nope": 1}),
         OptionError, "ipopt_options={}"),
    Case("comp_tol a string", solve(contract_model, options={"comp_tol": "abc"}),
         OptionError, "'comp_tol'"),
    Case("comp_tol NaN", solve(contract_model, options={"comp_tol": math.nan}),
         OptionError, "'comp_tol'"),
    Case("comp_tol a bool", solve(contract_model, options={"comp_tol": True}),
         OptionError, "'comp_tol'"),
    Case("max_stages fractional", solve(contract_model, options={"max_stages": 2.5}),
         OptionError, "'max_stages' of method 'kkt-scholtes' must be an integer"),
    Case("max_stages a string", solve(contract_model, options={"max_stages": "3"}),
         OptionError, "'max_stages'"),
    Case("factor a list", solve(contract_model, options={"factor": [0.1]}),
         OptionError, "'factor'"),
    Case("ipopt_options a string", solve(contract_model, options={"ipopt_options": "x"}),
         OptionError, "'ipopt_options'"),
    Case("unknown IPOPT option", solve(contract_model,
                                       options={"ipopt_options": {"nope": 1}}),
         OptionError, "No such IPOPT option: nope"),
    Case("IPOPT option of the wrong type",
         solve(contract_model, options={"ipopt_options": {"max_iter": "a"}}),
         OptionError, "IPOPT rejected"),
    Case("options a list", solve(contract_model, options=[("comp_tol", 1e-6)]),
         OptionError, "must be a dict"),
    Case("options a string", solve(contract_model, options="comp_tol=1e-6"),
         OptionError, "must be a dict"),
    Case("auto: option of the wrong type", solve(contract_model, "auto",
                                                 options={"comp_tol": "abc"}),
         OptionError, "'comp_tol'"),
    Case("auto: a method's options not a dict", solve(
        contract_model, "auto", options={"kkt-scholtes": 3}), OptionError,
        "options['kkt-scholtes'] of method 'auto' must be a dict"),
    Case("auto: a method's own option of the wrong type", solve(
        contract_model, "auto", options={"llvf-sn": {"max_iter": "many"}}), OptionError,
        "'max_iter' of method 'llvf-sn'"),
    Case("auto: a method's own unknown option", solve(
        contract_model, "auto", options={"llvf-sn": {"comp_tol": 1e-6}}), OptionError,
        "comp_tol"),
    # no method handles a discrete lower level: auto declines with every method's reason
    Case("auto: integer lower-level variable", solve(lambda: edited(
        contract_model, lambda m: setattr(m.L.y, "domain", pyo.Integers)), "auto"),
        ReformulationNotApplicable, "auto is not applicable: no method applies (kkt-"),
    Case("auto: unknown option", solve(contract_model, "auto", options={"nope": 1}),
         OptionError, "nope"),
    Case("auto: options a string", solve(contract_model, "auto", options="comp_tol=1"),
         OptionError, "options of method 'auto' must be a dict"),
    Case("auto: three processes", solve(contract_model, "auto", options={"processes": 3}),
         OptionError, "'processes' of method 'auto' must be one of 1, 2"),
    Case("auto: negative patience", solve(contract_model, "auto", options={"patience": -1}),
         OptionError, "'patience' of method 'auto' must be at least 0"),
    Case("kkt-bigm: lp_bounds not a bool", solve(linear_model, "kkt-bigm",
                                                 options={"lp_bounds": "yes"}),
         OptionError, "'lp_bounds'"),
    Case("kkt-bigm: highs_options a number", solve(linear_model, "kkt-bigm",
                                                   options={"highs_options": 3}),
         OptionError, "'highs_options'"),
    Case("llvf-sn: lambdas a string", solve(contract_model, "llvf-sn",
                                            options={"lambdas": "abc"}),
         OptionError, "'lambdas'"),
    Case("llvf-sn: NaN among lambdas", solve(contract_model, "llvf-sn",
                                             options={"lambdas": (1.0, math.nan)}),
         OptionError, "'lambdas'"),
    Case("implicit: itd_step_size a string", solve(contract_model, "implicit",
                                                   options={"itd_step_size": "x"}),
         OptionError, "'itd_step_size'"),
    Case("llvf-cuts: max_cuts fractional", solve(linear_model, "llvf-cuts",
                                                 options={"max_cuts": 1.5}),
         OptionError, "'max_cuts'"),
    Case("verify_options: unknown key", solve(contract_model, verify_options={"foo": 1}),
         OptionError, "foo"),
    Case("verify_options: wrong type", solve(contract_model,
                                             verify_options={"feas_tol": "x"}),
         OptionError, "'feas_tol' of verify_options"),
    Case("verify_options: fractional n_starts",
         solve(contract_model, verify_options={"n_starts": 2.5}), OptionError, "'n_starts'"),
    Case("verify_options a list", solve(contract_model, verify_options=[1]),
         OptionError, "verify_options"),
    # --- time limit ----------------------------------------------------------------------
    Case("time_limit 0, auto", solve(contract_model, "auto", time_limit=0), OptionError,
         "time_limit"),
    Case("time_limit negative", solve(contract_model, time_limit=-1), OptionError,
         "time_limit"),
    Case("time_limit NaN", solve(contract_model, "auto", time_limit=math.nan), OptionError,
         "time_limit"),
    Case("time_limit a string", solve(contract_model, "auto", time_limit="10"),
         OptionError, "time_limit"),
    Case("time_limit a bool", solve(contract_model, time_limit=True), OptionError,
         "time_limit"),
    # --- compare -------------------------------------------------------------------------
    Case("compare: no methods", lambda: bmp.compare(contract_model(), []), OptionError,
         "empty"),
    Case("compare: a string of methods", lambda: bmp.compare(contract_model(), "kkt-fb"),
         OptionError, "list of method names"),
    Case("compare: unknown method", lambda: bmp.compare(contract_model(), ["kkt-fb", "x"]),
         OptionError, "'x'"),
    Case("compare: negative time_limit",
         lambda: bmp.compare(contract_model(), ["kkt-fb"], time_limit=-3), OptionError,
         "time_limit"),
    Case("compare: not a model", lambda: bmp.compare(None, ["kkt-fb"]), ModelError,
         "NoneType"),
    # --- BilevelProgram.from_functions ---------------------------------------------------
    Case("from_functions: vector f", from_functions(ny=2, f=lambda x, y: y), ModelError,
         "f must return a scalar"),
    Case("from_functions: vector F", from_functions(ny=2, F=lambda x, y: y), ModelError,
         "F must return a scalar"),
    Case("from_functions: ny = 0", from_functions(ny=0, f=F), ModelError, "ny"),
    Case("from_functions: nx = -1", from_functions(nx=-1, F=f), ModelError, "nx"),
    Case("from_functions: nx a string", from_functions(nx="2"), ModelError, "nx"),
    Case("from_functions: F raises", from_functions(F=lambda x, y: 1 / 0), ModelError,
         "F(x, y) raised ZeroDivisionError"),
    Case("from_functions: g indexes past y", from_functions(g=lambda x, y: [y[3]]),
         ModelError, "g(x, y) raised"),
    Case("from_functions: F returns a string", from_functions(F=lambda x, y: "x + y"),
         ModelError, "F must return numbers"),
    Case("from_functions: F not callable", from_functions(F=3.0), ModelError,
         "F must be a callable"),
    Case("from_functions: NaN bound", from_functions(x_bounds=([math.nan], [1])),
         ModelError, "x_bounds"),
    Case("from_functions: lb > ub", from_functions(y_bounds=([2], [1])), ModelError,
         "y_bounds: lower bound 2"),
    Case("from_functions: bound a string", from_functions(y_bounds=(["a"], [1])),
         ModelError, "y_bounds"),
    Case("from_functions: scalar bounds", from_functions(x_bounds=(0, 1)), ModelError,
         "x_bounds"),
    Case("from_functions: inf coefficient", from_functions(
        g=lambda x, y: [y[0] - 1, y[0] - math.inf * x[0]]), ModelError, "g[1]"),
    Case("from_functions: NaN in F", from_functions(F=lambda x, y: math.nan * x[0]),
         ModelError, "F holds"),
    Case("from_functions: x0 of the wrong length", from_functions(x0=[1, 2]), ModelError,
         "x0"),
    Case("from_functions: NaN in y0", from_functions(y0=[math.nan]), ModelError, "y0"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gives_a_typed_error_or_a_status(case: Case):
    if case.error is not None:
        with pytest.raises(case.error) as info:
            case.call()
        assert case.names in str(info.value)
        return
    result = case.call()
    assert result.termination in case.statuses, (result.termination, result.message)


def test_the_matrix_has_at_least_60_cases():
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)


# --- the command line ----------------------------------------------------------------------

MODEL_FILES = {
    "syntax error": ("def build(:\n    pass\n", "build", "line 1: syntax error"),
    "builder raises": ("def build():\n    return 1 / 0\n", "build",
                       "build() raised ZeroDivisionError: division by zero"),
    "import fails": ("import no_such_module_anywhere\n", "", "ModuleNotFoundError"),
    "missing function": ("x = 1\n", "build", "defines no 'build'"),
    "builder returns a number": ("def build():\n    return 3\n", "build", "is a int"),
}


@pytest.mark.parametrize("name", MODEL_FILES)
def test_cli_model_file_errors_are_one_line(name, tmp_path, capsys):
    text, function, expected = MODEL_FILES[name]
    path = tmp_path / "model.py"
    path.write_text(text)
    target = f"{path}:{function}" if function else str(path)
    assert main(["solve", target]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


CONTRACT_FILE = textwrap.dedent(
    """
    import pyomo.environ as pyo
    import bilevel_mp as bmp

    def build():
        m = pyo.ConcreteModel()
        m.x = pyo.Var(bounds=(0, 10))
        m.L = bmp.LowerLevel()
        m.L.y = pyo.Var(bounds=(0, None))
        m.L.obj = pyo.Objective(expr=(m.L.y - m.x) ** 2)
        m.obj = pyo.Objective(expr=m.x + m.L.y)
        return m
    """
)


@pytest.mark.parametrize("args, expected", [
    (["--method", "kkt-foo"], "unknown method 'kkt-foo'"),
    (["--method", "kkt-fb", "--option", "comp_tol=abc"], "'comp_tol'"),
])
def test_cli_bad_arguments_exit_2(args, expected, tmp_path, capsys):
    path = tmp_path / "model.py"
    path.write_text(CONTRACT_FILE)
    assert main(["solve", f"{path}:build", *args]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


@pytest.mark.parametrize("value", ["-3", "0", "abc", "nan"])
def test_cli_bad_time_limit_is_a_usage_error(value, tmp_path, capsys):
    path = tmp_path / "model.py"
    path.write_text(CONTRACT_FILE)
    with pytest.raises(SystemExit) as info:
        main(["solve", f"{path}:build", "--time-limit", value])
    assert info.value.code == 2
    assert "--time-limit" in capsys.readouterr().err


def test_cli_missing_file(tmp_path, capsys):
    assert main(["solve", str(tmp_path / "absent.py")]) == 2
    assert "no such file" in capsys.readouterr().err


# -- option objects check themselves, however they are made ------------------------------

@pytest.mark.parametrize(("cls", "field", "value"), [
    ("bilevel_mp.methods.homotopy:KKTOptions", "comp_tol", "abc"),
    ("bilevel_mp.methods.implicit:ImplicitOptions", "hypergradient", "fast"),
    ("bilevel_mp.methods.bigm:BigMOptions", "dual", "none"),
    ("bilevel_mp.methods.newton:NewtonMethodOptions", "max_iter", 2.5),
    ("bilevel_mp.checks.verify:VerifyOptions", "feas_tol", float("nan")),
    ("bilevel_mp.solvers.newton_driver:NewtonOptions", "least_squares", 1),
])
def test_option_objects_check_their_fields_at_construction(cls, field, value):
    module, name = cls.split(":")
    options_class = getattr(importlib.import_module(module), name)
    with pytest.raises(bmp.OptionError, match=f"option '{field}' of {name} must be"):
        options_class(**{field: value})
    with pytest.raises(bmp.OptionError, match=f"option '{field}' of {name}"):
        replace(options_class(), **{field: value})


def test_option_objects_convert_integral_numbers():
    from bilevel_mp.methods.homotopy import KKTOptions
    assert KKTOptions(max_stages=4.0).max_stages == 4
    assert isinstance(KKTOptions(max_stages=4.0).max_stages, int)
