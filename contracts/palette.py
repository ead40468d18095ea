"""Colours of CLS on maps: distinct, readable against white, stable per CLS."""

PALETTE = [
    "#000091",  # bleu France
    "#c9191e",  # rouge marianne
    "#18753c",  # vert
    "#b34000",  # orange
    "#6e445a",  # pourpre
    "#007c3a",  # émeraude
    "#3558a2",  # bleu cumulus foncé
    "#8d533e",  # brun
    "#716043",  # café
    "#a94645",  # tuile
]
PREPARATION_HATCH = "#8585f6"


def colour_for(index: int) -> str:
    return PALETTE[index % len(PALETTE)]
