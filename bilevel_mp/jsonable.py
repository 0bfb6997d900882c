"""Conversion of results to JSON-safe values (``json.dumps(..., allow_nan=False)`` works).

The rules, applied recursively by :func:`to_jsonable`:

- an :class:`~enum.Enum` member: its name (``"LOCALLY_SOLVED"``);
- a float (Python or NumPy): itself when finite; ``nan`` becomes ``None`` (JSON ``null``);
  ``inf`` and ``-inf`` become the strings ``"inf"`` and ``"-inf"`` (``float("inf")`` reads
  them back). An infinite value means something here: ``ll_gap = inf`` says the lower
  level at x̂ is infeasible or unbounded, a lower bound ``-inf`` that none is known;
- NumPy integers and booleans: ``int`` and ``bool``; arrays: nested lists;
- dicts: dicts with string keys (an enum key by its name, any other key by ``str``);
  lists, tuples and sets: lists;
- dataclass instances (e.g. :class:`~bilevel_mp.status.Proof`): dicts of their fields;
- ``None``, ``bool``, ``int``, ``str``: themselves; anything else: its ``str``.
"""

from __future__ import annotations

import dataclasses
import math
from enum import Enum
from typing import Any

import numpy as np

JSONValue = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]
"""What :func:`to_jsonable` returns."""


def json_float(value: float) -> float | str | None:
    """A float as JSON: finite as is, ``nan`` as ``None``, ``±inf`` as ``"inf"`` /
    ``"-inf"``."""
    value = float(value)
    if math.isnan(value):
        return None
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def to_jsonable(value: Any) -> JSONValue:
    """``value`` made of JSON types only, by the rules of the module docstring."""
    if isinstance(value, Enum):
        return value.name
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return json_float(value)
    if isinstance(value, np.ndarray):
        return [to_jsonable(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {_key(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return str(value)


def _key(key: Any) -> str:
    return key.name if isinstance(key, Enum) else key if isinstance(key, str) else str(key)
