"""One BOLIB example: its model module joined with its catalogue row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType

import numpy as np

from bilevel_mp import BilevelProgram
from bolib_problems._catalogue import parse_float, parse_vector

LIBRARY = (
    "BOLIB v2: S. Zhou, A.B. Zemkoho, A. Tin, BOLIB: Bilevel Optimization LIBrary of test "
    "problems, arXiv:1812.00230"
)


@dataclass(frozen=True, eq=False)
class Known:
    """The catalogue's record: best known values (``nan`` if unknown), point and status."""

    F_star: float
    f_star: float
    x_star: np.ndarray | None
    y_star: np.ndarray | None
    status: str


@dataclass(frozen=True, eq=False)
class Meta:
    """What the example is: catalogue facts and the model's dimensions and counts."""

    name: str
    index: int
    collection: str
    nx: int
    ny: int
    nG: int
    nH: int
    ng: int
    nh: int
    problem_class: str
    ll_convex_in_y: str
    source: str
    fixed_parameters: dict[str, object]
    remarks: str


def _frozen(values: np.ndarray) -> np.ndarray:
    """``values`` made read-only (records and start points are shared, cached data)."""
    values.setflags(write=False)
    return values


def constraint_counts(prog: BilevelProgram) -> dict[str, int]:
    """``nG, nH, ng, nh`` by the package's counting rule (finite bounds of ``x`` in ``nG``)."""
    x_bound_rows = int(np.isfinite(prog.x_lb).sum() + np.isfinite(prog.x_ub).sum())
    return {
        "nG": prog.G.numel() + x_bound_rows,
        "nH": prog.H.numel(),
        "ng": prog.g.numel(),
        "nh": prog.h.numel(),
    }


class Example:
    """A transcribed BOLIB example; see :mod:`bolib_problems` for the module format."""

    def __init__(self, name: str, module: ModuleType, row: Mapping[str, str]) -> None:
        self.name = name
        self.module = module
        self.row = row

    def __repr__(self) -> str:
        return f"<BOLIB example {self.row['bolib_index']} {self.name}>"

    @property
    def _dummy_x(self) -> int:
        """Leading catalogue entries that belong to the dummy ``x`` of simple programs."""
        return int(self.row["nx"]) if self.row["collection"] == "simple" else 0

    @property
    def _source(self) -> str:
        return f"{self.module.SOURCE} {LIBRARY}, example {self.row['bolib_index']} ({self.name})."

    def program(self) -> BilevelProgram:
        """The example as a bilevel program (built once; programs are immutable)."""
        return self._program

    @cached_property
    def _program(self) -> BilevelProgram:
        mod = self.module
        x0, y0 = self.start
        return BilevelProgram.from_functions(
            mod.NX, mod.NY, F=mod.F, f=mod.f,
            G=getattr(mod, "G", None), H=getattr(mod, "H", None),
            g=getattr(mod, "g", None), h=getattr(mod, "h", None),
            x_bounds=getattr(mod, "X_BOUNDS", None), y_bounds=getattr(mod, "Y_BOUNDS", None),
            x0=x0, y0=y0, source=self._source,
        )

    @cached_property
    def start(self) -> tuple[np.ndarray, np.ndarray]:
        """The library's start point ``(x0, y0)`` (read-only arrays)."""
        nx, ny = self.module.NX, self.module.NY
        given = getattr(self.module, "START", None)
        if given is not None:
            x0, y0 = (np.array(v, dtype=float) for v in given)
        else:
            xy0 = parse_vector(self.row["start_point_xy0"])
            if xy0 is None or xy0.size - self._dummy_x != nx + ny:
                raise ValueError(f"catalogue start point of {self.name} does not fit nx={nx}, "
                                 f"ny={ny}; the module must define START")
            x0, y0 = xy0[self._dummy_x:][:nx], xy0[self._dummy_x + nx:]
        return _frozen(x0), _frozen(y0)

    @cached_property
    def known(self) -> Known:
        """The catalogue's record."""
        y_star = parse_vector(self.row["y_star"])
        x_star = parse_vector(self.row["x_star"])
        if self._dummy_x and y_star is not None:
            x_star = np.zeros(0)
        return Known(
            F_star=parse_float(self.row["F_star"]), f_star=parse_float(self.row["f_star"]),
            x_star=None if x_star is None else _frozen(x_star),
            y_star=None if y_star is None else _frozen(y_star),
            status=self.row["status"],
        )

    @cached_property
    def meta(self) -> Meta:
        """Catalogue facts with the model's own dimensions and constraint counts."""
        row, mod = self.row, self.module
        notes = getattr(mod, "NOTES", "")
        remarks = "; ".join(r for r in (row["remarks"], notes and f"transcription: {notes}") if r)
        return Meta(
            name=self.name, index=int(row["bolib_index"]), collection=row["collection"],
            nx=mod.NX, ny=mod.NY, **constraint_counts(self.program()),
            problem_class=row["problem_class"], ll_convex_in_y=row["ll_convex_in_y"],
            source=self._source,
            fixed_parameters=dict(getattr(mod, "FIXED_PARAMETERS", {})),
            remarks=remarks,
        )
