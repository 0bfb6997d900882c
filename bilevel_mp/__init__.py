"""bilevel_mp: classical bilevel mathematical programming on Pyomo models.

Write the upper level as a Pyomo model and the lower level as a :class:`LowerLevel`
block inside it, then call :func:`solve`. Every answer is verified by re-solving the
lower level at the returned upper-level point.
"""

import logging

from bilevel_mp.api import compare, solve
from bilevel_mp.bench.user_models import BenchResult, bench
from bilevel_mp.checks.verify import VerifyOptions
from bilevel_mp.comparison import Comparison, ResultRow
from bilevel_mp.differentiation import (
    Derivatives,
    DirectionalDerivative,
    ParameterGradient,
    PerturbedGradient,
    Sensitivity,
    SensitivityOptions,
    jvp,
    perturbed_gradient,
    sensitivity,
    vjp,
)
from bilevel_mp.errors import (
    BilevelError,
    BilevelWarning,
    ConvexityWarning,
    DegenerateWarning,
    ExportError,
    ModelError,
    NonsmoothWarning,
    NoSolutionError,
    OptionalDependencyError,
    OptionError,
    ReformulationNotApplicable,
    SensitivityError,
    SolverUnavailable,
)
from bilevel_mp.export.model import ExportInfo, SingleLevelModel
from bilevel_mp.export.reformulate import load_solution, reformulate
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.ir.structure import Structure, analyze
from bilevel_mp.methods.bigm import BigMOptions
from bilevel_mp.methods.homotopy import KKTOptions
from bilevel_mp.methods.registry import method_descriptions as methods
from bilevel_mp.modeling.bigm_hints import set_big_m
from bilevel_mp.modeling.compile import compile_pyomo
from bilevel_mp.modeling.lower_level import LowerLevel
from bilevel_mp.progress import BenchEvent, IterationEvent, MethodEvent, ProgressEvent
from bilevel_mp.result import BilevelResult
from bilevel_mp.status import (
    PrimalStatus,
    Proof,
    ProofKind,
    Stationarity,
    TerminationStatus,
    Verification,
)

__version__ = "0.1.0"

logging.getLogger("bilevel_mp").addHandler(logging.NullHandler())

__all__ = [
    "BigMOptions", "BilevelError", "BilevelProgram", "BilevelResult", "BilevelWarning",
    "BenchEvent", "BenchResult", "Comparison", "ConvexityWarning", "DegenerateWarning",
    "Derivatives", "DirectionalDerivative", "ExportError", "ExportInfo", "IterationEvent",
    "KKTOptions", "LowerLevel", "MethodEvent", "ModelError", "NoSolutionError",
    "NonsmoothWarning", "OptionError", "OptionalDependencyError", "ParameterGradient",
    "PerturbedGradient",
    "PrimalStatus", "ProgressEvent", "Proof", "ProofKind", "ReformulationNotApplicable",
    "ResultRow", "Sensitivity", "SensitivityError", "SensitivityOptions", "SingleLevelModel",
    "SolverUnavailable", "Stationarity", "Structure", "TerminationStatus", "Verification",
    "VerifyOptions", "analyze", "bench", "compare", "compile_pyomo", "jvp", "load_solution",
    "methods", "perturbed_gradient", "reformulate", "sensitivity", "set_big_m", "solve", "vjp",
]
