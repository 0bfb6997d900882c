"""Which module holds which BOLIB example; :func:`names` and :func:`load`."""

from __future__ import annotations

import difflib
import importlib
import pkgutil

from bolib_problems._catalogue import COLLECTIONS, catalogue
from bolib_problems._example import Example

# BOLIB name -> module under bolib_problems.
MODULES: dict[str, str] = {
    # linear collection
    "AnandalinghamWhite1990": "linear.anandalingham_white_1990",
    "Bard1984a": "linear.bard_1984a",
    "Bard1984b": "linear.bard_1984b",
    "Bard1991Ex2": "linear.bard_1991_ex2",
    "BardFalk1982Ex2": "linear.bard_falk_1982_ex2",
    "BenAyedBlair1990a": "linear.ben_ayed_blair_1990a",
    "BenAyedBlair1990b": "linear.ben_ayed_blair_1990b",
    "BialasKarwan1984a": "linear.bialas_karwan_1984a",
    "BialasKarwan1984b": "linear.bialas_karwan_1984b",
    "CandlerTownsley1982": "linear.candler_townsley_1982",
    "ClarkWesterberg1988": "linear.clark_westerberg_1988",
    "ClarkWesterberg1990b": "linear.clark_westerberg_1990b",
    "GlackinEtal2009": "linear.glackin_etal_2009",
    "HaurieSavardWhite1990": "linear.haurie_savard_white_1990",
    "HuHuangZhang2009": "linear.hu_huang_zhang_2009",
    "LanWenShihLee2007": "linear.lan_wen_shih_lee_2007",
    "LiuHart1994": "linear.liu_hart_1994",
    "MershaDempe2006Ex1": "linear.mersha_dempe_2006_ex1",
    "MershaDempe2006Ex2": "linear.mersha_dempe_2006_ex2",
    "TuyEtal1993": "linear.tuy_etal_1993",
    "TuyEtal1994": "linear.tuy_etal_1994",
    "TuyEtal2007Ex3": "linear.tuy_etal_2007_ex3",
    "VisweswaranEtal1996": "linear.visweswaran_etal_1996",
    "WangJiaoLi2005": "linear.wang_jiao_li_2005",
    # simple collection
    "FrankeEtal2018Ex53": "simple.franke_etal_2018_ex53",
    "FrankeEtal2018Ex511": "simple.franke_etal_2018_ex511",
    "FrankeEtal2018Ex513": "simple.franke_etal_2018_ex513",
    "FrankeEtal2018Ex521": "simple.franke_etal_2018_ex521",
    "MitsosBarton2006Ex31": "simple.mitsos_barton_2006_ex31",
    "MitsosBarton2006Ex32": "simple.mitsos_barton_2006_ex32",
    "MitsosBarton2006Ex33": "simple.mitsos_barton_2006_ex33",
    "MitsosBarton2006Ex34": "simple.mitsos_barton_2006_ex34",
    "MitsosBarton2006Ex35": "simple.mitsos_barton_2006_ex35",
    "MitsosBarton2006Ex36": "simple.mitsos_barton_2006_ex36",
    "ShehuEtal2019Ex42": "simple.shehu_etal_2019_ex42",
}


def _nonlinear_batches() -> dict[str, str]:
    """Name -> module maps of the nonlinear collection (``nonlinear/_batch_*.py``)."""
    from bolib_problems import nonlinear

    out: dict[str, str] = {}
    for info in pkgutil.iter_modules(nonlinear.__path__):
        if info.name.startswith("_batch_"):
            module = importlib.import_module(f"bolib_problems.nonlinear.{info.name}")
            out.update(module.MODULES)
    return out


MODULES.update(_nonlinear_batches())

REPRESENTATIVE: tuple[str, ...] = (
    "AnandalinghamWhite1990", "Bard1984a", "BardFalk1982Ex2", "CandlerTownsley1982",
    "HaurieSavardWhite1990", "LiuHart1994", "TuyEtal1994", "VisweswaranEtal1996",
    "FrankeEtal2018Ex53", "MitsosBarton2006Ex31",
    "Bard1988Ex1", "Bard1991Ex1", "BardBook1998", "DeSilva1978", "ShimizuAiyoshi1981Ex2",
    "MitsosBarton2006Ex39", "MitsosBarton2006Ex312", "GumusFloudas2001Ex4",
)
"""A spread of small examples (linear, simple, convex and non-convex nonlinear) for the
quick comparison that ``bilevel-mp bench`` runs by default."""


def representative() -> list[str]:
    """The transcribed examples of :data:`REPRESENTATIVE`, in BOLIB order."""
    return [n for n in names() if n in REPRESENTATIVE]


def names(collection: str | None = None) -> list[str]:
    """Transcribed example names in BOLIB order, optionally of one collection."""
    if collection is not None and collection not in COLLECTIONS:
        raise ValueError(f"collection must be one of {COLLECTIONS} or None, got {collection!r}")
    rows = catalogue()
    return [n for n, row in rows.items()
            if n in MODULES and collection in (None, row["collection"])]


def load(name: str) -> Example:
    """The transcribed example ``name``; ``KeyError`` (with close matches) otherwise."""
    if name not in MODULES:
        if name in catalogue():
            raise KeyError(f"BOLIB example {name!r} is not transcribed yet")
        by_lower = {n.lower(): n for n in catalogue()}
        close = difflib.get_close_matches(name.lower(), list(by_lower), n=5, cutoff=0.6)
        hint = ", ".join(by_lower[c] for c in close) or "none"
        raise KeyError(f"no BOLIB example {name!r}; close matches: {hint}")
    module = importlib.import_module(f"bolib_problems.{MODULES[name]}")
    return Example(name, module, catalogue()[name])
