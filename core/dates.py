import datetime

from django.utils import timezone

from core.limits import DATE_MAX, DATE_MIN


class InvalidDate(ValueError):
    pass


def parse_as_of(value: str | None) -> datetime.date:
    """The date a page is computed at: ``?date=YYYY-MM-DD``, today by default."""
    if not value:
        return timezone.localdate()
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise InvalidDate(
            f"Date « {value[:40]} » invalide : utilisez le format AAAA-MM-JJ, par exemple 2023-12-31."
        ) from None
    if not DATE_MIN <= day <= DATE_MAX:
        raise InvalidDate(f"Date «\u202f{value}\u202f» hors limites\u202f: choisissez une date entre 1900 et 2100.")
    return day
