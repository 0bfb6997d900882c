"""OptimalControl (BOLIB v2 nonlinear example 138, application problem).

A bilevel problem with a PDE-constrained optimal control problem as lower level, as coded
in BOLIB v2: the leader chooses the weights x of two fixed source profiles p1, p2; the
follower steers the state u (values at the ni interior mesh nodes) towards the resulting
desired state with a control v in [-10, 10]^ni, subject to the discretised Poisson equation
-Laplace u = v on the square [-1, 1]^2 with u = 0 on the boundary. With y = (u, v):

    min_{x,y}  (yy - t)' M_full (yy - t) / 2 - k'x
               s.t.  x1 + x2 - 1 <= 0,  x >= 0,
    y solves   min_y  (u - P x)' W (u - P x) / 2 + sigma v' U v / 2
               s.t.   A u - B v = 0,  -10 <= v <= 10,

where yy is u extended by 0 at the boundary nodes, t = 0.2 p1 + 0.3 p2 at all nodes,
k = (-0.1, -0.3), sigma = 1e-2, and, on a P1 (piecewise linear) finite element mesh with
stiffness matrix K and consistent mass matrix M: W = M and A = K restricted to the interior
nodes, U = B = the lumped mass matrix (diagonal of the row sums of M) restricted to the
interior nodes, and P = [p1, p2] at the interior nodes with

    p1(z) = 10 exp(-5 ((z1 - 0.7)^2 + (z2 - 0.3)^2)),
    p2(z) = 10 exp(-10 ((z1 + 0.4)^2 + (z2 - 0.5)^2)).

The library's general form has the lower-level objective |C u - P x|_W^2 / 2 +
sigma |v - Q x|_U^2 / 2 with C = I and Q = 0 in this instance. Both levels are quadratic;
the lower level is a strictly convex QP in y (W and U positive definite).

Mesh: BOLIB builds it with MATLAB's PDE Toolbox (``initmesh`` on ``squareg`` with
``'hmax' = 0.3``, ``assema`` for K and M). Here the square is cut into
``MESH_INTERVALS`` x ``MESH_INTERVALS`` equal squares, each split into two triangles by
its diagonal from lower left to upper right; K and M are assembled element by element.
"""

from __future__ import annotations

import casadi as ca
import numpy as np
import scipy.sparse as sp

SOURCE = (
    "PDE-constrained bilevel optimal control problem (BOLIB v2 application example "
    "'OptimalControl', data built with the MATLAB PDE Toolbox; here a structured P1 mesh)."
)
MESH_INTERVALS = 8
_SIGMA = 1e-2
_K = (-0.1, -0.3)
_UA, _UB = -10.0, 10.0
_TARGET_WEIGHTS = (0.2, 0.3)


def _p1(z: np.ndarray) -> np.ndarray:
    """First source profile at the points ``z`` (2 x m)."""
    return 10.0 * np.exp(-5.0 * ((z[0] - 0.7) ** 2 + (z[1] - 0.3) ** 2))


def _p2(z: np.ndarray) -> np.ndarray:
    """Second source profile at the points ``z`` (2 x m)."""
    return 10.0 * np.exp(-10.0 * ((z[0] + 0.4) ** 2 + (z[1] - 0.5) ** 2))


def _mesh(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nodes (2 x (n+1)^2), triangles (2 n^2 x 3, counter-clockwise) and interior nodes
    of the structured mesh of [-1, 1]^2 with ``n`` intervals per side."""
    s = np.linspace(-1.0, 1.0, n + 1)
    xx, yy = np.meshgrid(s, s)                 # node (i, j) = (s[i], s[j]) has index j(n+1)+i
    nodes = np.vstack([xx.ravel(), yy.ravel()])
    i, j = np.meshgrid(np.arange(n), np.arange(n))
    ll = (j * (n + 1) + i).ravel()             # lower-left corner of each square
    lr, ul, ur = ll + 1, ll + n + 1, ll + n + 2
    tris = np.vstack([np.column_stack([ll, lr, ur]), np.column_stack([ll, ur, ul])])
    on_edge = (np.isclose(np.abs(nodes[0]), 1.0)) | (np.isclose(np.abs(nodes[1]), 1.0))
    return nodes, tris, np.flatnonzero(~on_edge)


def _assemble(nodes: np.ndarray, tris: np.ndarray) -> tuple[sp.csc_matrix, sp.csc_matrix]:
    """P1 stiffness matrix K (of -Laplace) and consistent mass matrix M."""
    corners = nodes[:, tris]                   # 2 x T x 3
    e1 = corners[:, :, 1] - corners[:, :, 0]
    e2 = corners[:, :, 2] - corners[:, :, 0]
    area = 0.5 * (e1[0] * e2[1] - e1[1] * e2[0])
    # gradient of the barycentric coordinate of a corner: the opposite edge (in
    # counter-clockwise order) turned by +90 degrees, over twice the area
    opp = corners[:, :, [2, 0, 1]] - corners[:, :, [1, 2, 0]]   # 2 x T x 3
    grad = np.stack([-opp[1], opp[0]]) / (2.0 * area)[None, :, None]
    k_loc = area[:, None, None] * np.einsum("dta,dtb->tab", grad, grad)
    m_loc = area[:, None, None] / 12.0 * (np.ones((3, 3)) + np.eye(3))[None]
    rows = np.repeat(tris, 3, axis=1).ravel()
    cols = np.tile(tris, (1, 3)).ravel()
    n = nodes.shape[1]
    stiffness = sp.csc_matrix((k_loc.ravel(), (rows, cols)), shape=(n, n))
    mass = sp.csc_matrix((m_loc.ravel(), (rows, cols)), shape=(n, n))
    return stiffness, mass


def _check_assembly(nodes: np.ndarray, stiffness: sp.csc_matrix, mass: sp.csc_matrix) -> None:
    """Independent checks of the assembly (raise ``AssertionError`` on failure)."""
    ones = np.ones(nodes.shape[1])
    # K annihilates constants and reproduces the Dirichlet energy of linear functions
    assert np.abs(stiffness @ ones).max() < 1e-10
    assert abs(stiffness.sum()) < 1e-10
    for a, b in ((1.0, 0.0), (0.0, 1.0), (2.0, -3.0)):
        lin = a * nodes[0] + b * nodes[1]
        assert abs(lin @ (stiffness @ lin) - 4.0 * (a * a + b * b)) < 1e-10
    # M integrates: the area of [-1, 1]^2 is 4, int x^2 = int y^2 = 4/3, int x y = 0
    assert abs(mass.sum() - 4.0) < 1e-12
    assert abs(nodes[0] @ (mass @ nodes[0]) - 4.0 / 3.0) < 1e-12
    assert abs(nodes[1] @ (mass @ nodes[1]) - 4.0 / 3.0) < 1e-12
    assert abs(nodes[0] @ (mass @ nodes[1])) < 1e-12
    assert abs(stiffness - stiffness.T).max() < 1e-12
    assert abs(mass - mass.T).max() < 1e-12


def _data(n: int) -> dict[str, object]:
    """The library's data on the structured mesh with ``n`` intervals per side."""
    nodes, tris, ip = _mesh(n)
    stiffness, mass = _assemble(nodes, tris)
    _check_assembly(nodes, stiffness, mass)
    lumped = sp.diags(np.asarray(mass.sum(axis=0)).ravel(), format="csc")
    ni, nn = ip.size, nodes.shape[1]
    interior = sp.csc_matrix((np.ones(ni), (ip, np.arange(ni))), shape=(nn, ni))
    target = _TARGET_WEIGHTS[0] * _p1(nodes) + _TARGET_WEIGHTS[1] * _p2(nodes)
    return {
        "ni": ni,
        "M_full": mass,
        "W": mass[ip][:, ip].tocsc(),
        "U": lumped[ip][:, ip].tocsc(),
        "A": stiffness[ip][:, ip].tocsc(),
        "B": lumped[ip][:, ip].tocsc(),
        "P": np.column_stack([_p1(nodes[:, ip]), _p2(nodes[:, ip])]),
        "target": target,
        "interior": interior,
    }


_D = _data(MESH_INTERVALS)
_NI = int(_D["ni"])  # type: ignore[call-overload]
NX, NY = 2, 2 * _NI
X_BOUNDS = ([0.0, 0.0], [None, None])
Y_BOUNDS = ([None] * _NI + [_UA] * _NI, [None] * _NI + [_UB] * _NI)
START = ([-1.0] * NX, [-1.0] * NY)
FIXED_PARAMETERS: dict[str, object] = {
    "MESH_INTERVALS": MESH_INTERVALS,
    "mesh": (f"structured P1 triangulation of [-1,1]^2: {MESH_INTERVALS} x "
             f"{MESH_INTERVALS} squares, each cut by its lower-left to upper-right diagonal; "
             f"{(MESH_INTERVALS + 1) ** 2} nodes, ni = {_NI} interior nodes, ny = 2 ni"),
    "library_mesh": "MATLAB initmesh(@squareg, 'hmax', 0.3)",
    "k": _K, "sigma": _SIGMA, "ua": _UA, "ub": _UB, "C": "I", "Q": 0,
    "target": "0.2 p1 + 0.3 p2 at all nodes",
}
NOTES = (
    "the library's mesh comes from MATLAB's PDE Toolbox (initmesh on squareg, hmax = 0.3), "
    "an unstructured Delaunay mesh that cannot be reproduced exactly; the model uses the "
    f"structured P1 mesh of fixed_parameters (MESH_INTERVALS = {MESH_INTERVALS}, "
    f"ny = {NY}), so ny and all data differ from the library's. No record exists "
    "(F*, f* unknown). The lower-level equality [A -B] y = 0, coded by the library as two "
    "inequalities, is written once as rows of h; the control box -10 <= y(ni+1:2ni) <= 10 "
    "is in the y bounds"
)

_M_FULL = ca.DM(_D["M_full"])
_W = ca.DM(_D["W"])
_U = ca.DM(_D["U"])
_AB = ca.DM(sp.hstack([_D["A"], -_D["B"]]).tocsc())
_P = ca.DM(_D["P"])
_TARGET = ca.DM(_D["target"])
_INTERIOR = ca.DM(_D["interior"])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective: mass-norm distance of the state (0 at the boundary) to the
    target, minus k'x."""
    r = ca.mtimes(_INTERIOR, y[:_NI]) - _TARGET
    return 0.5 * ca.dot(r, ca.mtimes(_M_FULL, r)) - (_K[0] * x[0] + _K[1] * x[1])


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraint (``<= 0``)."""
    return [x[0] + x[1] - 1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective: tracking of P x plus the control cost (C = I, Q = 0)."""
    d = y[:_NI] - ca.mtimes(_P, x)
    e = y[_NI:]
    return 0.5 * (ca.dot(d, ca.mtimes(_W, d)) + _SIGMA * ca.dot(e, ca.mtimes(_U, e)))


def h(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level equalities: the discretised state equation A u - B v = 0."""
    r = ca.mtimes(_AB, y)
    return [r[i] for i in range(_NI)]
