"""BOLIB v2 test problems as ``bilevel_mp`` programs.

BOLIB (Zhou, Zemkoho, Tin: "BOLIB: Bilevel Optimization LIBrary of test problems",
arXiv:1812.00230, version 2) has 173 examples in three collections: 138 nonlinear, 24
linear and 11 simple bilevel programs. This package re-writes them as Python models, each
joined with its record in ``data/catalogue.csv`` (dimensions, best known values and
point, status, start point, remarks)::

    import bolib_problems
    bolib_problems.names("linear")          # transcribed names, in BOLIB order
    ex = bolib_problems.load("Bard1984a")
    prog = ex.program()                     # a bilevel_mp.BilevelProgram
    ex.known.F_star, ex.start, ex.meta.nG

Model modules
-------------
One module per example (``linear/``, ``simple/``, later ``nonlinear/``), registered in
:mod:`bolib_problems._registry`. Its docstring gives the source and the problem in
mathematical form; it defines

* ``SOURCE`` (citation), ``NX``, ``NY``;
* ``F(x, y)``, ``f(x, y)`` and, where present, ``G``, ``H``, ``g``, ``h``: functions of
  CasADi column vectors returning a scalar or a list of rows, ``G, g <= 0``, ``H, h = 0``;
* optionally ``X_BOUNDS``, ``Y_BOUNDS`` (``(lower, upper)`` lists, ``None`` = no bound),
  ``FIXED_PARAMETERS`` (values the library fixes in its code), ``START`` (``(x0, y0)``
  where the catalogue's start point cannot be used as it is) and ``NOTES`` (what the
  transcription found; appended to ``meta.remarks``).

Transcription rules
-------------------
* The library codes every constraint as ``<= 0`` and an equality as two inequalities.
  Here an equality is a row of ``H``/``h``; a row that bounds one variable of the level
  owning it becomes a bound: ``G`` rows bounding ``x`` go to ``X_BOUNDS``, ``g`` rows
  bounding ``y`` go to ``Y_BOUNDS`` (``bilevel_mp`` appends them to ``g``). A ``G`` row
  that bounds ``y`` stays in ``G`` (it restricts the leader's choice among follower
  optima); a ``g`` row in ``x`` only stays in ``g``, as in the library.
* Counting rule, so that the counts equal the catalogue's true counts ``nG, nH, ng, nh``:
  ``nG`` = rows of ``G`` + finite bounds of ``x`` (each side one row), ``ng`` = rows of
  ``g`` including the bound rows of ``y``, ``nH``/``nh`` = rows of ``H``/``h``. The
  ``meta`` counts are those of the model (:func:`constraint_counts`).
* Simple bilevel programs have no upper-level variable: the library carries a dummy
  ``x`` (catalogue ``nx = 1``, one leading entry in the start point, blank ``x_star``);
  here ``nx = 0``, the dummy entry of the start point is dropped and ``x_star`` is an
  empty array where ``y_star`` is recorded.
* Records are kept as the catalogue has them, errata included (see the catalogue README
  and each example's ``meta.remarks``).
"""

from __future__ import annotations

from bolib_problems._catalogue import catalogue
from bolib_problems._example import Example, Known, Meta, constraint_counts
from bolib_problems._registry import load, names, representative

__all__ = [
    "Example", "Known", "Meta", "catalogue", "constraint_counts", "load", "names",
    "representative",
]
