"""Numbers written the French way, in pages, documents and exports."""


def fmt(value: float | None, decimals: int = 1) -> str:
    """French number: narrow no-break space for thousands, comma for decimals; « — » when unknown."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def euros(value) -> str:
    """« 45 000,00 € »; an empty amount counts as zero."""
    return f"{fmt(float(value or 0), 2)} €"
