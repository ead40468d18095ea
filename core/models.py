from django.contrib.auth.models import AbstractUser
from django.db import models


class TimeStampedModel(models.Model):
    """Base of every SantéLoc model: when a row was created and last changed."""

    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A record that two people may edit at once.

    ``version`` grows by one at each save through ``core.concurrency``; a form
    posted with an older version is refused instead of overwriting the other
    person's change.
    """

    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        abstract = True


class Role(models.TextChoices):
    ARS = "ars", "Agent ARS"
    COORDINATEUR = "coordinateur", "Coordinateur ou coordinatrice de CLS"
    PORTEUR = "porteur", "Porteur d'actions"
    LECTEUR = "lecteur", "Lecteur"


class User(AbstractUser):
    """A person who logs in.

    An ARS agent's scope is a region, or one department when ``departement``
    is set; a coordinator edits the CLS listing them among their coordinators;
    a carrier (porteur) updates the actions its organisation carries; a reader
    only reads.
    """

    role = models.CharField("rôle", max_length=20, choices=Role.choices, default=Role.LECTEUR)
    region = models.ForeignKey(
        "territories.Region",
        verbose_name="région (agents ARS)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    departement = models.ForeignKey(
        "territories.Departement",
        verbose_name="département (agents ARS d'une délégation)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    organisation = models.ForeignKey(
        "contracts.Organisation",
        verbose_name="organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="membres",
        help_text="L'organisation de la personne (pour un porteur : celle dont il met à jour les actions).",
    )

    class Meta:
        verbose_name = "utilisateur"

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_ars(self) -> bool:
        return self.role == Role.ARS
