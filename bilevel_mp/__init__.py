"""bilevel_mp: classical bilevel mathematical programming on Pyomo models.

Write the upper level as a Pyomo model and the lower level as a :class:`LowerLevel`
block inside it, then call :func:`solve`. Every answer is verified by re-solving the
lower level at the returned upper-level point.

Importing the package loads no solver and no modeling layer: each public name is imported on
first use (:mod:`lazy_loader`, from the names of ``__init__.pyi``), so ``import bilevel_mp``
and ``bilevel-mp --help`` are quick, and ``bilevel_mp.solve`` brings in CasADi, Pyomo and
the solvers when it is first touched.
"""

import logging

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)

__version__ = "0.1.0"

logging.getLogger("bilevel_mp").addHandler(logging.NullHandler())
