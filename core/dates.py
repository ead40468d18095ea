import datetime

from django.utils import timezone


class InvalidDate(ValueError):
    pass


def parse_as_of(value: str | None) -> datetime.date:
    """The date a page is computed at: ``?date=YYYY-MM-DD``, today by default."""
    if not value:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise InvalidDate(
            f"Date « {value} » invalide : utilisez le format AAAA-MM-JJ, par exemple 2023-12-31."
        ) from None
