"""Results made for notebooks: JSON-safe dicts, string enums, HTML views, the Comparison
that ``compare`` returns and its pandas frame."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest

import bilevel_mp as bmp
from bilevel_mp.jsonable import to_jsonable
from tests.modeling.test_modeling import contract_model


@pytest.fixture(scope="module")
def comparison() -> bmp.Comparison:
    # kkt-bigm: OPTIMAL with a proof and numpy values in stats["big_m"]; kkt-scholtes: a
    # homotopy with stages; both reach F* = 1 at x = y = 0.5 (see test_modeling)
    return bmp.compare(contract_model(), ["kkt-scholtes", "kkt-bigm"])


def test_status_enums_serialize_as_their_names_and_read_back():
    for enum in (bmp.TerminationStatus, bmp.PrimalStatus, bmp.Verification, bmp.ProofKind,
                 bmp.Stationarity):
        for member in enum:
            assert json.loads(json.dumps(member)) == member.name
            assert enum(member.name) is member


def test_every_field_of_a_result_is_strict_json(comparison):
    for res in comparison.values():
        text = json.dumps(res.to_dict(), allow_nan=False)  # raises on NaN or inf
        back = json.loads(text)
        # every field but the compiled program (CasADi symbols), which to_dict leaves out
        assert set(back) == {f for f in res.__dataclass_fields__} - {"program"}
        assert back["termination"] == res.termination.name
        assert back["x"] == pytest.approx(res.x) and back["y_array"] == pytest.approx(
            res.y_array.tolist())
    bigm = comparison["kkt-bigm"].to_dict()
    assert bigm["proof"] == {"kind": "GLOBAL_OPTIMUM",
                             "prover": "kkt-bigm: HiGHS MILP with proven Ms",
                             "bound": pytest.approx(1.0, abs=1e-9)}
    # (value, source) tuples of numpy floats become lists of plain numbers and strings
    value, source = bigm["stats"]["big_m"]["L.c"]["primal"]
    assert isinstance(value, float) and isinstance(source, str)
    stages = comparison["kkt-scholtes"].to_dict()["stats"]["stages"]
    assert stages[0]["param"] == 1.0 and stages[0]["F"] == pytest.approx(1.0, abs=1e-6)


def test_nan_and_inf_are_mapped_explicitly():
    res = bmp.BilevelResult(
        termination=bmp.TerminationStatus.INFEASIBLE, verification=bmp.Verification.NOT_CHECKED,
        ll_gap=math.inf, proof=bmp.Proof(bmp.ProofKind.INFEASIBLE, "someone"),
        stats={"lower_bound": -np.inf, "history": np.array([1.0, np.nan]),
               "count": np.int64(3), "flag": np.bool_(True), (1, 2): "tuple key"})
    d = res.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["ll_gap"] == "inf" and d["upper_objective"] is None
    assert d["proof"] == {"kind": "INFEASIBLE", "prover": "someone", "bound": None}
    assert d["stats"] == {"lower_bound": "-inf", "history": [1.0, None], "count": 3,
                          "flag": True, "(1, 2)": "tuple key"}
    assert float(d["ll_gap"]) == math.inf
    assert to_jsonable(bmp.Stationarity.UNDECIDED) == "UNDECIDED"


def test_result_html_shows_the_summary_escaped(comparison):
    res = comparison["kkt-bigm"]
    text = res._repr_html_()
    assert "<table" in text and "GLOBAL_OPTIMUM 1" in text and "CERTIFIED via highs-qp" in text
    odd = bmp.BilevelResult(termination=bmp.TerminationStatus.OTHER_ERROR,
                            verification=bmp.Verification.NOT_CHECKED, message="a < b & c")
    assert "a &lt; b &amp; c" in odd._repr_html_()


def test_comparison_behaves_as_the_dict_compare_used_to_return(comparison):
    assert isinstance(comparison, Mapping)
    assert list(comparison) == ["kkt-scholtes", "kkt-bigm"] and len(comparison) == 2
    plain = dict(comparison)
    assert comparison == plain and plain["kkt-bigm"] is comparison["kkt-bigm"]
    assert [name for name, _ in comparison.items()] == list(comparison.keys())
    assert "kkt-bigm" in comparison and "auto" not in comparison
    assert set(comparison.seconds) == set(comparison) and all(
        s > 0 for s in comparison.seconds.values())


def test_to_frame_and_dataframe_of_a_comparison_give_the_same_rows(comparison):
    frame = comparison.to_frame()
    assert list(frame.index) == ["kkt-scholtes", "kkt-bigm"]
    assert frame.loc["kkt-bigm", "termination"] == "OPTIMAL"
    assert bool(frame.loc["kkt-bigm", "proven_optimal"]) is True
    assert frame.loc["kkt-scholtes", "termination"] == "LOCALLY_SOLVED"
    assert frame.loc["kkt-scholtes", "stationarity"] == "S"
    assert frame["F"].tolist() == pytest.approx(
        [comparison[m].upper_objective for m in comparison])
    assert frame.loc["kkt-bigm", "seconds"] == comparison.seconds["kkt-bigm"]
    direct = pd.DataFrame(comparison)
    assert direct["method"].tolist() == ["kkt-scholtes", "kkt-bigm"]
    pd.testing.assert_frame_equal(direct.set_index("method"), frame)
    json.dumps(comparison.to_dict(), allow_nan=False)
    html = comparison._repr_html_()
    assert html.count("<tr>") == 3 and "OPTIMAL" in html


def test_to_frame_without_pandas_names_the_extra(comparison, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas -> ImportError
    with pytest.raises(bmp.OptionalDependencyError, match=r"pandas.*bilevel_mp\[report\]"):
        comparison.to_frame()
    with pytest.raises(ImportError):  # also catchable as what it is
        comparison.to_frame()
