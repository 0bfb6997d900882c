"""Models defined in the user's Python files.

``bilevel-mp solve FILE.py[:NAME]`` loads one model (:func:`load_model`);
``bilevel-mp bench --models FILE.py[:NAME,...]`` and ``bilevel_mp.bench("FILE.py", ...)``
load several (:func:`model_builders`). The file is run as a script (``__name__`` is
``"__bilevel_mp_model__"``, so an ``if __name__ == "__main__":`` block does not run).

Which models a file offers, in this order:

1. the names after the colon, ``FILE.py:build_a,build_b`` (each a model or a function
   returning one);
2. else ``MODELS``, when the file defines it: a dict ``{name: model or builder}`` or a
   list of builder functions (named by their ``__name__``);
3. else every public top-level function of the file whose name starts with ``build``
   (named by the function name), and every public top-level Pyomo model or
   ``BilevelProgram`` (named by its variable), in the order the file defines them.

A builder is called with no argument and returns a Pyomo model with ``LowerLevel`` blocks
or a ``BilevelProgram``. Code of the file that raises is a one-line
:class:`~bilevel_mp.errors.ModelError` naming the file and line.
"""

from __future__ import annotations

import runpy
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bilevel_mp.errors import BilevelError, ModelError
from bilevel_mp.ir.program import BilevelProgram

RUN_NAME = "__bilevel_mp_model__"
"""``__name__`` of a model file while it runs."""

Builder = Callable[[], Any]
"""A function of no argument returning a model."""


def is_model(obj: object) -> bool:
    """Whether ``obj`` is a ``BilevelProgram`` or a Pyomo block (a model)."""
    return isinstance(obj, BilevelProgram) or hasattr(obj, "component_data_objects")


def run_user_code(path: str, what: str, fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` for code of the user's model file: an exception there is a
    :class:`ModelError` of one line naming the file and line, not a traceback."""
    try:
        return fn(*args, **kwargs)
    except SyntaxError as exc:
        raise ModelError(f"{path}, line {exc.lineno}: syntax error: {exc.msg}") from None
    except Exception as exc:  # noqa: BLE001 (the user's code can raise anything)
        where = _user_line(exc, path)
        raise ModelError(f"{what} raised {type(exc).__name__}: "
                         f"{' '.join(str(exc).split())}{where}") from None


def _user_line(exc: BaseException, path: str) -> str:
    """`` (FILE, line N)`` of the innermost frame of ``exc`` in the file ``path``."""
    target = Path(path).resolve()
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__)
             if Path(frame.filename).resolve() == target]
    return f" ({path}, line {lines[-1]})" if lines else ""


def _run_file(path: str) -> dict[str, Any]:
    if not Path(path).is_file():
        raise BilevelError(f"no such file: {path}")
    return run_user_code(path, f"running {path}", runpy.run_path, path, run_name=RUN_NAME)


def load_model(target: str) -> Any:
    """``FILE.py[:NAME]`` -> a model; NAME may be a model or a function returning one.

    Without NAME: the file's only public model, else the first of ``model``,
    ``build_model``, ``m`` that it defines.

    Raises
    ------
    BilevelError
        When the file or the name does not exist or is not a model.
    ModelError
        When the file's code raises.
    """
    path, _, name = target.partition(":")
    namespace = _run_file(path)
    if name:
        if name not in namespace:
            raise BilevelError(f"{path} defines no {name!r}")
        obj = namespace[name]
    else:
        obj = _default_model(namespace, path)
    if callable(obj) and not is_model(obj):
        obj = run_user_code(path, f"{target}()", obj)
    if not is_model(obj):
        raise BilevelError(f"{target} is a {type(obj).__name__}, not a Pyomo model, a "
                           "BilevelProgram or a function returning one")
    return obj


def _default_model(namespace: dict, path: str) -> Any:
    models = {k: v for k, v in namespace.items() if is_model(v) and not k.startswith("_")}
    if len(models) == 1:
        return next(iter(models.values()))
    for key in ("model", "build_model", "m"):
        if key in namespace:
            return namespace[key]
    found = ", ".join(models) or "none"
    raise BilevelError(f"{path}: name the model as FILE.py:NAME (models found: {found})")


def model_builders(target: str) -> dict[str, Builder]:
    """``FILE.py[:NAME,NAME,...]`` -> ``{name: builder}`` by the convention of the module
    docstring; each builder runs the user's code when called (a
    :class:`ModelError` naming the file if it raises or returns no model).

    Raises
    ------
    BilevelError
        When the file does not exist, a name is missing, or the file offers no model.
    ModelError
        When running the file raises.
    """
    path, _, names = target.partition(":")
    namespace = _run_file(path)
    if names:
        wanted = [n.strip() for n in names.split(",") if n.strip()]
        missing = [n for n in wanted if n not in namespace]
        if missing:
            raise BilevelError(f"{path} defines no {', '.join(map(repr, missing))}")
        found = {n: namespace[n] for n in wanted}
    elif "MODELS" in namespace:
        found = _declared(namespace["MODELS"], path)
    else:
        found = {k: v for k, v in namespace.items() if not k.startswith("_") and (
            is_model(v) or (callable(v) and k.startswith("build")
                            and getattr(v, "__module__", None) == RUN_NAME))}
    if not found:
        raise BilevelError(
            f"{path} offers no model: define functions named build... that return one, "
            "module-level models, or MODELS = {name: builder}")
    return {name: _builder(path, name, obj) for name, obj in found.items()}


def _declared(declared: object, path: str) -> dict[str, Any]:
    """The ``MODELS`` of a model file as ``{name: model or builder}``."""
    if isinstance(declared, dict):
        return {str(k): v for k, v in declared.items()}
    if isinstance(declared, list | tuple) and all(callable(v) for v in declared):
        return {getattr(v, "__name__", f"model_{i}"): v for i, v in enumerate(declared)}
    raise BilevelError(f"{path}: MODELS must be a dict {{name: model or builder}} or a "
                       f"list of builder functions, got {type(declared).__name__}")


def _builder(path: str, name: str, obj: Any) -> Builder:
    """A builder for ``obj`` (a model, or a function returning one)."""
    if is_model(obj):
        return lambda: obj
    if not callable(obj):
        raise BilevelError(f"{path}: {name} is a {type(obj).__name__}, not a model or a "
                           "function returning one")

    def build() -> Any:
        model = run_user_code(path, f"{path}:{name}()", obj)
        if not is_model(model):
            raise ModelError(f"{path}:{name}() returned a {type(model).__name__}, not a "
                             "Pyomo model or a BilevelProgram")
        return model
    return build
