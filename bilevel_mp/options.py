"""Validation of option dictionaries against frozen dataclasses.

Every value given is checked against the annotation of its field when the options object
is made (not deep inside a method): ``float`` accepts any finite real number (an ``int``
too, but not a ``bool``), ``int`` an integral number, ``bool`` only ``True``/``False``,
``dict`` a mapping, ``tuple[float, ...]`` a sequence of finite numbers, ``Literal[...]``
one of its values, and ``X | None`` either. Numbers are converted to the annotated type,
so ``max_iter=1e3`` from the command line becomes the integer 1000.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import numbers
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from bilevel_mp.errors import OptionError

DEFAULT_TIME_LIMIT = 300.0
"""Seconds that ``auto`` and the global methods (``kkt-bigm``, ``kkt-sos1``, ``llvf-cuts``)
get when the caller gives no ``time_limit``. Their loops (branch and bound, cut rounds,
Big-M enlargements, the ``auto`` portfolio) can run for hours on a small non-convex model
(``llvf-cuts`` on a coupled 10 + 10 variable one: over 10 minutes). Five times the 60 s per
method of ``bilevel-mp bench`` leaves room for hard instances and is still short enough to
wait for at a prompt. ``time_limit=None`` lifts it."""

T = TypeVar("T")


class _Mismatch(Exception):
    """A value does not conform to an annotation (internal to this module)."""


class CheckedOptions:
    """Base of the option dataclasses: every public field is checked against its
    annotation when the object is made, however it is made (:func:`make_options`, the
    constructor, ``dataclasses.replace``), and numbers are converted to the annotated
    type. A wrong value is an :class:`~bilevel_mp.errors.OptionError` that names the
    field and the class."""

    def __post_init__(self) -> None:
        hints = _hints(type(self))
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            if not f.name.startswith("_"):
                object.__setattr__(self, f.name, _checked_value(
                    f.name, getattr(self, f.name), hints[f.name], type(self).__name__))


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def make_options(cls: type[T], given: Mapping[str, Any] | None, what: str) -> T:
    """Instantiate the options dataclass ``cls`` from ``given``.

    Parameters
    ----------
    cls
        A dataclass whose fields are the options.
    given
        Option values by name (``None``: all defaults).
    what
        What the options belong to, for messages (e.g. ``"method 'kkt-scholtes'"``).

    Raises
    ------
    OptionError
        When ``given`` is not a mapping, on an unknown key (listing the valid ones with
        their defaults), and on a value of the wrong type (naming the option, the
        expected type and the value).
    """
    if given is None:
        given = {}
    if not isinstance(given, Mapping):
        raise OptionError(f"options for {what} must be a dict of name -> value, got "
                          f"{type(given).__name__} {given!r}")
    valid = {f.name: f for f in dataclasses.fields(cls) if not f.name.startswith("_")}
    unknown = sorted(map(str, set(given) - set(valid)))
    if unknown:
        raise OptionError(f"unknown option(s) {', '.join(unknown)} for {what}; "
                          f"valid options: {option_listing(cls)}")
    hints = _hints(cls)
    checked = {name: _checked_value(name, value, hints[name], what)
               for name, value in given.items()}
    return cls(**checked)


def option_listing(cls: type) -> str:
    """``name=default, ...`` for the public fields of the options dataclass ``cls``."""
    return ", ".join(f"{f.name}={_default_of(f)!r}" for f in dataclasses.fields(cls)
                     if not f.name.startswith("_"))


def _default_of(f: dataclasses.Field) -> Any:
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return f.default


def _checked_value(name: str, value: Any, annotation: Any, what: str) -> Any:
    try:
        return _conform(value, annotation)
    except _Mismatch:
        raise OptionError(f"option {name!r} of {what} must be {describe_type(annotation)}, "
                          f"got {value!r} ({type(value).__name__})") from None


def _conform(value: Any, annotation: Any) -> Any:
    """``value`` converted to ``annotation``; :class:`_Mismatch` when it does not fit."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(annotation):
            try:
                return _conform(value, option)
            except _Mismatch:
                continue
        raise _Mismatch
    if origin is typing.Literal:
        if value in typing.get_args(annotation) and not isinstance(value, bool):
            return value
        raise _Mismatch
    if origin is tuple:
        return _conform_tuple(value, typing.get_args(annotation))
    checker = _SCALAR_CHECKS.get(origin or annotation)
    return value if checker is None else checker(value)


def _conform_none(value: Any) -> None:
    if value is not None:
        raise _Mismatch


def _conform_float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _Mismatch
    if not math.isfinite(value):
        raise _Mismatch
    return float(value)


def _conform_int(value: Any) -> int:
    number = _conform_float(value)
    if not number.is_integer():
        raise _Mismatch
    return int(number)


def _conform_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Mismatch
    return value


def _conform_str(value: Any) -> str:
    if not isinstance(value, str):
        raise _Mismatch
    return value


def _conform_dict(value: Any) -> dict:
    if not isinstance(value, Mapping):
        raise _Mismatch
    return dict(value)


def _conform_tuple(value: Any, args: tuple) -> tuple:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise _Mismatch
    if len(args) == 2 and args[1] is Ellipsis:
        return tuple(_conform(v, args[0]) for v in value)
    if len(args) != len(value):
        raise _Mismatch
    return tuple(_conform(v, a) for v, a in zip(value, args, strict=True))


_SCALAR_CHECKS = {
    type(None): _conform_none, float: _conform_float, int: _conform_int,
    bool: _conform_bool, str: _conform_str, dict: _conform_dict,
}
"""Annotation -> conversion of a value to it (annotations not listed accept anything)."""


def describe_type(annotation: Any) -> str:
    """A reader's name of an option's annotation: ``"a finite number or None"``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(describe_type(a) for a in typing.get_args(annotation))
    if origin is typing.Literal:
        return "one of " + ", ".join(map(repr, typing.get_args(annotation)))
    if origin is tuple:
        args = typing.get_args(annotation)
        if len(args) == 2 and args[1] is Ellipsis:
            return f"a sequence of ({describe_type(args[0])})"
        return f"a sequence of {len(args)} values"
    return _TYPE_NAMES.get(origin or annotation, getattr(annotation, "__name__",
                                                          str(annotation)))


_TYPE_NAMES = {
    type(None): "None", float: "a finite number", int: "an integer",
    bool: "True or False", str: "a string", dict: "a dict",
}
