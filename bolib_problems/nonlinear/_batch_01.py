"""BOLIB nonlinear examples 1-10: name -> module."""

MODULES: dict[str, str] = {
    "AiyoshiShimizu1984Ex2": "nonlinear.aiyoshi_shimizu_1984_ex2",
    "AllendeStill2013": "nonlinear.allende_still_2013",
    "AnEtal2009": "nonlinear.an_etal_2009",
    "Bard1988Ex1": "nonlinear.bard_1988_ex1",
    "Bard1988Ex2": "nonlinear.bard_1988_ex2",
    "Bard1988Ex3": "nonlinear.bard_1988_ex3",
    "Bard1991Ex1": "nonlinear.bard_1991_ex1",
    "BardBook1998": "nonlinear.bard_book_1998",
    "CalamaiVicente1994a": "nonlinear.calamai_vicente_1994a",
    "CalamaiVicente1994b": "nonlinear.calamai_vicente_1994b",
}
