"""Bilevel learning at scale: hyperparameters of 10³–10⁵-variable problems (issue 19).

Three problems of :mod:`bilevel_mp.learning`, each at n = 10³, 10⁴, 10⁵:

``ridge``, ``logistic``
    One ℓ2 weight per feature (:class:`~bilevel_mp.learning.FeatureRegularization`) on
    sparse synthetic data (``models/feature_regularization.py``): n features, n training
    samples, n/2 validation and n/2 test samples, 10 nonzeros per sample. n lower-level
    variables and n hyperparameters.
``cleaning``
    Data hyper-cleaning (:class:`~bilevel_mp.learning.SampleReweighting`,
    ``models/hyper_cleaning.py``): n training samples (30% with flipped labels), 50
    features, logistic loss; n hyperparameters.

For each, on the same data:

* **bilevel**: ``learning.solve`` from ``x0 = 0`` (L-BFGS-B, at most 100 iterations;
  Newton–CG lower level and AID-CG hypergradients to 1e-9 relative);
* **grid**: 50 values of the shared hyperparameter (``learning.grid_search``): one ℓ2
  weight in ``[e⁻¹², e⁸]`` for ridge and logistic; for cleaning uniform sample weights
  ``σ(t)``, ``t ∈ [-8, 8]``, i.e. training on all data with the ℓ2 weight
  ``10⁻³/σ(t) ∈ [10⁻³, 3]``;
* **random**: random search on the shared hyperparameter with the bilevel method's wall
  time as its budget (``learning.random_search``);
* **sklearn**: ``RidgeCV`` (efficient leave-one-out on the training data, 50 weights)
  where its dense ``n × n`` factorization fits (n <= 2000), ``LogisticRegressionCV``
  (3 folds of the training data, 10 values of C, log-loss scoring, L-BFGS) for the
  logistic losses up to n = 10⁴; they select on the training data by cross-validation, so
  only their validation loss is comparable.

Every method runs with BLAS limited to one thread (the default of ``bilevel_mp.learning``,
see :mod:`bilevel_mp.threads`; threadpoolctl for scikit-learn).

Columns: wall time to the final hyperparameters (s), peak memory during the run
(``tracemalloc`` peak of the allocations made by the run; the data, listed separately,
are not included), mean time per hypergradient and per lower-level solve (bilevel only),
number of fits or evaluations, validation loss (what is optimized), test loss (held out),
and for the bilevel method the verification of its lower level (the strong-convexity
certificate, with ``‖∇_w f‖`` at the returned point). Then the log-log slope of the
bilevel wall time and of the time per evaluation against n, and the SVM comparison of
``models/svm_hyperparameter.py``: three KKT methods (``kkt-scholtes``, ``kkt-penalty``,
``kkt-fb``) and ``implicit``, all from ``log C = 0``, at n_train = 50 … 400 (20
features), with a 50-point grid of scikit-learn's ``LinearSVC``.

A figure of validation loss against wall time (one panel per problem at the largest n)
is written to ``benchmarks/figures/learning_scale.png``.

Run: ``python benchmarks/learning_scale.py [--sizes 1000 10000 100000]
[--problems ridge logistic cleaning] [--svm-sizes 50 100 200 400] [--no-plot]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import bilevel_mp as bmp
from bilevel_mp import learning
from bilevel_mp.threads import blas_threads

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the models/ gallery
from models import feature_regularization, hyper_cleaning, svm_hyperparameter  # noqa: E402

GRID_POINTS = 50
SVM_METHODS = ("kkt-scholtes", "kkt-penalty", "kkt-fb", "implicit")
FIGURE = Path(__file__).parent / "figures" / "learning_scale.png"


@dataclass
class Row:
    """One method on one instance."""

    method: str
    seconds: float
    peak_mb: float
    fits: int
    validation: float
    test: float
    hypergradient_s: float = float("nan")
    lower_level_s: float = float("nan")
    note: str = ""
    curve: tuple[np.ndarray, np.ndarray] = field(default_factory=lambda: (np.zeros(0),) * 2)


def measured(run: Callable[[], object]) -> tuple[object, float, float]:
    """``run()``, its wall time and the tracemalloc peak (MB) of its allocations."""
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    t0 = time.perf_counter()
    out = run()
    seconds = time.perf_counter() - t0
    return out, seconds, (tracemalloc.get_traced_memory()[1] - base) / 2**20


def instance(kind: str, n: int):
    """``(problem, test data)`` of one problem at size n."""
    if kind == "cleaning":
        splits = hyper_cleaning.make_corrupted_data(n, n_features=50, corruption=0.3)
        return hyper_cleaning.build(splits), splits.test
    loss = "squared" if kind == "ridge" else "logistic"
    splits = feature_regularization.make_sparse_data(n, loss=loss)
    return feature_regularization.build(splits, loss), splits.test


def bilevel(problem, test) -> Row:
    result, seconds, peak = measured(lambda: learning.solve(problem))
    stats = result.stats
    history = np.array(stats["history"])
    certificate = stats["certificate"]
    return Row("bilevel", stats["time"]["solve"], peak, stats["evaluations"],
               result.upper_objective, problem.mean_loss(test, result.y_array),
               stats["hypergradient_time"], stats["lower_level_time"],
               f"{result.verification.name} ‖∇f‖={certificate['gradient_norm']:.1e} "
               f"({result.termination.name}, {stats['iterations']} it; verify "
               f"{stats['time']['verify']:.1f}s)", (history[:, 0], history[:, 1]))


def search(name: str, problem, test, run: Callable) -> Row:
    found, seconds, peak = measured(run)
    return Row(name, seconds, peak, found.values.size, found.best_loss,
               problem.mean_loss(test, found.best_weights),
               note=f"best t = {found.best_value:.2f}",
               curve=(found.times, found.best_so_far()))


def sklearn_rows(kind: str, problem, test) -> list[Row]:
    """RidgeCV / LogisticRegressionCV where they apply (module docstring), with BLAS on
    one thread like the other methods."""
    with blas_threads(1):
        return _sklearn_rows(kind, problem, test)


def _sklearn_rows(kind: str, problem, test) -> list[Row]:
    from sklearn.linear_model import LogisticRegressionCV, RidgeCV

    train, n = problem.train, problem.train.n_samples
    weights = np.exp(np.linspace(problem.lower, problem.upper, GRID_POINTS))
    if kind == "ridge" and n <= 2000:
        # Ridge minimizes ‖Aw - b‖² + α‖w‖²: α = n λ for f = 1/(2n)‖Aw - b‖² + λ/2 ‖w‖²
        model = RidgeCV(alphas=n * weights, fit_intercept=False)
        fitted, seconds, peak = measured(lambda: model.fit(train.features, train.targets))
        note = f"LOO, λ = {fitted.alpha_ / n:.2g}"
    elif kind != "ridge" and n <= 10_000:
        # C Σℓ + ½‖w‖²: C = 1/(n λ)
        model = LogisticRegressionCV(Cs=1.0 / (n * weights[::5]), cv=3, fit_intercept=False,
                                     scoring="neg_log_loss", max_iter=1000)
        with warnings.catch_warnings():  # scikit-learn 1.8+ announces new defaults
            warnings.simplefilter("ignore", FutureWarning)
            fitted, seconds, peak = measured(lambda: model.fit(train.features, train.targets))
        note = f"3-fold CV, λ = {1 / (fitted.C_[0] * n):.2g}"
    else:
        return []
    w = fitted.coef_.ravel()
    name = type(fitted).__name__
    return [Row(name, seconds, peak, 0, problem.validation_value_and_gradient(w)[0],
                problem.mean_loss(test, w), note=note,
                curve=(np.array([seconds]), np.array([
                    problem.validation_value_and_gradient(w)[0]])))]


def run_problem(kind: str, sizes: list[int]) -> dict[int, list[Row]]:
    out = {}
    for n in sizes:
        problem, test = instance(kind, n)
        data_mb = (problem.train.nbytes + problem.validation.nbytes) / 2**20
        rows = [bilevel(problem, test)]
        rows.append(search("grid (50)", problem, test,
                           lambda p=problem: learning.grid_search(p, GRID_POINTS)))
        rows.append(search("random", problem, test, lambda p=problem, b=rows[0].seconds:
                           learning.random_search(p, time_budget=b, seed=0)))
        rows += sklearn_rows(kind, problem, test)
        out[n] = rows
        print(f"\n{kind}, n = {n}: {problem.n_hyperparameters} hyperparameters, "
              f"{problem.n_weights} lower-level variables, data {data_mb:.0f} MB "
              f"(train nnz {problem.train.nnz})", flush=True)
        print(f"  {'method':<22} {'wall s':>7} {'peak MB':>8} {'hg s':>7} {'LL s':>7} "
              f"{'fits':>5} {'val loss':>9} {'test loss':>9}  note")
        for r in rows:
            print(f"  {r.method:<22} {r.seconds:>7.2f} {r.peak_mb:>8.1f} "
                  f"{r.hypergradient_s:>7.4f} {r.lower_level_s:>7.4f} {r.fits:>5} "
                  f"{r.validation:>9.5f} {r.test:>9.5f}  {r.note}", flush=True)
    return out


def slopes(results: dict[int, list[Row]]) -> str:
    sizes = np.array(sorted(results), dtype=float)
    if sizes.size < 2:
        return "slope: needs two sizes"
    ours = [results[int(n)][0] for n in sizes]
    seconds = np.array([r.seconds for r in ours])
    per_eval = seconds / np.array([r.fits for r in ours])
    fit = [np.polyfit(np.log(sizes), np.log(t), 1)[0] for t in (seconds, per_eval)]
    top = [np.log(t[-1] / t[-2]) / np.log(sizes[-1] / sizes[-2]) for t in (seconds, per_eval)]
    return (f"log-log slope of bilevel wall time vs n: {fit[0]:.2f} (fit over all sizes), "
            f"{top[0]:.2f} (two largest); of time per evaluation: {fit[1]:.2f}, {top[1]:.2f}")


def svm_comparison(sizes: list[int]) -> None:
    from sklearn.exceptions import ConvergenceWarning

    print("\nSVM C through its KKT system (models/svm_hyperparameter.py, 20 features, "
          "start log C = 0)")
    print(f"  {'n_train':>7} {'method':<14} {'s':>7} {'log C':>7} {'val loss':>9}  "
          "termination / verification")
    for n in sizes:
        data = svm_hyperparameter.make_data(n, n, n_features=20, seed=0)
        t0 = time.perf_counter()
        grid = np.linspace(*data.log_c_bounds, GRID_POINTS)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            losses = [svm_hyperparameter.validation_loss(
                data, svm_hyperparameter.svm_weights(data, x)) for x in grid]
        t_grid = time.perf_counter() - t0
        i = int(np.argmin(losses))
        unconverged = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
        print(f"  {n:>7} {'LinearSVC grid':<14} {t_grid:>7.2f} {grid[i]:>7.3f} "
              f"{losses[i]:>9.5f}  liblinear stopped at its iteration limit at "
              f"{unconverged} of {GRID_POINTS} points")
        for method in SVM_METHODS:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", bmp.ConvexityWarning)
                t0 = time.perf_counter()
                result = bmp.solve(svm_hyperparameter.build(data), method=method,
                                   time_limit=300)
                seconds = time.perf_counter() - t0
            print(f"  {n:>7} {method:<14} {seconds:>7.2f} {result.x_array[0]:>7.3f} "
                  f"{result.upper_objective:>9.5f}  {result.termination.name} / "
                  f"{result.verification.name}", flush=True)


def plot(all_results: dict[str, dict[int, list[Row]]]) -> None:
    from matplotlib.figure import Figure
    from matplotlib.ticker import NullFormatter

    styles = {"bilevel": "-", "grid (50)": "--", "random": ":"}
    fig = Figure(figsize=(5 * len(all_results), 4), layout="constrained")
    for ax, (kind, results) in zip(fig.subplots(1, len(all_results), squeeze=False)[0],
                                   all_results.items(), strict=True):
        n = max(results)
        for row in results[n]:
            times, losses = row.curve
            style = "o" if times.size == 1 else styles.get(row.method, "-")
            ax.plot(times, losses, style, label=row.method, drawstyle="steps-post")
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("wall time (s)")
        ax.set_ylabel("validation loss (best so far)")
        ax.set_title(f"{kind}, n = {n}")
        ax.legend()
    FIGURE.parent.mkdir(exist_ok=True)
    fig.savefig(FIGURE, dpi=120)
    print(f"\nfigure: {FIGURE}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--problems", nargs="+", default=["ridge", "logistic", "cleaning"],
                        choices=["ridge", "logistic", "cleaning"])
    parser.add_argument("--svm-sizes", type=int, nargs="*", default=[50, 100, 200, 400])
    parser.add_argument("--no-plot", action="store_true")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at start; "
          f"{time.strftime('%Y-%m-%d %H:%M:%S')}")
    tracemalloc.start()
    all_results = {}
    for kind in args.problems:
        all_results[kind] = run_problem(kind, args.sizes)
        print(f"  {kind}: {slopes(all_results[kind])}")
    tracemalloc.stop()
    if args.svm_sizes:
        svm_comparison(args.svm_sizes)
    if not args.no_plot:
        plot(all_results)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
