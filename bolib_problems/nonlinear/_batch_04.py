"""BOLIB nonlinear examples 33-43: name -> module."""

MODULES: dict[str, str] = {
    "GumusFloudas2001Ex1": "nonlinear.gumus_floudas_2001_ex1",
    "GumusFloudas2001Ex3": "nonlinear.gumus_floudas_2001_ex3",
    "GumusFloudas2001Ex4": "nonlinear.gumus_floudas_2001_ex4",
    "GumusFloudas2001Ex5": "nonlinear.gumus_floudas_2001_ex5",
    "HatzEtal2013": "nonlinear.hatz_etal_2013",
    "HendersonQuandt1958": "nonlinear.henderson_quandt_1958",
    "HenrionSurowiec2011": "nonlinear.henrion_surowiec_2011",
    "IshizukaAiyoshi1992a": "nonlinear.ishizuka_aiyoshi_1992a",
    "KleniatiAdjiman2014Ex3": "nonlinear.kleniati_adjiman_2014_ex3",
    "KleniatiAdjiman2014Ex4": "nonlinear.kleniati_adjiman_2014_ex4",
    "LamparielloSagratella2017Ex23": "nonlinear.lampariello_sagratella_2017_ex23",
}
