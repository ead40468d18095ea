from core.models import TimeStampedModel


class ChargementDemo(TimeStampedModel):
    """The day the Marne demo was loaded: ``load_demo`` loads it once, never over what people changed since."""

    class Meta:
        verbose_name = "chargement de la démonstration"
        verbose_name_plural = "chargements de la démonstration"

    def __str__(self):
        return f"Démonstration chargée le {self.created_at:%d/%m/%Y}"
