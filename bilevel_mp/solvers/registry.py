"""Back-ends by name."""

from __future__ import annotations

from bilevel_mp.errors import OptionError, SolverUnavailable
from bilevel_mp.solvers.base import Backend
from bilevel_mp.solvers.ipopt import IpoptBackend
from bilevel_mp.solvers.ipopt_cyipopt import CyipoptBackend

BACKENDS: dict[str, type[Backend]] = {"ipopt": IpoptBackend, "cyipopt": CyipoptBackend}
"""NLP back-ends selectable with ``solver=``."""

DEFAULT_SOLVER = "ipopt"
"""The NLP back-end used when the caller names none."""


def get_backend(name: str) -> Backend:
    """The back-end called ``name``.

    Raises
    ------
    OptionError
        For an unknown name (lists the valid ones).
    SolverUnavailable
        When it is not installed (says what to install).
    """
    if name not in BACKENDS:
        raise OptionError(f"unknown solver {name!r}; valid solvers: {', '.join(BACKENDS)}")
    backend = BACKENDS[name]()
    ok, hint = backend.available()
    if not ok:
        raise SolverUnavailable(f"solver {name!r} is not available: {hint}")
    return backend
