"""The territorial diagnostic: indicator catalogue, values by territory, qualitative inputs, issues.

Values are stored by commune (linked to the commune) and, where a source gives them or where
SantéLoc computed them from a complete source, by department, region or France (keyed by code).
A perimeter's value is never stored: it is computed from its communes' values by the
indicator's aggregation rule (``diagnostics.aggregation``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel, VersionedModel
from core.validators import VALUE_VALIDATORS, BoundedDateModelField, dates_in_range_constraint


class Direction(models.TextChoices):
    HAUSSE_FAVORABLE = "favorable", "Plus haut, c'est mieux"
    HAUSSE_DEFAVORABLE = "defavorable", "Plus haut, c'est moins bien"
    NEUTRE = "neutre", "Ni mieux ni moins bien"


class Agregation(models.TextChoices):
    SOMME = "somme", "Somme des effectifs"
    RATIO = "ratio", "Rapport des sommes (numérateur / dénominateur × facteur)"
    MOYENNE_PONDEREE = "moyenne_ponderee", "Moyenne pondérée (par un indicateur de poids)"
    AUCUNE = "aucune", "Non agrégeable (valeur publiée seulement)"


class Niveau(models.TextChoices):
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"
    DEPARTEMENT = "departement", "Département"
    REGION = "region", "Région"
    FRANCE = "france", "France"


class Indicateur(TimeStampedModel):
    code = models.SlugField("code", max_length=60, unique=True)
    libelle = models.CharField("libellé", max_length=200)
    unite = models.CharField("unité", max_length=60, blank=True)
    direction = models.CharField("sens", max_length=12, choices=Direction.choices, default=Direction.NEUTRE)
    source = models.CharField("source", max_length=300, blank=True)
    producteur = models.CharField("producteur", max_length=200, blank=True)
    millesime = models.PositiveSmallIntegerField("millésime", help_text="Année des valeurs utilisées.")
    licence = models.CharField("licence", max_length=200, blank=True)
    agregation = models.CharField("agrégation", max_length=20, choices=Agregation.choices)
    numerateur = models.ForeignKey(
        "self", verbose_name="numérateur", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    denominateur = models.ForeignKey(
        "self", verbose_name="dénominateur", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    poids = models.ForeignKey(
        "self", verbose_name="pondération", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    facteur = models.DecimalField("facteur", max_digits=12, decimal_places=4, default=1)
    decimales = models.PositiveSmallIntegerField("décimales affichées", default=1)
    ordre = models.PositiveSmallIntegerField("ordre d'affichage", default=100)
    cle = models.BooleanField("chiffre clé", default=False, help_text="Affiché dans les chiffres clés d'un profil.")
    note = models.TextField("note", blank=True, help_text="Définition, limites, raison des valeurs absentes.")

    class Meta:
        verbose_name = "indicateur"
        ordering = ["ordre", "code"]

    def __str__(self):
        return self.libelle

    def clean(self):
        errors = {}
        if self.agregation == Agregation.RATIO and not (self.numerateur_id and self.denominateur_id):
            errors["numerateur"] = "Un rapport des sommes demande un numérateur et un dénominateur."
        if self.agregation == Agregation.MOYENNE_PONDEREE and not self.poids_id:
            errors["poids"] = "Une moyenne pondérée demande un indicateur de pondération."
        if errors:
            raise ValidationError(errors)


class Statut(models.TextChoices):
    PUBLIEE = "ok", "Publiée"
    SECRET = "secret", "Secret statistique"
    ABSENTE = "absente", "Non disponible"


class ValeurQuerySet(models.QuerySet):
    def publiees(self):
        return self.filter(statut=Statut.PUBLIEE, valeur__isnull=False)

    def current(self):
        """Values of each indicator's own vintage."""
        return self.filter(annee=models.F("indicateur__millesime"))


class Valeur(models.Model):
    """One figure of one indicator for one territory and one year.

    Statistics, not money: stored as floats. A value under statistical secrecy keeps its row
    (statut « secret ») so that the page can say why it is missing.
    """

    indicateur = models.ForeignKey(Indicateur, on_delete=models.CASCADE, related_name="valeurs")
    niveau = models.CharField("niveau", max_length=12, choices=Niveau.choices)
    code = models.CharField("code du territoire", max_length=9)
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.CASCADE, null=True, blank=True, related_name="valeurs"
    )
    annee = models.PositiveSmallIntegerField("année")
    valeur = models.FloatField("valeur", null=True, blank=True, validators=VALUE_VALIDATORS)
    statut = models.CharField("statut", max_length=8, choices=Statut.choices, default=Statut.PUBLIEE)
    poids = models.FloatField(
        "poids", null=True, blank=True, editable=False, help_text="Copie de la pondération (moyennes pondérées)."
    )

    objects = ValeurQuerySet.as_manager()

    class Meta:
        verbose_name = "valeur"
        constraints = [
            models.UniqueConstraint(fields=["indicateur", "niveau", "code", "annee"], name="valeur_unique"),
            models.CheckConstraint(
                condition=Q(niveau="commune", commune__isnull=False) | (~Q(niveau="commune") & Q(commune__isnull=True)),
                name="valeur_commune_liee",
            ),
        ]
        indexes = [models.Index(fields=["commune", "indicateur"], name="valeur_commune_idx")]

    def __str__(self):
        return f"{self.indicateur.code} {self.niveau} {self.code} {self.annee} : {self.valeur}"


class Etablissement(TimeStampedModel):
    """A hospital site with coordinates (Eurostat GISCO, from FINESS 2020), drawn on the maps."""

    finess = models.CharField("FINESS", max_length=9, unique=True)
    nom = models.CharField("nom", max_length=300)
    type = models.CharField("type", max_length=200, blank=True)
    statut_juridique = models.CharField("public ou privé", max_length=20, blank=True)
    departement_code = models.CharField("département", max_length=3, db_index=True)
    ville = models.CharField("ville", max_length=100, blank=True)
    latitude = models.FloatField("latitude")
    longitude = models.FloatField("longitude")

    class Meta:
        verbose_name = "établissement de santé"
        verbose_name_plural = "établissements de santé"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Theme(models.TextChoices):
    ACCES_SOINS = "acces_soins", "Accès aux soins"
    PREVENTION = "prevention", "Prévention et promotion de la santé"
    SANTE_MENTALE = "sante_mentale", "Santé mentale"
    ADDICTIONS = "addictions", "Conduites addictives"
    ENVIRONNEMENT = "environnement", "Santé environnementale et cadre de vie"
    MEDICO_SOCIAL = "medico_social", "Offre médico-sociale, handicap, personnes âgées"
    ENFANCE_JEUNESSE = "enfance_jeunesse", "Enfance et jeunesse"
    PRECARITE = "precarite", "Précarité et inégalités sociales de santé"
    COORDINATION = "coordination", "Animation, coordination, participation"
    AUTRE = "autre", "Autre"


class TypeApport(models.TextChoices):
    ENTRETIEN = "entretien", "Entretien"
    FOCUS_GROUPE = "focus_groupe", "Groupe de discussion"
    ENQUETE = "enquete", "Enquête ou questionnaire"
    REUNION = "reunion", "Réunion publique"
    AUTRE = "autre", "Autre"


class ApportQualitatif(VersionedModel):
    """What the people of the territory said: an interview, a focus group, a survey, a meeting."""

    cls = models.ForeignKey("contracts.Cls", on_delete=models.CASCADE, related_name="apports_qualitatifs")
    type = models.CharField("type", max_length=15, choices=TypeApport.choices)
    date = BoundedDateModelField("date")
    aupres_de = models.CharField(
        "auprès de qui", max_length=300, help_text="Personnes ou structures rencontrées, public interrogé."
    )
    participants = models.PositiveIntegerField("nombre de participants", null=True, blank=True)
    resume = models.TextField("résumé")
    themes = models.JSONField("thèmes", default=list, blank=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = "apport qualitatif"
        verbose_name_plural = "apports qualitatifs"
        ordering = ["cls", "-date", "pk"]
        constraints = [dates_in_range_constraint("apport_qualitatif_date_bornee", "date")]

    def __str__(self):
        return f"{self.get_type_display()} du {self.date:%d/%m/%Y} — {self.aupres_de}"

    def clean(self):
        unknown = [theme for theme in self.themes or [] if theme not in Theme.values]
        if unknown:
            raise ValidationError({"themes": f"Thème inconnu : {', '.join(unknown)}."})

    @property
    def themes_labels(self) -> list[str]:
        labels = dict(Theme.choices)
        return [labels.get(theme, theme) for theme in self.themes or []]


class Priorite(models.IntegerChoices):
    HAUTE = 1, "Haute"
    MOYENNE = 2, "Moyenne"
    BASSE = 3, "Basse"


class Enjeu(VersionedModel):
    """An issue the diagnostic reveals; the action plan's actions will point to it."""

    cls = models.ForeignKey("contracts.Cls", on_delete=models.CASCADE, related_name="enjeux")
    titre = models.CharField("titre", max_length=300)
    description = models.TextField("description", blank=True)
    theme = models.CharField("thème", max_length=20, choices=Theme.choices)
    priorite = models.PositiveSmallIntegerField("priorité", choices=Priorite.choices, default=Priorite.MOYENNE)
    indicateurs = models.ManyToManyField(
        Indicateur, blank=True, related_name="enjeux", verbose_name="indicateurs à l'appui"
    )
    apports = models.ManyToManyField(
        ApportQualitatif, blank=True, related_name="enjeux", verbose_name="apports qualitatifs à l'appui"
    )
    source = models.CharField(
        "source", max_length=300, blank=True, help_text="Document ou démarche d'où vient l'enjeu."
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"], m2m_fields=[indicateurs, apports])

    class Meta:
        verbose_name = "enjeu"
        ordering = ["cls", "priorite", "titre"]
        constraints = [models.UniqueConstraint(fields=["cls", "titre"], name="enjeu_titre_unique")]

    def __str__(self):
        return self.titre
