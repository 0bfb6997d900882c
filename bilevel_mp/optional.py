"""Imports of optional libraries, with a typed error that names the extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

from bilevel_mp.errors import OptionalDependencyError


def import_optional(module: str, purpose: str, extra: str = "report") -> ModuleType:
    """``importlib.import_module(module)``, or an :class:`OptionalDependencyError` saying
    that ``purpose`` needs it and which extra of bilevel_mp installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise OptionalDependencyError(
            f"{purpose} needs {module.split('.')[0]}, which is not installed: "
            f"pip install 'bilevel_mp[{extra}]'") from None
