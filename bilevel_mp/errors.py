"""Typed error hierarchy of bilevel_mp.

Every exception the library raises on purpose derives from :class:`BilevelError`.
Non-convergence of a solver is *not* an exception: it is reported as a
:class:`~bilevel_mp.status.TerminationStatus` on the result, unless the caller asks
for ``raise_on_failure=True``.
"""

from __future__ import annotations


class BilevelError(Exception):
    """Root of all errors raised by bilevel_mp."""


class ModelError(BilevelError):
    """The model is malformed or uses something the compiler does not support.

    The message always names the offending component.
    """


class ReformulationNotApplicable(BilevelError):
    """A reformulation cannot be applied to this problem; ``reason`` says why."""

    def __init__(self, reformulation: str, reason: str) -> None:
        self.reformulation = reformulation
        self.reason = reason
        super().__init__(f"{reformulation} is not applicable: {reason}")

    @classmethod
    def unless(cls, reformulation: str, verdict: tuple[bool, str]) -> None:
        """Raise for ``reformulation`` when ``verdict`` (an ``accepts`` answer
        ``(ok, reason)``) says no."""
        ok, reason = verdict
        if not ok:
            raise cls(reformulation, reason)


class SolverUnavailable(BilevelError):
    """A back-end is not installed; the message says what to install."""


class ExportError(BilevelError):
    """A single-level model cannot be written in the requested file format; the message
    names the component in the way and the formats that can hold it."""


class OptionalDependencyError(SolverUnavailable, ImportError):
    """An optional library (pandas, matplotlib: extra ``report``) that a feature needs is
    not installed; the message names the extra to install. Also an :class:`ImportError`."""


class NoSolutionError(BilevelError):
    """Raised on ``raise_on_failure=True`` when a method returns no usable point."""


class SensitivityError(BilevelError, ValueError):
    """A derivative of a solved program cannot be computed from the arguments given: a
    result without a point or without its program, a parameter the program does not have
    (or one it holds as a number), a gradient or direction of the wrong size. The message
    names the offender. Also a :class:`ValueError`."""


class OptionError(BilevelError):
    """An unknown method or option, or an invalid option value; lists the valid ones."""


class BilevelWarning(UserWarning):
    """Base class of the warnings bilevel_mp emits."""


class NonsmoothWarning(BilevelWarning):
    """The model contains a nonsmooth function (e.g. ``abs``)."""


class DegenerateWarning(BilevelWarning):
    """A gradient was taken at a degenerate point, where the solution is not differentiable
    (see :class:`~bilevel_mp.differentiation.Sensitivity`): what was used instead is
    said in the message."""


class ConvexityWarning(BilevelWarning):
    """A method that needs a convex lower level runs on one not proven convex."""
