"""BOLIB nonlinear examples 57-73: name -> module."""

MODULES: dict[str, str] = {
    "MitsosBarton2006Ex38": "nonlinear.mitsos_barton_2006_ex38",
    "MitsosBarton2006Ex39": "nonlinear.mitsos_barton_2006_ex39",
    "MitsosBarton2006Ex310": "nonlinear.mitsos_barton_2006_ex310",
    "MitsosBarton2006Ex311": "nonlinear.mitsos_barton_2006_ex311",
    "MitsosBarton2006Ex312": "nonlinear.mitsos_barton_2006_ex312",
    "MitsosBarton2006Ex313": "nonlinear.mitsos_barton_2006_ex313",
    "MitsosBarton2006Ex314": "nonlinear.mitsos_barton_2006_ex314",
    "MitsosBarton2006Ex315": "nonlinear.mitsos_barton_2006_ex315",
    "MitsosBarton2006Ex316": "nonlinear.mitsos_barton_2006_ex316",
    "MitsosBarton2006Ex317": "nonlinear.mitsos_barton_2006_ex317",
    "MitsosBarton2006Ex318": "nonlinear.mitsos_barton_2006_ex318",
    "MitsosBarton2006Ex319": "nonlinear.mitsos_barton_2006_ex319",
    "MitsosBarton2006Ex320": "nonlinear.mitsos_barton_2006_ex320",
    "MitsosBarton2006Ex321": "nonlinear.mitsos_barton_2006_ex321",
    "MitsosBarton2006Ex322": "nonlinear.mitsos_barton_2006_ex322",
    "MitsosBarton2006Ex323": "nonlinear.mitsos_barton_2006_ex323",
    "MitsosBarton2006Ex324": "nonlinear.mitsos_barton_2006_ex324",
}
