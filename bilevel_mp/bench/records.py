"""Benchmark results in SQLite: one row per run, one row per (problem, method) outcome."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import uuid
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, started TEXT, git_revision TEXT, versions TEXT,
    suite TEXT, methods TEXT, time_limit REAL, jobs INTEGER, executor TEXT,
    wall_seconds REAL
);
CREATE TABLE IF NOT EXISTS outcomes (
    run_id TEXT, problem TEXT, method TEXT, outcome TEXT, termination TEXT,
    verification TEXT, upper_objective REAL, lower_objective REAL, F_star REAL,
    ll_gap REAL, ul_violation REAL, ll_violation REAL, solved INTEGER, improvement INTEGER,
    seconds REAL,
    time_compile REAL, time_reformulate REAL, time_solve REAL, time_verify REAL,
    iterations INTEGER, message TEXT,
    PRIMARY KEY (run_id, problem, method)
);
"""

PACKAGES = ("bilevel_mp", "casadi", "pyomo", "highspy", "numpy", "scipy")


@dataclass
class Outcome:
    """One (problem, method) pair. ``outcome`` is ``"ok"``, ``"not_applicable"`` (the
    method's reformulation does not apply to the problem: ``message`` says why; not a
    failure), ``"build_error"``, ``"crash"``, ``"timeout"`` or ``"error"``; the text of
    any failure is in ``message``."""

    problem: str
    method: str
    outcome: str
    termination: str = ""
    verification: str = ""
    upper_objective: float | None = None
    lower_objective: float | None = None
    F_star: float | None = None
    ll_gap: float | None = None
    ul_violation: float | None = None
    ll_violation: float | None = None
    solved: bool = False
    improvement: bool = False
    seconds: float = 0.0
    time_compile: float | None = None
    time_reformulate: float | None = None
    time_solve: float | None = None
    time_verify: float | None = None
    iterations: int | None = None
    message: str = ""


OUTCOME_COLUMNS = tuple(f.name for f in fields(Outcome))


def _git_revision() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parent, timeout=10)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


class ResultsDB:
    """A SQLite file of benchmark runs."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.conn = sqlite3.connect(self.path)
        self.conn.executescript(SCHEMA)

    def start_run(self, suite: str, methods: list[str], time_limit: float, jobs: int,
                  executor: str) -> str:
        """Record a new run; returns its id."""
        run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S-") + uuid.uuid4().hex[:6]
        self.conn.execute(
            "INSERT INTO runs VALUES (?,?,?,?,?,?,?,?,?,?)",
            (run_id, datetime.now(UTC).isoformat(), _git_revision(), json.dumps(_versions()),
             suite, ",".join(methods), time_limit, jobs, executor, None))
        self.conn.commit()
        return run_id

    def finish_run(self, run_id: str, wall_seconds: float) -> None:
        """Store the run's total wall time."""
        self.conn.execute("UPDATE runs SET wall_seconds=? WHERE run_id=?",
                          (wall_seconds, run_id))
        self.conn.commit()

    def add(self, run_id: str, outcome: Outcome) -> None:
        """Store one outcome (committed at once: a crash of the runner loses nothing)."""
        row = asdict(outcome)
        cols = ",".join(OUTCOME_COLUMNS)
        marks = ",".join("?" * (len(OUTCOME_COLUMNS) + 1))
        self.conn.execute(f"INSERT OR REPLACE INTO outcomes (run_id,{cols}) VALUES ({marks})",
                          (run_id, *[row[c] for c in OUTCOME_COLUMNS]))
        self.conn.commit()

    def runs(self) -> list[dict]:
        """All runs, newest first."""
        cur = self.conn.execute("SELECT * FROM runs ORDER BY started DESC")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def outcomes(self, run_id: str) -> list[Outcome]:
        """The outcomes of one run."""
        cur = self.conn.execute(
            f"SELECT {','.join(OUTCOME_COLUMNS)} FROM outcomes WHERE run_id=? "
            "ORDER BY problem, method", (run_id,))
        return [Outcome(**dict(zip(OUTCOME_COLUMNS, r, strict=True))) for r in cur.fetchall()]

    def latest_run(self) -> str | None:
        """Id of the newest run."""
        runs = self.runs()
        return runs[0]["run_id"] if runs else None
