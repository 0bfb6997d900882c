"""Application models: bilevel programs written as users write Pyomo.

Each module has a ``build(data=DEFAULT) -> pyo.ConcreteModel`` function, the default data as
a frozen dataclass, and a docstring with the economics or engineering, the formulation and
its source. Import them from the repository root or a notebook started there
(``from models.toll_setting import build``); the folder is not installed with the wheel.
Each has a test in ``tests/models/`` that checks its answer against an independent
computation.

========================= ============================================ =================
module                    problem                                      methods
========================= ============================================ =================
``toll_setting``          highway tolls, shortest-path users (LP)      kkt-bigm, kkt-sos1
``network_interdiction``  arc removal (binary) against a max-flow LP   kkt-bigm, kkt-sos1
``strategic_bidding``     a producer's offers against an ISO dispatch  kkt-bigm, kkt-sos1
                          (LP; the price is its dual)
``stackelberg_cournot``   a leader's output against a Cournot fringe   kkt-bigm, kkt-sos1,
                          (convex QP)                                  kkt-scholtes
``ridge_hyperparameter``  ridge regularization weight on validation    implicit,
                          data (strongly convex training problem)      kkt-scholtes
``minimax_approximation`` worst-case polynomial approximation (non-    llvf-cuts; KKT
                          convex lower level)                          methods fail
``product_pricing``       prices of substitutes against a buyer with   kkt-scholtes
                          a quadratic utility (strictly convex QP)
``integer_pricing``       an integer price against a buyer (LP): a     kkt-bigm
                          piecewise-constant solution map
========================= ============================================ =================
"""
