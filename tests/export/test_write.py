"""``SingleLevelModel.write``: every format on small models; what cannot be written is an
``ExportError`` and leaves no file behind."""

from __future__ import annotations

import highspy
import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from tests.export.helpers import nonlinear_model
from tests.modeling.test_modeling import contract_model
from tests.reformulations.test_bigm import bard_lp

FORMATS = ("nl", "lp", "mps", "gms")


def _write(model, path):
    model.write(str(path))
    assert path.exists() and path.stat().st_size > 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_bigm_milp_writes_every_format(tmp_path, fmt):
    _write(bmp.reformulate(bard_lp(), "kkt-bigm"), tmp_path / f"bigm.{fmt}")


@pytest.mark.parametrize("fmt", ["lp", "mps"])
def test_bigm_milp_file_is_reread_and_solved_by_highs(tmp_path, fmt):
    path = tmp_path / f"bigm.{fmt}"
    _write(bmp.reformulate(bard_lp(), "kkt-bigm"), path)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    assert h.readModel(str(path)) == highspy.HighsStatus.kOk
    assert h.getNumCol() == 12  # x, y, 5 u, 5 w
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert h.getInfo().objective_function_value == pytest.approx(-18.0, abs=1e-8)


def test_mpcc_writes_nl_with_complementarity_and_refuses_the_rest(tmp_path):
    mpcc = bmp.reformulate(contract_model(), "kkt")
    _write(mpcc, tmp_path / "kkt.nl")
    header = (tmp_path / "kkt.nl").read_text().splitlines()[2].split()
    assert int(header[2]) + int(header[3]) == 2  # two complementarity conditions
    assert mpcc.component("complementarity") is not None  # the user's model is unchanged
    for fmt in ("lp", "mps", "gms"):
        with pytest.raises(bmp.ExportError, match="only .nl holds complementarity"):
            mpcc.write(str(tmp_path / f"kkt.{fmt}"))
        assert not (tmp_path / f"kkt.{fmt}").exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_quadratic_relaxation_writes_every_format(tmp_path, fmt):
    _write(bmp.reformulate(contract_model(), "kkt-scholtes", t=0.1),
           tmp_path / f"scholtes.{fmt}")


def test_piecewise_relaxation_only_as_nl(tmp_path):
    ks = bmp.reformulate(contract_model(), "kkt-kanzow-schwartz", t=0.1)
    _write(ks, tmp_path / "ks.nl")
    for fmt, reason in (("lp", "not polynomial"), ("mps", "not polynomial"),
                        ("gms", "if-then-else")):
        with pytest.raises(bmp.ExportError, match=f"kanzow_schwartz.*{reason}"):
            ks.write(str(tmp_path / f"ks.{fmt}"))
        assert not (tmp_path / f"ks.{fmt}").exists()


def test_nonlinear_model_writes_nl_and_gms_not_lp(tmp_path):
    relaxed = bmp.reformulate(nonlinear_model(), "kkt-scholtes", t=0.1)
    _write(relaxed, tmp_path / "nonlinear.nl")
    _write(relaxed, tmp_path / "nonlinear.gms")
    with pytest.raises(bmp.ExportError, match="objective 'F' is not polynomial"):
        relaxed.write(str(tmp_path / "nonlinear.lp"))


def test_sos1_program_writes_lp_mps_nl_not_gms(tmp_path):
    sos = bmp.reformulate(bard_lp(), "kkt-sos1")
    for fmt in ("lp", "mps", "nl"):
        _write(sos, tmp_path / f"sos1.{fmt}")
    assert "SOS" in (tmp_path / "sos1.lp").read_text().upper()
    with pytest.raises(bmp.ExportError, match="SOS constraint"):
        sos.write(str(tmp_path / "sos1.gms"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_value_function_relaxation_writes_every_format(tmp_path, fmt):
    _write(bmp.reformulate(contract_model(), "llvf-cuts", cut_points=[[0.5]]),
           tmp_path / f"llvf.{fmt}")


def test_mpcc_with_a_lower_level_row_without_y_writes_nl(tmp_path):
    m = contract_model()
    m.L.cx = pyo.Constraint(expr=m.x <= 5)  # its multiplier is in no row but its pair
    mpcc = bmp.reformulate(m, "kkt")
    _write(mpcc, tmp_path / "kkt.nl")
    header = (tmp_path / "kkt.nl").read_text().splitlines()[2].split()
    assert int(header[2]) + int(header[3]) == 3
