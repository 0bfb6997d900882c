"""``kkt-bigm`` (or ``kkt-sos1``) against PAO's FA solver on random LP–LP instances.

Instances (sizes nx = ny = n)::

    min_{x in [0, 10]^n}  cx'x + cy'y
    y in argmin_y  d'y  s.t.  A x + B y <= b,  0 <= y <= 10      (n rows, ~3 nonzeros
                                                                  of A and of B per row)

with ``b`` chosen so that a random interior point is feasible. Both solvers get the same
instances as Pyomo models; PAO runs in its own virtual environment (PAO 1.0.2 needs
``numpy<2`` and ``pyutilib``), created on first use under ``benchmarks/.venv-pao``.
Each PAO solve runs in a subprocess killed after ``--time-limit`` seconds; ours gets the
same ``time_limit``. PAO's point is checked like ours: the lower level is re-solved at
PAO's x (column "PAO check"), and objectives are compared only where that check
certifies PAO's point. "unproven M" counts the Ms of ``kkt-bigm`` without a proof, out
of those it uses: on these instances (an LP lower level with bounded slacks) it uses
only primal Ms, all proven, and no dual M at all (direction cuts, see
``bilevel_mp.methods.bigm_cuts``); "rounds" counts its master MILPs and "gap" is the
relative gap between its point and its proven lower bound (what is left when the time
limit stops it).

Run: ``python benchmarks/linear_vs_pao.py [--sizes 10 20 50 100 200] [--seeds 3]
[--method kkt-sos1]`` (``kkt-sos1`` uses SCIP's SOS1 branching instead of M values; PAO
and ``kkt-bigm`` use HiGHS).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import venv
import warnings
from pathlib import Path

import numpy as np
import pyomo.environ as pyo

import bilevel_mp as bmp
from bilevel_mp.checks.verify import LowerLevelChecker
from bilevel_mp.modeling.compile import compile_pyomo

HERE = Path(__file__).resolve().parent
PAO_VENV = HERE / ".venv-pao"
PAO_REQUIREMENTS = ["numpy<2", "pyutilib", "pao==1.0.2", "highspy"]


def generate(n: int, seed: int) -> dict:
    """A random LP–LP instance, feasible at a random interior point."""
    rng = np.random.default_rng(seed)

    def sparse_rows(cols: int) -> list[list[tuple[int, float]]]:
        return [[(int(j), float(rng.integers(-9, 10) or 1))
                 for j in rng.choice(cols, size=min(3, cols), replace=False)]
                for _ in range(n)]

    A, B = sparse_rows(n), sparse_rows(n)
    x0, y0 = rng.uniform(1, 9, n), rng.uniform(1, 9, n)
    b = [sum(a * x0[j] for j, a in A[i]) + sum(v * y0[j] for j, v in B[i])
         + float(rng.uniform(1, 10)) for i in range(n)]
    def nonzero(size: int) -> list[int]:
        # every variable appears in its level's objective: PAO 1.0.2 crashes when an
        # upper-level variable appears only in the lower level
        return (rng.integers(1, 10, size) * rng.choice([-1, 1], size)).tolist()

    return {"nx": n, "ny": n, "A": A, "B": B, "b": b, "x_ub": 10.0, "y_ub": 10.0,
            "cx": nonzero(n), "cy": nonzero(n), "d": nonzero(n)}


def our_model(inst: dict) -> pyo.ConcreteModel:
    """The instance with bilevel_mp's modeling API."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(range(inst["nx"]), bounds=(0, inst["x_ub"]))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(range(inst["ny"]), bounds=(0, inst["y_ub"]))
    m.obj = pyo.Objective(expr=sum(c * m.x[j] for j, c in enumerate(inst["cx"]))
                          + sum(c * m.L.y[j] for j, c in enumerate(inst["cy"])))
    m.L.obj = pyo.Objective(expr=sum(c * m.L.y[j] for j, c in enumerate(inst["d"])))
    m.L.c = pyo.ConstraintList()
    for i, rhs in enumerate(inst["b"]):
        m.L.c.add(sum(a * m.x[j] for j, a in inst["A"][i])
                  + sum(v * m.L.y[j] for j, v in inst["B"][i]) <= rhs)
    return m


def ensure_pao_venv() -> Path:
    """PAO's virtual environment (created once); returns its python."""
    python = PAO_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {PAO_VENV} for PAO 1.0.2 ...", flush=True)
        venv.create(PAO_VENV, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PAO_REQUIREMENTS],
                       check=True)
    return python


def run_pao(python: Path, inst: dict, time_limit: float) -> dict:
    """PAO FA on one instance in a subprocess (killed at the time limit)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(inst, fh)
    start = time.perf_counter()
    try:
        out = subprocess.run([str(python), str(HERE / "pao_worker.py"), fh.name],
                             capture_output=True, text=True, timeout=time_limit)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "F": None, "seconds": time.perf_counter() - start}
    finally:
        Path(fh.name).unlink(missing_ok=True)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if out.returncode or not lines:
        tail = (out.stderr.strip().splitlines() or ["?"])[-1]
        return {"status": f"crash: {tail[:60]}", "F": None,
                "seconds": time.perf_counter() - start}
    return json.loads(lines[-1])


def check_point(inst: dict, point: dict) -> str:
    """Our lower-level check of another solver's point: verdict and gap."""
    if not point.get("x"):
        return "-"
    program, _ = compile_pyomo(our_model(inst))
    report = LowerLevelChecker(program).check(np.array(point["x"]), np.array(point["y"]))
    return f"{report.verification.name[:9]} {report.ll_gap:.1e}"


def run_ours(inst: dict, time_limit: float, method: str) -> dict:
    """``method`` (``kkt-bigm`` or ``kkt-sos1``) on one instance."""
    model = our_model(inst)  # timed from the built model, as PAO's worker is
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        res = bmp.solve(model, method=method, time_limit=time_limit)
    big_m = res.stats.get("big_m", {})
    used = [v[kind][1] for v in big_m.values() for kind in ("primal", "dual")
            if v[kind][0] is not None]  # a dual M is None where direction cuts replace it
    unproven = sum(1 for source in used
                   if source not in ("LP", "interval (fbbt)", "vertex enumeration"))
    lower = res.stats.get("lower_bound")
    gap = (abs(res.upper_objective - lower) / max(1.0, abs(res.upper_objective))
           if res.has_point and lower is not None and np.isfinite(lower) else float("nan"))
    return {"status": res.termination.name, "verification": res.verification.name,
            "F": res.upper_objective if res.has_point else None, "gap": gap,
            "seconds": time.perf_counter() - start, "unproven_M": unproven,
            "total_M": len(used), "rounds": len(res.stats.get("stages", []))}


def compare(ours: float | None, pao: float | None) -> str:
    """``yes`` when both objectives agree to 1e-6 relative, else which is lower
    (``ours`` or ``PAO``); ``-`` when either is missing (PAO's only where our check
    certified its point)."""
    if ours is None or pao is None:
        return "-"
    if abs(ours - pao) <= 1e-6 * max(1.0, abs(pao)):
        return "yes"
    return "ours" if ours < pao else "PAO"


def main() -> None:
    """Print one row per instance and a summary per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 50, 100, 200])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--no-pao", action="store_true", help="only run bilevel_mp")
    parser.add_argument("--method", default="kkt-bigm", choices=["kkt-bigm", "kkt-sos1"],
                        help="ours: Big-M on HiGHS, or SOS1 complementarity on SCIP (no M)")
    args = parser.parse_args()
    python = None if args.no_pao else ensure_pao_venv()
    print(f"{'n':>4} {'seed':>4} | {'ours F':>12} {'status':>15} {'verif.':>10} "
          f"{'unproven M':>10} {'rounds':>6} {'gap':>7} {'s':>7} | {'PAO F':>12} {'status':>10} "
          f"{'PAO check':>17} {'s':>7} | "
          f"{'agree':>5} {'ratio':>6}")
    summary = {}
    for n in args.sizes:
        for seed in range(args.seeds):
            inst = generate(n, seed)
            ours = run_ours(inst, args.time_limit, args.method)
            pao = run_pao(python, inst, args.time_limit) if python else {
                "status": "-", "F": None, "seconds": float("nan")}
            pao["check"] = check_point(inst, pao)
            if not pao["check"].startswith("CERTIFIED"):
                pao["F_checked"] = None
            else:
                pao["F_checked"] = pao["F"]
            agree = compare(ours["F"], pao["F_checked"])
            ratio = ours["seconds"] / pao["seconds"] if pao["F"] is not None else float("nan")
            summary.setdefault(n, []).append((ours, pao, agree, ratio))
            fmt = lambda v: f"{v:12.6g}" if v is not None else f"{'-':>12}"  # noqa: E731
            print(f"{n:>4} {seed:>4} | {fmt(ours['F'])} {ours['status']:>15} "
                  f"{ours['verification']:>10} {ours['unproven_M']:>4}/{ours['total_M']:<5} "
                  f"{ours['rounds']:>6} {ours['gap']:7.1e} {ours['seconds']:7.2f} | "
                  f"{fmt(pao['F'])} "
                  f"{pao['status'][:10]:>10} {pao['check']:>17} {pao['seconds']:7.2f} | "
                  f"{agree:>5} {ratio:6.2f}",
                  flush=True)
    print("\nper size: median seconds (ours, PAO, ours/PAO), optimal-and-proven count, "
          "objectives compared where PAO's point passed our check (agree: yes, or which "
          "is lower)")
    for n, rows in summary.items():
        ours_t = statistics.median(r[0]["seconds"] for r in rows)
        pao_t = statistics.median(r[1]["seconds"] for r in rows)
        proven = sum(r[0]["status"] == "OPTIMAL" for r in rows)
        answered = [r for r in rows if r[1]["F"] is not None]
        checked = [r for r in answered if r[1]["F_checked"] is not None]
        verdicts = [r[2] for r in checked]
        halved = sum(r[3] <= 0.5 for r in answered)
        print(f"n={n:>4}: ours {ours_t:7.2f} s, PAO {pao_t:7.2f} s (ratio "
              f"{ours_t / pao_t:4.2f}; at most 0.5 on {halved}/{len(answered)} instances), "
              f"proven optimal {proven}/{len(rows)}, PAO answered {len(answered)}, of which "
              f"bilevel feasible {len(checked)}: same F {verdicts.count('yes')}, ours lower "
              f"{verdicts.count('ours')}, PAO's lower {verdicts.count('PAO')}")


if __name__ == "__main__":
    sys.exit(main())
