"""The BOLIB v2 catalogue (``data/catalogue.csv``): one row of strings per example."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

import numpy as np

COLLECTIONS = ("linear", "nonlinear", "simple")
_CHECK_ITEM = re.compile(r"(\w+)=([-+0-9.eE]+)")


@cache
def catalogue() -> Mapping[str, Mapping[str, str]]:
    """All 173 catalogue rows by BOLIB name, in BOLIB order (read-only)."""
    text = resources.files("bolib_problems").joinpath("data", "catalogue.csv").read_text()
    rows = csv.DictReader(io.StringIO(text))
    return MappingProxyType({r["name"]: MappingProxyType(dict(r)) for r in rows})


def parse_float(text: str) -> float:
    """A catalogue number; ``nan`` where blank."""
    return float(text) if text.strip() else float("nan")


def parse_vector(text: str) -> np.ndarray | None:
    """A ``;``-separated catalogue vector; ``None`` where blank."""
    if not text.strip():
        return None
    return np.array([float(v) for v in text.split(";")], dtype=float)


def parse_check(text: str) -> dict[str, float] | None:
    """The ``check_at_recorded_point`` column as ``{key: value}``; ``None`` if blank.

    E.g. ``F=5;f=0;maxviol=0``; hand-evaluated rows add words after a value
    (``f=0 at recorded point (hand-evaluated)``), which are ignored.
    """
    if not text.strip():
        return None
    return {key: float(value) for key, value in _CHECK_ITEM.findall(text)}
