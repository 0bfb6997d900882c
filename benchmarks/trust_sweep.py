"""Count the false claims of every method on random small bilevel programs (issue 15).

Instance ``i`` of a sweep is the program drawn by ``tests.trust.generators`` from
``numpy.random.RandomState(seed + i)`` (no hypothesis needed at run time; the property
test draws from the same distribution through hypothesis). Each method solves it with a
small time limit and the independent brute-force judge ``tests.trust.oracle.judge``
decides which claims (``CERTIFIED``, ``NO_BETTER_FOUND``, ``OPTIMAL``) are false.

Run (from the repository root)::

    python benchmarks/trust_sweep.py --n 1000 --jobs 2
    python benchmarks/trust_sweep.py --n 200 --methods auto,kkt-bigm,llvf-cuts
    python benchmarks/trust_sweep.py --describe 17          # one instance, in full

Output: one row per method with the instances it answered (``ok``), refused (``n/a``:
a ``BilevelError`` such as ``ReformulationNotApplicable``) or crashed on, the claims made,
the false claims (and the number of instances with at least one), then the false claims
by rule, then the first few false claims with their seed and method: ``--describe SEED``
reproduces one.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import multiprocessing
import os
import queue as queue_module
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.trust.generators import build_program, describe, spec_from_seed  # noqa: E402
from tests.trust.oracle import CLAIMS  # noqa: E402
from tests.trust.runner import DEFAULT_TIME_LIMIT, all_methods, run_and_judge  # noqa: E402


def run_instance(args: tuple[int, list[str], float]) -> list[dict]:
    """Solve and judge instance ``seed`` with every method; one dict per method."""
    seed, methods, time_limit = args
    program = build_program(spec_from_seed(seed))
    rows = []
    for o in run_and_judge(program, methods, time_limit):
        rows.append({"seed": seed, "method": o.method, "status": o.status,
                     "claims": o.claims, "false": o.false, "detail": o.detail,
                     "seconds": o.seconds})
    return rows


def table(rows: list[dict], methods: list[str], show: int) -> str:
    """The per-method table, the false claims by rule and the first false claims."""
    by = collections.defaultdict(list)
    for r in rows:
        by[r["method"]].append(r)
    head = (f"{'method':24s} {'ok':>5s} {'n/a':>5s} {'crash':>5s} {'hang':>5s} "
            + " ".join(f"{c[:4] + ' made':>9s}" for c in CLAIMS)
            + " " + " ".join(f"{c[:4] + ' false':>10s}" for c in CLAIMS)
            + f" {'inst false':>10s} {'s/inst':>7s}")
    lines = [head, "-" * len(head)]
    totals = collections.Counter()
    rules: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for m in methods:
        rs = by.get(m, [])
        status = collections.Counter(r["status"] for r in rs)
        made = collections.Counter(c for r in rs for c in r["claims"])
        false = collections.Counter()
        for r in rs:
            claims_false = {f.split(" ", 1)[0] for f in r["false"]}
            false.update(claims_false)
            for f in r["false"]:
                rules[m][f.split(":", 1)[0].split(" ", 1)[1]] += 1
        inst_false = sum(1 for r in rs if r["false"])
        secs = sum(r["seconds"] for r in rs) / max(1, len(rs))
        lines.append(f"{m:24s} {status['ok']:5d} {status['n/a']:5d} {status['crash']:5d} "
                     f"{status['hang']:5d} "
                     + " ".join(f"{made[c]:9d}" for c in CLAIMS) + " "
                     + " ".join(f"{false[c]:10d}" for c in CLAIMS)
                     + f" {inst_false:10d} {secs:7.2f}")
        totals.update({f"made {c}": made[c] for c in CLAIMS})
        totals.update({f"false {c}": false[c] for c in CLAIMS})
    lines.append("-" * len(head))
    lines.append("total: " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    lines.append("")
    lines.append("false claims by rule (a claim false by several rules counts in each):")
    for m in methods:
        if rules[m]:
            lines.append(f"  {m:24s} " + ", ".join(f"{k} {v}" for k, v in
                                                   rules[m].most_common()))
    hangs = sorted({r["seed"] for r in rows if r["status"] == "hang"})
    if hangs:
        lines.append("")
        lines.append(f"instances killed (a solver ignored the time limit): seeds {hangs}")
    crashes = [r for r in rows if r["status"] == "crash"]
    if crashes:
        lines.append("")
        lines.append("crashes (first few):")
        lines += [f"  seed {r['seed']} {r['method']}: {r['detail'][:200]}"
                  for r in crashes[:show]]
    lines.append("")
    lines.append(f"first {show} false claims per method (reproduce: --describe SEED):")
    for m in methods:
        bad = [r for r in by.get(m, []) if r["false"]][:show]
        for r in bad:
            lines.append(f"  seed {r['seed']:5d} {m}: {r['false'][0][:300]}")
            lines.append(f"             answer: {r['detail'][:200]}")
    return "\n".join(lines)


def _child(job: tuple[int, list[str], float], queue: multiprocessing.Queue) -> None:
    queue.put(run_instance(job))


def run_all(jobs: list[tuple[int, list[str], float]], n_proc: int, timeout: float,
            t0: float) -> list[dict]:
    """Run the instances, each in its own process, at most ``n_proc`` at a time; an
    instance still running after ``timeout`` seconds is killed and recorded with status
    ``hang`` for every method (some solver ignored the time limit)."""
    ctx = multiprocessing.get_context("fork")
    pending, running, rows, done = list(jobs), [], [], 0
    while pending or running:
        while pending and len(running) < n_proc:
            job = pending.pop(0)
            queue = ctx.Queue()
            proc = ctx.Process(target=_child, args=(job, queue), daemon=True)
            proc.start()
            running.append((job, proc, queue, time.perf_counter()))
        time.sleep(0.05)
        for item in list(running):
            job, proc, queue, start = item
            out = None
            with contextlib.suppress(queue_module.Empty):  # not finished yet
                out = queue.get_nowait()
            if out is None and time.perf_counter() - start > timeout:
                proc.kill()
                out = [{"seed": job[0], "method": m, "status": "hang", "claims": [],
                        "false": [], "detail": f"instance killed after {timeout:g}s",
                        "seconds": timeout} for m in job[1]]
            if out is not None:
                proc.join(timeout=1)
                running.remove(item)
                rows += out
                done += 1
                if done % 10 == 0 or done == len(jobs):
                    print(f"  {done}/{len(jobs)} instances, {time.perf_counter() - t0:.0f}s",
                          file=sys.stderr, flush=True)
    return rows


def describe_one(seed: int, methods: list[str], time_limit: float) -> None:
    """Print instance ``seed``, every method's answer and every false claim."""
    spec = spec_from_seed(seed)
    print(describe(spec))
    print()
    for r in run_instance((seed, methods, time_limit)):
        print(f"{r['method']:24s} {r['status']:5s} {r['detail']}")
        for f in r["false"]:
            print(f"    FALSE {f}")


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="number of instances")
    ap.add_argument("--seed", type=int, default=0, help="seed of the first instance")
    ap.add_argument("--methods", default="", help="comma-separated; default: all and auto")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes")
    ap.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT,
                    help="seconds per method and instance")
    ap.add_argument("--instance-timeout", type=float, default=120.0,
                    help="seconds after which an instance's process is killed (status hang)")
    ap.add_argument("--show", type=int, default=3, help="false claims listed per method")
    ap.add_argument("--describe", type=int, default=None, metavar="SEED",
                    help="print one instance, each answer and each false claim")
    args = ap.parse_args(argv)
    methods = [m for m in args.methods.split(",") if m] or all_methods()
    if args.describe is not None:
        describe_one(args.describe, methods, args.time_limit)
        return 0
    jobs = [(args.seed + i, methods, args.time_limit) for i in range(args.n)]
    t0 = time.perf_counter()
    rows = run_all(jobs, max(1, args.jobs), args.instance_timeout, t0)
    print(f"trust sweep: {args.n} instances (seeds {args.seed}..{args.seed + args.n - 1}), "
          f"time limit {args.time_limit:g}s per method, {time.perf_counter() - t0:.0f}s")
    print(table(rows, methods, args.show))
    return 0


if __name__ == "__main__":
    sys.exit(main())
