"""BOLIB nonlinear collection: one module per example."""
