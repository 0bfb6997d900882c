"""Validation of option dictionaries against frozen dataclasses."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

from bilevel_mp.errors import OptionError

T = TypeVar("T")


def make_options(cls: type[T], given: dict[str, Any] | None, what: str) -> T:
    """Instantiate the options dataclass ``cls`` from ``given``.

    Raises
    ------
    OptionError
        On an unknown key, listing the valid ones with their defaults.
    """
    given = dict(given or {})
    valid = {f.name: f for f in fields(cls)}
    unknown = sorted(set(given) - set(valid))
    if unknown:
        listing = ", ".join(f"{name}={f.default!r}" for name, f in valid.items()
                            if not name.startswith("_"))
        raise OptionError(f"unknown option(s) {', '.join(unknown)} for {what}; "
                          f"valid options: {listing}")
    try:
        return cls(**given)
    except (TypeError, ValueError) as exc:
        raise OptionError(f"invalid option for {what}: {exc}") from exc
