"""models.product_pricing against its closed form ``x* = (a + κ)/2``,
``y* = Q⁻¹(a - κ)/2``, derived by hand (module docstring) for data where every product is
bought."""

from __future__ import annotations

import warnings

import numpy as np
import pyomo.environ as pyo

import bilevel_mp as bmp
from models.product_pricing import DATA, build, closed_form


def test_default_data_against_the_closed_form():
    m = build()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        result = bmp.solve(m, "kkt-scholtes")
    x, y = closed_form(np.array(DATA.valuations), np.array(DATA.costs))
    assert np.all(y > 0)
    np.testing.assert_allclose([pyo.value(m.price[i]) for i in m.I], x, atol=1e-5)
    np.testing.assert_allclose([pyo.value(m.buyer.qty[i]) for i in m.I], y, atol=1e-5)
    assert result.verification is bmp.Verification.CERTIFIED
