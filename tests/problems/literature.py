"""Thirty BOLIB examples written as ``bilevel_mp`` Pyomo models: the Pyomo path on
classical bilevel programs with known optima.

The registry :data:`PROBLEMS` is a fixed test set: each entry builds a fresh
``ConcreteModel`` (upper level in the model, lower level in one ``LowerLevel`` block).
The one source of truth is the shipped library :mod:`bolib_problems`: each entry is
the example of the same name there (``problem.example``), its record (``F_star``, the
point) is that example's catalogue record, and
``tests/problems/test_literature_records.py`` checks that the Pyomo model compiles to
the same program (the same objective values and the same feasible set at the record and
at random points). ``test_literature_solve.py`` runs the solution methods against the
records.

The formulas are written in natural Pyomo form (convention ``G <= 0``, ``g <= 0``
inside the library):

* a BOLIB row that is a plain bound on one variable becomes a ``Var`` bound when it sits
  in the level that owns the variable (bounds of lower-level variables are lower-level
  constraints in ``bilevel_mp``);
* a bound on a lower-level variable listed among the *upper-level* rows ``G`` stays an
  upper-level ``Constraint`` (it restricts the leader's choice among follower optima);
* a lower-level row that involves ``x`` only is written as an upper-level constraint:
  for the optimistic bilevel program this is equivalent (the follower's problem is
  infeasible exactly where the row fails). Each such move is stated in ``notes``.

Each example's catalogue point was checked to be a global optimum before the example
entered this set, by a brute-force search (grid over ``x``; at each grid point the lower
level solved by LP, in closed form, or on a dense grid of ``y``) or, for
DempeFranke2011Ex41, BardBook1998 and MitsosBarton2006Ex38, by a short argument given in
the notes or docstring. Catalogue records that fail such a check are left out:

* AiyoshiShimizu1984Ex2 (F* = 5 at (25, 30, 5, 10)): (x, y) = (0, 0, -10, -10) is
  bilevel feasible with F = 0;
* FalkLiu1995 (F* = -2.1962 at x = y = (0.866, 0.866)): x = y = (0.75, 0.75) is
  bilevel feasible with F = -2.25;
* MitsosBarton2006Ex318 (F* = -0.25 at (0.5, 0)): (x, y) = (1, 0) is bilevel feasible
  with F = -1;
* DempeDutta2012Ex31 (F* = -1): x = (1, 1) leaves the single follower point y = (0, 2),
  F = -2;
* DempeFranke2011Ex42 (erratum 1 of the catalogue README), records marked "best known"
  (status 2, e.g. the Outrata examples) and records without a point (Bard1988Ex2/Ex3).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyomo.environ as pyo

import bilevel_mp as bmp
import bolib_problems


@dataclass(frozen=True)
class LiteratureProblem:
    """One BOLIB example as a Pyomo model; its record is the shipped example's.

    ``ll_convex`` says whether the lower level is convex in y (known from the formulas,
    not from the library's analysis, which the tests check against it)."""

    name: str
    build: Callable[[], pyo.ConcreteModel]
    ll_convex: bool
    notes: str = ""

    @property
    def example(self) -> bolib_problems.Example:
        """The example of the same name in the shipped library."""
        return bolib_problems.load(self.name)

    @property
    def F_star(self) -> float:
        """The catalogue's best known upper-level value."""
        return self.example.known.F_star


# --------------------------------------------------------------------------------------
# Linear-linear problems (BOLIB, linear collection)
# --------------------------------------------------------------------------------------


def anandalingham_white_1990() -> pyo.ConcreteModel:
    """Anandalingham & White (1990); BOLIB linear #139."""
    m = pyo.ConcreteModel(name="AnandalinghamWhite1990")
    m.x = pyo.Var(bounds=(0, None))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(0, None))
    m.L.obj = pyo.Objective(expr=3 * m.L.y - m.x)
    m.L.c1 = pyo.Constraint(expr=m.x + 2 * m.L.y >= 10)
    m.L.c2 = pyo.Constraint(expr=m.x - 2 * m.L.y <= 6)
    m.L.c3 = pyo.Constraint(expr=2 * m.x - m.L.y <= 21)
    m.L.c4 = pyo.Constraint(expr=m.x + 2 * m.L.y <= 38)
    m.L.c5 = pyo.Constraint(expr=-m.x + 2 * m.L.y <= 18)
    m.obj = pyo.Objective(expr=-m.x - 3 * m.L.y)
    return m


def bard_1984a() -> pyo.ConcreteModel:
    """Bard (1984), example a; BOLIB linear #140."""
    m = pyo.ConcreteModel(name="Bard1984a")
    m.x = pyo.Var(bounds=(0, None))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(0, None))
    m.L.obj = pyo.Objective(expr=-5 * m.x - m.L.y)
    m.L.c1 = pyo.Constraint(expr=m.x + 0.5 * m.L.y >= 2)
    m.L.c2 = pyo.Constraint(expr=-0.25 * m.x + m.L.y <= 2)
    m.L.c3 = pyo.Constraint(expr=m.x + 0.5 * m.L.y <= 8)
    m.L.c4 = pyo.Constraint(expr=m.x - 2 * m.L.y <= 4)
    m.obj = pyo.Objective(expr=m.x + m.L.y)
    return m


def bard_1991_ex2() -> pyo.ConcreteModel:
    """Bard (1991), Example 2; BOLIB linear #142."""
    m = pyo.ConcreteModel(name="Bard1991Ex2")
    m.x = pyo.Var(bounds=(0, None))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var([1, 2], bounds=(0, None))
    y = m.L.y
    m.L.obj = pyo.Objective(expr=-y[1] - y[2])
    m.L.c1 = pyo.Constraint(expr=m.x + y[1] <= 1)
    m.L.c2 = pyo.Constraint(expr=m.x + y[2] <= 1)
    m.L.c3 = pyo.Constraint(expr=y[1] + y[2] <= 1)
    m.obj = pyo.Objective(expr=-m.x + 10 * y[1] - y[2])
    return m


def bard_falk_1982_ex2() -> pyo.ConcreteModel:
    """Bard & Falk (1982), Example 2; BOLIB linear #143."""
    m = pyo.ConcreteModel(name="BardFalk1982Ex2")
    m.x = pyo.Var([1, 2], bounds=(0, None))
    x = m.x
    m.c_x = pyo.Constraint(expr=x[1] + x[2] <= 2)
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var([1, 2], bounds=(0, None))
    y = m.L.y
    m.L.obj = pyo.Objective(expr=x[1] + x[2] - 4 * y[1] + y[2])
    m.L.c1 = pyo.Constraint(expr=-2 * x[1] + y[1] - y[2] <= -2.5)
    m.L.c2 = pyo.Constraint(expr=x[1] - 3 * x[2] + y[2] <= 2)
    m.obj = pyo.Objective(expr=-2 * x[1] + x[2] + 0.5 * y[1])
    return m


def bialas_karwan_1984a() -> pyo.ConcreteModel:
    """Bialas & Karwan (1984), example a; BOLIB linear #146."""
    m = pyo.ConcreteModel(name="BialasKarwan1984a")
    m.x = pyo.Var(bounds=(0, None))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var([1, 2], bounds=(0, None))
    y = m.L.y
    m.L.obj = pyo.Objective(expr=-y[2])
    m.L.c1 = pyo.Constraint(expr=m.x + y[1] + y[2] <= 3)
    m.L.c2 = pyo.Constraint(expr=m.x + y[1] - y[2] >= 1)
    m.L.c3 = pyo.Constraint(expr=-m.x + y[1] + y[2] <= 1)
    m.L.c4 = pyo.Constraint(expr=m.x - y[1] + y[2] <= 1)
    m.L.c5 = pyo.Constraint(expr=y[2] <= 0.5)
    m.obj = pyo.Objective(expr=-m.x - y[2])
    return m


def candler_townsley_1982() -> pyo.ConcreteModel:
    """Candler & Townsley (1982); BOLIB linear #148."""
    m = pyo.ConcreteModel(name="CandlerTownsley1982")
    m.x = pyo.Var([1, 2], bounds=(0, None))
    x = m.x
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var([1, 2, 3], bounds=(0, None))
    y = m.L.y
    m.L.obj = pyo.Objective(expr=x[1] + 2 * x[2] + y[1] + y[2] + 2 * y[3])
    m.L.c1 = pyo.Constraint(expr=-y[1] + y[2] + y[3] <= 1)
    m.L.c2 = pyo.Constraint(expr=2 * x[1] - y[1] + 2 * y[2] - 0.5 * y[3] <= 1)
    m.L.c3 = pyo.Constraint(expr=2 * x[2] + 2 * y[1] - y[2] - 0.5 * y[3] <= 1)
    m.obj = pyo.Objective(expr=-8 * x[1] - 4 * x[2] + 4 * y[1] - 40 * y[2] - 4 * y[3])
    return m


def clark_westerberg_1988() -> pyo.ConcreteModel:
    """Clark & Westerberg (1988); BOLIB linear #149."""
    m = pyo.ConcreteModel(name="ClarkWesterberg1988")
    m.x = pyo.Var()
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var()
    m.L.obj = pyo.Objective(expr=m.L.y)
    m.L.c1 = pyo.Constraint(expr=m.L.y <= 2 * m.x)
    m.L.c2 = pyo.Constraint(expr=2 * m.x + 5 * m.L.y <= 108)
    m.L.c3 = pyo.Constraint(expr=-2 * m.x + 3 * m.L.y >= 4)
    m.obj = pyo.Objective(expr=m.x - 4 * m.L.y)
    return m


def haurie_savard_white_1990() -> pyo.ConcreteModel:
    """Haurie, Savard & White (1990); BOLIB linear #152."""
    m = pyo.ConcreteModel(name="HaurieSavardWhite1990")
    m.x = pyo.Var()
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var()
    m.L.obj = pyo.Objective(expr=-m.L.y)
    m.L.c1 = pyo.Constraint(expr=-3 * m.x + 2 * m.L.y <= 6)
    m.L.c2 = pyo.Constraint(expr=3 * m.x + 4 * m.L.y <= 48)
    m.L.c3 = pyo.Constraint(expr=2 * m.x - 5 * m.L.y <= 9)
    m.L.c4 = pyo.Constraint(expr=m.x + m.L.y >= 8)
    m.obj = pyo.Objective(expr=m.x + 5 * m.L.y)
    return m


def liu_hart_1994() -> pyo.ConcreteModel:
    """Liu & Hart (1994); BOLIB linear #155."""
    m = pyo.ConcreteModel(name="LiuHart1994")
    m.x = pyo.Var(bounds=(0, None))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(0, None))
    m.L.obj = pyo.Objective(expr=m.L.y)
    m.L.c1 = pyo.Constraint(expr=-m.x + m.L.y <= 3)
    m.L.c2 = pyo.Constraint(expr=m.x + 2 * m.L.y <= 12)
    m.L.c3 = pyo.Constraint(expr=4 * m.x - m.L.y <= 12)
    m.obj = pyo.Objective(expr=-m.x - 3 * m.L.y)
    return m


# --------------------------------------------------------------------------------------
# Lower level convex: quadratic, or linear in y with a nonlinear upper level
# --------------------------------------------------------------------------------------


def allende_still_2013() -> pyo.ConcreteModel:
    """Allende & Still (2013); BOLIB #2."""
    m = pyo.ConcreteModel(name="AllendeStill2013")
    m.x = pyo.Var([1, 2], bounds=(0, None))
    x = m.x
    x[1].setub(2)
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var([1, 2])
    y = m.L.y
    m.L.obj = pyo.Objective(expr=sum(y[i] ** 2 - 2 * x[i] * y[i] for i in (1, 2)))
    m.L.c = pyo.Constraint([1, 2], rule=lambda b, i: (y[i] - 1) ** 2 <= 0.25)
    m.c_y = pyo.Constraint([1, 2], rule=lambda mm, i: y[i] >= 0)
    m.obj = pyo.Objective(expr=(x[1] - 1) ** 2 + (x[2] - 1) ** 2 + y[1] ** 2 + y[2] ** 2)
    return m


def bard_1988_ex1() -> pyo.ConcreteModel:
    """Bard (1988), Example 1; BOLIB #4."""
    m = pyo.ConcreteModel(name="Bard1988Ex1")
    m.x = pyo.Var(bounds=(0, None))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(0, None))
    x, y = m.x, m.L.y
    m.L.obj = pyo.Objective(expr=(y - 1) ** 2 - 1.5 * x * y)
    m.L.c1 = pyo.Constraint(expr=-3 * x + y <= -3)
    m.L.c2 = pyo.Constraint(expr=x - 0.5 * y <= 4)
    m.L.c3 = pyo.Constraint(expr=x + y <= 7)
    m.obj = pyo.Objective(expr=(x - 5) ** 2 + (2 * y + 1) ** 2)
    return m


def bard_1991_ex1() -> pyo.ConcreteModel:
    """Bard (1991), Example 1; BOLIB #7."""
    m = pyo.ConcreteModel(name="Bard1991Ex1")
    m.x = pyo.Var(bounds=(2, 4))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var([1, 2], bounds=(0, None))
    x, y = m.x, m.L.y
    m.L.obj = pyo.Objective(expr=2 * y[1] + x * y[2])
    m.L.c = pyo.Constraint(expr=y[1] + y[2] >= x + 4)
    m.obj = pyo.Objective(expr=x + y[2])
    return m


def bard_book_1998() -> pyo.ConcreteModel:
    """Bard, Practical Bilevel Optimization (1998); BOLIB #8.

    Global: F is a sum of squares and vanishes at the recorded point.
    """
    m = pyo.ConcreteModel(name="BardBook1998")
    m.x = pyo.Var([1, 2], bounds=(0, 50))
    x = m.x
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var([1, 2], bounds=(-10, 20))
    y = m.L.y
    m.L.obj = pyo.Objective(expr=2 * x[1] + 2 * x[2] - 3 * y[1] - 3 * y[2] - 60)
    m.L.c1 = pyo.Constraint(expr=x[1] + x[2] + y[1] - 2 * y[2] <= 40)
    m.L.c2 = pyo.Constraint([1, 2], rule=lambda b, i: 2 * y[i] - x[i] <= -10)
    m.obj = pyo.Objective(expr=(y[1] - x[1] + 20) ** 2 + (y[2] - x[2] + 20) ** 2)
    return m


def clark_westerberg_1990a() -> pyo.ConcreteModel:
    """Clark & Westerberg (1990), example a; BOLIB #13."""
    m = pyo.ConcreteModel(name="ClarkWesterberg1990a")
    m.x = pyo.Var(bounds=(0, 8))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var()
    x, y = m.x, m.L.y
    m.L.obj = pyo.Objective(expr=(y - 5) ** 2)
    m.L.c1 = pyo.Constraint(expr=-2 * x + y <= 1)
    m.L.c2 = pyo.Constraint(expr=x - 2 * y <= -2)
    m.L.c3 = pyo.Constraint(expr=x + 2 * y <= 14)
    m.obj = pyo.Objective(expr=(x - 3) ** 2 + (y - 2) ** 2)
    return m


def de_silva_1978() -> pyo.ConcreteModel:
    """De Silva (1978); BOLIB #29."""
    m = pyo.ConcreteModel(name="DeSilva1978")
    m.x = pyo.Var([1, 2])
    x = m.x
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var([1, 2], bounds=(0.5, 1.5))
    y = m.L.y
    m.L.obj = pyo.Objective(expr=sum((y[i] - x[i]) ** 2 for i in (1, 2)))
    m.obj = pyo.Objective(expr=sum((x[i] - 1) ** 2 + y[i] ** 2 for i in (1, 2)) - 2)
    return m


def dempe_franke_2011_ex41() -> pyo.ConcreteModel:
    """Dempe & Franke (2011), Example 4.1; BOLIB #24.

    Global: with y2 = 2 the follower minimizes x1*y1 on [1, 2], so F = x1 + 5 for
    x1 >= 0 and F = x1 + 8 >= 7 for x1 < 0.
    """
    m = pyo.ConcreteModel(name="DempeFranke2011Ex41")
    m.x = pyo.Var([1, 2], bounds=(-1, 1))
    x = m.x
    x[2].setub(-1)
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var([1, 2], bounds=(None, 2))
    y = m.L.y
    y[2].setlb(0)
    m.L.obj = pyo.Objective(expr=x[1] * y[1] + x[2] * y[2])
    m.L.c = pyo.Constraint(expr=y[2] <= 2 * y[1])
    m.obj = pyo.Objective(expr=x[1] + y[1] ** 2 + y[2] ** 2)
    return m


def gumus_floudas_2001_ex4() -> pyo.ConcreteModel:
    """Gumus & Floudas (2001), Example 4; BOLIB #35."""
    m = pyo.ConcreteModel(name="GumusFloudas2001Ex4")
    m.x = pyo.Var(bounds=(0, 8))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(0, 10))
    x, y = m.x, m.L.y
    m.L.obj = pyo.Objective(expr=(y - 5) ** 2)
    m.c1 = pyo.Constraint(expr=-2 * x + y <= 1)
    m.c2 = pyo.Constraint(expr=x - 2 * y <= -2)
    m.c3 = pyo.Constraint(expr=x + 2 * y <= 14)
    m.obj = pyo.Objective(expr=(x - 3) ** 2 + (y - 2) ** 2)
    return m


def hatz_etal_2013() -> pyo.ConcreteModel:
    """Hatz et al. (2013); BOLIB #37."""
    m = pyo.ConcreteModel(name="HatzEtal2013")
    m.x = pyo.Var()
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var([1, 2], bounds=(0, None))
    x, y = m.x, m.L.y
    m.L.obj = pyo.Objective(expr=(x - y[1]) ** 2 + y[2] ** 2)
    m.obj = pyo.Objective(expr=-x + 2 * y[1] + y[2])
    return m


def lampariello_sagratella_2017_ex35() -> pyo.ConcreteModel:
    """Lampariello & Sagratella (2017), Example 3.5; BOLIB #47."""
    m = pyo.ConcreteModel(name="LamparielloSagratella2017Ex35")
    m.x = pyo.Var(bounds=(-1, 1))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(0, 1))
    x, y = m.x, m.L.y
    m.L.obj = pyo.Objective(expr=-y)
    m.L.c = pyo.Constraint(expr=2 * x + y <= 2)
    m.obj = pyo.Objective(expr=x**2 + y**2)
    return m


def shimizu_aiyoshi_1981_ex1() -> pyo.ConcreteModel:
    """Shimizu & Aiyoshi (1981), Example 1; BOLIB #106."""
    m = pyo.ConcreteModel(name="ShimizuAiyoshi1981Ex1")
    m.x = pyo.Var(bounds=(0, 15))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(0, 20))
    x, y = m.x, m.L.y
    m.L.obj = pyo.Objective(expr=(x + 2 * y - 30) ** 2)
    m.L.c = pyo.Constraint(expr=x + y <= 20)
    m.c = pyo.Constraint(expr=y <= x)
    m.obj = pyo.Objective(expr=x**2 + (y - 10) ** 2)
    return m


def shimizu_aiyoshi_1981_ex2() -> pyo.ConcreteModel:
    """Shimizu & Aiyoshi (1981), Example 2; BOLIB #107."""
    m = pyo.ConcreteModel(name="ShimizuAiyoshi1981Ex2")
    m.x = pyo.Var([1, 2])
    x = m.x
    x[2].setub(15)
    m.c1 = pyo.Constraint(expr=x[1] + 2 * x[2] >= 30)
    m.c2 = pyo.Constraint(expr=x[1] + x[2] <= 25)
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var([1, 2], bounds=(0, 10))
    y = m.L.y
    m.L.obj = pyo.Objective(expr=(x[1] - y[1]) ** 2 + (x[2] - y[2]) ** 2)
    m.obj = pyo.Objective(
        expr=(x[1] - 30) ** 2 + (x[2] - 20) ** 2 - 20 * y[1] + 20 * y[2]
    )
    return m


def mitsos_barton_2006_ex38() -> pyo.ConcreteModel:
    """Mitsos & Barton (2006), Example 3.8; BOLIB #57."""
    m = pyo.ConcreteModel(name="MitsosBarton2006Ex38")
    m.x = pyo.Var(bounds=(-1, 1))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(-1, 1))
    x, y = m.x, m.L.y
    m.L.obj = pyo.Objective(expr=(x + pyo.exp(x)) * y)
    m.c_y = pyo.Constraint(expr=pyo.inequality(-0.1, y, 0.1))
    m.obj = pyo.Objective(expr=y**2)
    return m


# --------------------------------------------------------------------------------------
# Lower level not convex in y
# --------------------------------------------------------------------------------------


def mitsos_barton_2006_ex39() -> pyo.ConcreteModel:
    """Mitsos & Barton (2006), Example 3.9; BOLIB #58."""
    m = pyo.ConcreteModel(name="MitsosBarton2006Ex39")
    m.x = pyo.Var(bounds=(-10, 10))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(-1, 1))
    x, y = m.x, m.L.y
    m.L.obj = pyo.Objective(expr=y**3)
    m.c = pyo.Constraint(expr=y <= x)
    m.obj = pyo.Objective(expr=x)
    return m


def mitsos_barton_2006_ex312() -> pyo.ConcreteModel:
    """Mitsos & Barton (2006), Example 3.12; BOLIB #61."""
    m = pyo.ConcreteModel(name="MitsosBarton2006Ex312")
    m.x = pyo.Var(bounds=(-1, 1))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(-1, 1))
    x, y = m.x, m.L.y
    m.L.obj = pyo.Objective(expr=-x * y**2 + 0.5 * y**4)
    m.obj = pyo.Objective(expr=-x + x * y + 10 * y**2)
    return m


def mitsos_barton_2006_ex313() -> pyo.ConcreteModel:
    """Mitsos & Barton (2006), Example 3.13; BOLIB #62."""
    m = pyo.ConcreteModel(name="MitsosBarton2006Ex313")
    m.x = pyo.Var(bounds=(-1, 1))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(-1, 1))
    x, y = m.x, m.L.y
    m.L.obj = pyo.Objective(expr=x * y * (0.5 * y - x**2))
    m.obj = pyo.Objective(expr=x - y)
    return m


def mitsos_barton_2006_ex314() -> pyo.ConcreteModel:
    """Mitsos & Barton (2006), Example 3.14; BOLIB #63."""
    m = pyo.ConcreteModel(name="MitsosBarton2006Ex314")
    m.x = pyo.Var(bounds=(-1, 1))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(-1, 1))
    x, y = m.x, m.L.y
    m.L.obj = pyo.Objective(expr=y**3 / 3 - x * y)
    m.obj = pyo.Objective(expr=(x - 0.25) ** 2 + y**2)
    return m


def mitsos_barton_2006_ex315() -> pyo.ConcreteModel:
    """Mitsos & Barton (2006), Example 3.15; BOLIB #64."""
    m = pyo.ConcreteModel(name="MitsosBarton2006Ex315")
    m.x = pyo.Var(bounds=(-1, 1))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(-1, 1))
    x, y = m.x, m.L.y
    m.L.obj = pyo.Objective(expr=0.5 * x * y**2 - y**3 / 3)
    m.obj = pyo.Objective(expr=x + y)
    return m


def mitsos_barton_2006_ex316() -> pyo.ConcreteModel:
    """Mitsos & Barton (2006), Example 3.16; BOLIB #65."""
    m = pyo.ConcreteModel(name="MitsosBarton2006Ex316")
    m.x = pyo.Var(bounds=(-1, 1))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(-1, 1))
    x, y = m.x, m.L.y
    m.L.obj = pyo.Objective(expr=-0.5 * x * y**2 - 0.25 * y**4)
    m.obj = pyo.Objective(expr=2 * x + y)
    return m


def paulavicius_adjiman_2017a() -> pyo.ConcreteModel:
    """Paulavicius & Adjiman (2017), example a; BOLIB #103."""
    m = pyo.ConcreteModel(name="PaulaviciusAdjiman2017a")
    m.x = pyo.Var(bounds=(-1, 1))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(-1, 1))
    x, y = m.x, m.L.y
    m.L.obj = pyo.Objective(expr=x * y**2 - 0.5 * y**4)
    m.c_y = pyo.Constraint(expr=pyo.inequality(-1, y, 1))
    m.obj = pyo.Objective(expr=x**2 + y**2)
    return m


def paulavicius_adjiman_2017b() -> pyo.ConcreteModel:
    """Paulavicius & Adjiman (2017), example b; BOLIB #104."""
    m = pyo.ConcreteModel(name="PaulaviciusAdjiman2017b")
    m.x = pyo.Var(bounds=(-1, 1))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(-1, 1))
    x, y = m.x, m.L.y
    m.L.obj = pyo.Objective(expr=0.5 * x * y**2 - x**3 * y)
    m.c_y = pyo.Constraint(expr=pyo.inequality(-1, y, 1))
    m.obj = pyo.Objective(expr=x + y)
    return m


# --------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------

_X_ONLY_TO_UL = (
    "BOLIB lists the x-only row {row} among the lower-level constraints; it is written "
    "as an upper-level constraint, which is equivalent for the optimistic bilevel program."
)
_Y_BOUND_IN_UL = (
    "BOLIB lists {row} among the upper-level constraints, so it is an upper-level "
    "Constraint here, not a bound of the lower-level variable."
)

# The Omega constant W(1): the root of x + exp(x) = 0 is x = -W(1).
_OMEGA = 0.5671432904097838

PROBLEMS: list[LiteratureProblem] = [
    # ---- linear-linear -------------------------------------------------------------
    LiteratureProblem(
        name="AnandalinghamWhite1990",
        build=anandalingham_white_1990,
        ll_convex=True,
        notes="The catalogue's f* = 15 is an erratum: f = 3y - x is 17 at its point "
              "(16, 11) (catalogue README, erratum 2).",
    ),
    LiteratureProblem(
        name="Bard1984a",
        build=bard_1984a,
        ll_convex=True,
        notes="The catalogue's point (0.888889, 2.22222) is (8/9, 20/9) printed with 6 "
              "digits.",
    ),
    LiteratureProblem(
        name="Bard1991Ex2",
        build=bard_1991_ex2,
        ll_convex=True,
        notes="At x = 0 the follower is indifferent on y1 + y2 = 1; the optimistic "
              "choice is y = (0, 1).",
    ),
    LiteratureProblem(
        name="BardFalk1982Ex2",
        build=bard_falk_1982_ex2,
        ll_convex=True,
        notes=_X_ONLY_TO_UL.format(row="x1 + x2 <= 2"),
    ),
    LiteratureProblem(
        name="BialasKarwan1984a",
        build=bialas_karwan_1984a,
        ll_convex=True,
    ),
    LiteratureProblem(
        name="CandlerTownsley1982",
        build=candler_townsley_1982,
        ll_convex=True,
    ),
    LiteratureProblem(
        name="ClarkWesterberg1988",
        build=clark_westerberg_1988,
        ll_convex=True,
        notes="No bounds on x or y in the source.",
    ),
    LiteratureProblem(
        name="HaurieSavardWhite1990",
        build=haurie_savard_white_1990,
        ll_convex=True,
        notes="No bounds on x or y in the source.",
    ),
    LiteratureProblem(
        name="LiuHart1994",
        build=liu_hart_1994,
        ll_convex=True,
    ),
    # ---- convex lower level (quadratic, or linear in y) ---------------------------
    LiteratureProblem(
        name="AllendeStill2013",
        build=allende_still_2013,
        ll_convex=True,
        notes="Lower level: convex quadratic objective with convex quadratic "
              "constraints (y_i - 1)^2 <= 1/4. " + _Y_BOUND_IN_UL.format(row="y >= 0"),
    ),
    LiteratureProblem(
        name="Bard1988Ex1",
        build=bard_1988_ex1,
        ll_convex=True,
        notes="Local optimum (5, 2) with F = 25.",
    ),
    LiteratureProblem(
        name="Bard1991Ex1",
        build=bard_1991_ex1,
        ll_convex=True,
        notes="Lower level linear in y (the term x*y2 is bilinear in (x, y)). At x = 2 "
              "the follower is indifferent on y1 + y2 = 6; the optimistic choice is "
              "y = (6, 0).",
    ),
    LiteratureProblem(
        name="BardBook1998",
        build=bard_book_1998,
        ll_convex=True,
        notes="Quadratic upper level, linear lower level.",
    ),
    LiteratureProblem(
        name="ClarkWesterberg1990a",
        build=clark_westerberg_1990a,
        ll_convex=True,
        notes="Same functions as GumusFloudas2001Ex4 but the three linear rows are "
              "lower-level constraints here.",
    ),
    LiteratureProblem(
        name="DeSilva1978",
        build=de_silva_1978,
        ll_convex=True,
    ),
    LiteratureProblem(
        name="DempeFranke2011Ex41",
        build=dempe_franke_2011_ex41,
        ll_convex=True,
        notes="The source fixes x2 = -1 by two inequalities (bounds (-1, -1) here). "
              "Lower level linear in y; at x1 = 0 the follower is indifferent on "
              "y1 in [1, 2] and the optimistic choice is y1 = 1.",
    ),
    LiteratureProblem(
        name="GumusFloudas2001Ex4",
        build=gumus_floudas_2001_ex4,
        ll_convex=True,
        notes="Same functions as ClarkWesterberg1990a, but the three linear rows are "
              "upper-level constraints and the follower only has 0 <= y <= 10.",
    ),
    LiteratureProblem(
        name="HatzEtal2013",
        build=hatz_etal_2013,
        ll_convex=True,
        notes="x is unbounded in the source.",
    ),
    LiteratureProblem(
        name="LamparielloSagratella2017Ex35",
        build=lampariello_sagratella_2017_ex35,
        ll_convex=True,
    ),
    LiteratureProblem(
        name="ShimizuAiyoshi1981Ex1",
        build=shimizu_aiyoshi_1981_ex1,
        ll_convex=True,
        notes="The upper-level row y <= x couples the leader's constraint to the "
              "follower's variable.",
    ),
    LiteratureProblem(
        name="ShimizuAiyoshi1981Ex2",
        build=shimizu_aiyoshi_1981_ex2,
        ll_convex=True,
    ),
    LiteratureProblem(
        name="MitsosBarton2006Ex38",
        build=mitsos_barton_2006_ex38,
        ll_convex=True,
        notes="Lower level linear in y with coefficient x + exp(x): the only x for which "
              "the follower may pick |y| <= 0.1 is the root x = -W(1) = -0.567143..., "
              "where every y is optimal (the catalogue prints x* = -0.567). "
              + _Y_BOUND_IN_UL.format(row="-0.1 <= y <= 0.1"),
    ),
    # ---- lower level not convex in y -----------------------------------------------
    LiteratureProblem(
        name="MitsosBarton2006Ex39",
        build=mitsos_barton_2006_ex39,
        ll_convex=False,
        notes="Follower minimizes y^3 on [-1, 1] (concave on y < 0).",
    ),
    LiteratureProblem(
        name="MitsosBarton2006Ex312",
        build=mitsos_barton_2006_ex312,
        ll_convex=False,
        notes="For x > 0 the follower has two global minima y = +-sqrt(x).",
    ),
    LiteratureProblem(
        name="MitsosBarton2006Ex313",
        build=mitsos_barton_2006_ex313,
        ll_convex=False,
        notes="At x = 0 the lower-level objective vanishes and the optimistic choice "
              "is y = 1.",
    ),
    LiteratureProblem(
        name="MitsosBarton2006Ex314",
        build=mitsos_barton_2006_ex314,
        ll_convex=False,
        notes="At x = 1/4 the follower has two global minima, y = 1/2 (local minimum "
              "sqrt(x)) and the bound y = -1, both with f = -1/12; the optimistic choice "
              "is y = 1/2.",
    ),
    LiteratureProblem(
        name="MitsosBarton2006Ex315",
        build=mitsos_barton_2006_ex315,
        ll_convex=False,
        notes="The catalogue prints f* = -0.83; f is -5/6 at its point.",
    ),
    LiteratureProblem(
        name="MitsosBarton2006Ex316",
        build=mitsos_barton_2006_ex316,
        ll_convex=False,
    ),
    LiteratureProblem(
        name="PaulaviciusAdjiman2017a",
        build=paulavicius_adjiman_2017a,
        ll_convex=False,
        notes="At x = 0.5 the follower has three global minima y in {-1, 0, 1}; the "
              "optimistic choice is y = 0. " + _Y_BOUND_IN_UL.format(row="-1 <= y <= 1"),
    ),
    LiteratureProblem(
        name="PaulaviciusAdjiman2017b",
        build=paulavicius_adjiman_2017b,
        ll_convex=False,
        notes=_Y_BOUND_IN_UL.format(row="-1 <= y <= 1"),
    ),
]

_BY_NAME: dict[str, LiteratureProblem] = {p.name: p for p in PROBLEMS}


def get(name: str) -> LiteratureProblem:
    """The registered problem called ``name`` (``KeyError`` listing the names if absent)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no literature problem {name!r}; known: {sorted(_BY_NAME)}") from None


__all__ = ["PROBLEMS", "LiteratureProblem", "get"]
