"""Bilevel hyperparameter learning at scale: a matrix-free front-end for ERM problems.

The lower level is empirical risk minimization of a linear model on (sparse) data, the
upper level a validation loss (survey §4.1, (4.1)–(4.2)); the hyperparameters are one
ℓ2 weight per feature (:class:`FeatureRegularization`) or one weight per training sample
(:class:`SampleReweighting`, data hyper-cleaning). :func:`solve` runs L-BFGS-B on the
hyperparameters with hypergradients by AID (survey §5.2): Newton–CG for the lower level
and CG for the adjoint, on Hessian-vector products only, so memory is linear in the
number of nonzeros of the data; a problem with 10⁵ features and 10⁵ samples fits in a few
hundred megabytes. The result is a :class:`~bilevel_mp.result.BilevelResult` whose
lower level is verified by strong convexity (:mod:`bilevel_mp.learning.certificate`).

This is a dedicated front-end rather than ``BilevelProgram.from_functions(...,
symbolic="MX")``: CasADi has no sparse-matrix data type of this size, and a program
compiled from symbols would give every one of 10⁵ weights a symbol. The general methods
(``bmp.solve``) remain the way to solve small learning problems with constraints, such as
the SVM of ``models/svm_hyperparameter.py`` through its KKT system.

:func:`grid_search` and :func:`random_search` are the usual baselines on the shared
hyperparameter (every entry of ``x`` equal).

Example
-------
>>> import numpy as np, scipy.sparse as sp
>>> from bilevel_mp import learning
>>> rng = np.random.default_rng(0)
>>> a = sp.random(200, 50, density=0.1, random_state=0, format="csr")
>>> a_v = sp.random(100, 50, density=0.1, random_state=1, format="csr")
>>> w = rng.normal(size=50)
>>> problem = learning.FeatureRegularization((a, a @ w + 0.1 * rng.normal(size=200)),
...                                          (a_v, a_v @ w), x0=-3.0)
>>> result = learning.solve(problem)
>>> result.verification.name, result.upper_objective <= learning.grid_search(problem).best_loss
('CERTIFIED', True)
"""

from bilevel_mp.learning.data import Dataset
from bilevel_mp.learning.driver import LearningOptions, solve
from bilevel_mp.learning.problems import ERMHyperproblem, FeatureRegularization, SampleReweighting
from bilevel_mp.learning.search import SearchResult, grid_search, random_search

__all__ = ["Dataset", "ERMHyperproblem", "FeatureRegularization", "LearningOptions",
           "SampleReweighting", "SearchResult", "grid_search", "random_search", "solve"]
