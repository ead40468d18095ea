"""The public fields: the ONLY data SantéLoc shows without login.

Each dataset (CLS, fiches actions, coordinated-care structures) lists its public fields here, once.
The public pages, the flyer, the CSV and JSON downloads and their Table Schemas are all built
from these lists (see ``public.opendata``), so what is published and how it is documented
cannot drift apart. A field that is not listed here is private: funding and spending, review
answers, meeting minutes and members, people (coordinators' accounts, e-mails), observations,
internal notes.

A field's ``value`` takes one object (its foreign keys joined by ``public.opendata``) and a
``PublicContext`` (today's date, the site's address) and returns a ``str``, ``int``, ``bool``,
``date``, ``None`` or, for a multi-valued field, a list of strings; files join lists with
``separator``. A field read from a relation with many rows (many-to-many or reverse foreign key)
declares it (``Listed``): then ``public.opendata`` loads those rows' columns for a whole batch of
records in one query, without a model instance per row (a 2,000-action plan or 1,000 CLS are
published in a few hundred milliseconds). Fields reading the same ``Listed`` share its query.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from actions.models import Etat as EtatFiche
from careoffer.models import SHORT_LABELS, Precision
from careoffer.models import Etat as EtatStructure
from contracts.lifecycle import Etat as EtatCls
from contracts.lifecycle import etat_at
from contracts.models import Axe

INSEE_LIST_PATTERN = r"^[0-9][0-9AB][0-9]{3}( [0-9][0-9AB][0-9]{3})*$"
LIST_SEPARATOR = " ; "
TYPE_LABELS = {"string": "texte", "integer": "entier", "number": "nombre", "boolean": "booléen", "date": "date"}


@dataclass(frozen=True)
class PublicContext:
    today: datetime.date
    page_url: Callable[[int], str]  # CLS id -> absolute address of its public page


@dataclass(frozen=True)
class Listed:
    """Rows linked to an object by ``relation`` (many-to-many or reverse foreign key), as the value of
    ``column`` (a string) or tuples of ``column`` (a tuple), in the order of ``relation.all()``
    (the linked model's ordering) or ``sort``-ed."""

    relation: str
    column: str | tuple[str, ...]
    sort: bool = False

    def of(self, obj) -> list:
        """The rows of ``obj``: as ``public.opendata.load_lists`` left them, else read for it alone."""
        loaded = getattr(obj, "public_lists", None)
        if loaded is not None and self in loaded:
            return loaded[self]
        related = getattr(obj, self.relation)
        if isinstance(self.column, str):
            values = list(related.values_list(self.column, flat=True))
        else:
            values = list(related.values_list(*self.column))
        return sorted(values) if self.sort else values


@dataclass(frozen=True)
class PublicField:
    name: str
    title: str
    description: str
    type: str  # Table Schema type: string, integer, number, boolean, date
    value: Callable[[Any, PublicContext], Any]
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: int | None = None
    format: str | None = None
    separator: str | None = None  # multi-valued: the list is joined with it in the files
    listed: Listed | None = None  # the relation ``value`` reads, loaded in batches by public.opendata

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]

    def schema(self) -> dict:
        out = {"name": self.name, "title": self.title, "description": self.description, "type": self.type}
        if self.type == "date":
            out["format"] = "%Y-%m-%d"
        elif self.format:
            out["format"] = self.format
        constraints = {"required": self.required} if self.required else {}
        if self.unique:
            constraints["unique"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    fields: tuple[PublicField, ...]
    primary_key: str = "id"
    field_names: tuple[str, ...] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "field_names", tuple(f.name for f in self.fields))


PERIMETER = Listed("communes", ("code", "population", "population_millesime"), sort=True)  # of a CLS
AXES = Listed("axes", ("type", "transversal", "numero", "intitule"))  # of a CLS


def _axe_label(type, transversal, numero, intitule) -> str:
    return str(Axe(type=type, transversal=transversal, numero=numero, intitule=intitule))  # Axe.__str__


def _porteur_kind(cls) -> str:
    if cls.porteur_commune_id:
        return "commune"
    return "epci" if cls.porteur_epci_id else "groupement"


def _porteur_code(cls) -> str | None:
    if cls.porteur_commune_id:
        return cls.porteur_commune.code
    return cls.porteur_epci.code if cls.porteur_epci_id else None


def _date(name: str, title: str, description: str) -> PublicField:
    return PublicField(name, title, description, "date", lambda obj, ctx: getattr(obj, name))


def _listed(name: str, title: str, description: str, listed: Listed, **options) -> PublicField:
    """A multi-valued field: the strings of a ``Listed`` relation."""
    return PublicField(name, title, description, "string", lambda obj, ctx: listed.of(obj), listed=listed, **options)


CLS_ETATS = tuple(EtatCls.labels)
PUBLIC_CLS_FIELDS: tuple[PublicField, ...] = (
    PublicField("id", "Identifiant", "Identifiant du contrat dans SantéLoc (stable).", "integer",
                lambda c, ctx: c.pk, required=True, unique=True, minimum=1),
    PublicField("nom", "Nom du contrat", "Nom du contrat local de santé.", "string",
                lambda c, ctx: c.nom, required=True),
    PublicField("generation", "Génération", "Génération du contrat sur ce territoire : 1, 2, 2+, 3…", "string",
                lambda c, ctx: c.generation, required=True, pattern=r"^[1-9][0-9]?\+?$"),
    PublicField("cls_precedent_id", "Contrat précédent",
                "Identifiant du contrat de la génération précédente (vide pour un premier contrat).", "integer",
                lambda c, ctx: c.predecesseur_id, minimum=1),
    PublicField("departement", "Département", "Code INSEE du département de rattachement.", "string",
                lambda c, ctx: c.departement.code, required=True, pattern=r"^([0-9]{2,3}|2A|2B)$"),
    PublicField("porteur", "Porteur", "Collectivité qui porte le contrat (commune, EPCI ou groupement).",
                "string", lambda c, ctx: c.porteur.nom, required=True),
    PublicField("porteur_type", "Type de porteur", "commune, epci ou groupement (PETR, Pays…).", "string",
                lambda c, ctx: _porteur_kind(c), required=True, enum=("commune", "epci", "groupement")),
    PublicField("porteur_code", "Code du porteur",
                "Code INSEE de la commune ou SIREN de l'EPCI porteur ; vide pour un groupement.", "string",
                lambda c, ctx: _porteur_code(c), pattern=r"^([0-9][0-9AB][0-9]{3}|[0-9]{9})$"),
    PublicField("communes_insee", "Communes du périmètre",
                "Codes INSEE (COG) des communes du périmètre, séparés par une espace.", "string",
                lambda c, ctx: [code for code, _p, _m in PERIMETER.of(c)], pattern=INSEE_LIST_PATTERN,
                separator=" ", listed=PERIMETER),
    PublicField("nombre_communes", "Nombre de communes", "Nombre de communes du périmètre.", "integer",
                lambda c, ctx: len(PERIMETER.of(c)), required=True, minimum=0, listed=PERIMETER),
    PublicField("population", "Population couverte",
                "Somme des populations municipales légales des communes du périmètre (chaque commune une fois).",
                "integer", lambda c, ctx: sum(p for _c, p, _m in PERIMETER.of(c)), required=True, minimum=0,
                listed=PERIMETER),
    PublicField("population_millesime", "Millésime de la population",
                "Année du code officiel géographique dont viennent les populations légales.", "integer",
                lambda c, ctx: max((m for _c, _p, m in PERIMETER.of(c)), default=None), minimum=1900,
                listed=PERIMETER),
    _date("date_engagement", "Intention déclarée le", "Date de la déclaration de volonté de s'engager."),
    _date("date_prefiguration", "Préfiguration engagée le", "Début de la préfiguration (diagnostic local partagé)."),
    _date("date_elaboration", "Élaboration attestée le", "Date à laquelle l'élaboration du contrat est attestée."),
    _date("date_signature", "Signé le", "Date de signature du contrat."),
    _date("date_debut", "Début d'application", "Début d'application prévu au contrat."),
    _date("date_fin", "Fin prévue à la signature", "Fin prévue à la signature, avant tout avenant."),
    _date("date_fin_effective", "Fin effective",
          "Fin du contrat compte tenu des avenants de prolongation (ou veille du début du contrat suivant)."),
    _date("date_abandon", "Abandonné le", "Date d'abandon de la démarche, le cas échéant."),
    PublicField("etat", "État", "État du contrat à la date indiquée par etat_au, déduit des dates ci-dessus.",
                "string", lambda c, ctx: (e := etat_at(c, ctx.today)) and e.label, enum=CLS_ETATS),
    PublicField("etat_au", "État au", "Date à laquelle l'état est calculé (jour de production du fichier).", "date",
                lambda c, ctx: ctx.today, required=True),
    _listed("signataires", "Signataires", "Organisations signataires, séparées par « ; ».",
            Listed("signataires", "organisation__nom"), separator=LIST_SEPARATOR),
    PublicField("axes", "Axes ou priorités", "Axes stratégiques ou priorités du contrat, séparés par « ; ».",
                "string", lambda c, ctx: [_axe_label(*row) for row in AXES.of(c)], separator=LIST_SEPARATOR,
                listed=AXES),
    PublicField("structure_coordination", "Coordination", "Structure qui assure la coordination du contrat.",
                "string", lambda c, ctx: c.structure_coordination and c.structure_coordination.nom),
    PublicField("contact_coordination", "Contact de la coordination",
                "Adresse ou téléphone du service de coordination (jamais l'adresse d'une personne).", "string",
                lambda c, ctx: c.contact_coordination or None),
    PublicField("page_publique", "Page publique", "Adresse de la page publique du contrat.", "string",
                lambda c, ctx: ctx.page_url(c.pk), required=True, format="uri"),
    PublicField("date_mise_a_jour", "Mis à jour le", "Date de la dernière modification de la fiche du contrat.",
                "date", lambda c, ctx: timezone.localdate(c.updated_at), required=True),
)  # fmt: skip


ETATS_FICHE = dict(EtatFiche.choices)  # as get_etat_display(), without its per-call work
PUBLIC_FICHE_FIELDS: tuple[PublicField, ...] = (
    PublicField("id", "Identifiant", "Identifiant de la fiche action dans SantéLoc (stable).", "integer",
                lambda f, ctx: f.pk, required=True, unique=True, minimum=1),
    PublicField("cls_id", "Contrat", "Identifiant du contrat local de santé (voir le jeu « contrats »).", "integer",
                lambda f, ctx: f.cls_id, required=True, minimum=1),
    PublicField("cls_nom", "Nom du contrat", "Nom du contrat local de santé.", "string",
                lambda f, ctx: f.cls.nom, required=True),
    PublicField("numero", "Numéro", "Numéro de la fiche : numéro de l'axe, point, rang dans l'axe (ex. : 1.7).",
                "string", lambda f, ctx: f.numero, required=True),
    PublicField("titre", "Intitulé", "Intitulé de l'action.", "string", lambda f, ctx: f.titre, required=True),
    PublicField("axe", "Axe", "Axe ou priorité du contrat auquel l'action se rattache.", "string",
                lambda f, ctx: f.axe and str(f.axe)),
    PublicField("objectif_general", "Objectif général", "Objectif général de l'action.", "string",
                lambda f, ctx: f.objectif_general or None),
    PublicField("description", "Description", "Description de l'action.", "string",
                lambda f, ctx: f.description or None),
    PublicField("porteur", "Porteur", "Organisation qui porte l'action.", "string",
                lambda f, ctx: f.porteur and f.porteur.nom),
    _listed("partenaires", "Partenaires", "Organisations partenaires, séparées par « ; ».",
            Listed("partenaires", "nom"), separator=LIST_SEPARATOR),
    _listed("publics", "Publics cibles", "Publics visés, séparés par « ; ».", Listed("publics", "nom"),
            separator=LIST_SEPARATOR),
    _listed("themes", "Thèmes", "Thèmes de santé, séparés par « ; ».", Listed("themes", "nom"),
            separator=LIST_SEPARATOR),
    PublicField("tout_le_perimetre", "Tout le périmètre", "true si l'action concerne tout le périmètre du contrat.",
                "boolean", lambda f, ctx: f.tout_le_perimetre, required=True),
    _listed("communes_insee", "Communes concernées",
            "Codes INSEE des communes concernées, séparés par une espace ; vide si tout le périmètre.",
            Listed("lieux", "code", sort=True), pattern=INSEE_LIST_PATTERN, separator=" "),
    PublicField("programme", "Programme", "Programme commun à plusieurs contrats dont l'action fait partie.",
                "string", lambda f, ctx: f.programme and f.programme.nom),
    PublicField("etat", "État", "État d'avancement déclaré.", "string",
                lambda f, ctx: ETATS_FICHE.get(f.etat, f.etat) or None, enum=tuple(EtatFiche.labels)),
    _date("debut_prevu", "Début prévu", "Début prévu de l'action."),
    _date("fin_prevue", "Fin prévue", "Fin prévue de l'action."),
    _date("debut_reel", "Début réel", "Début effectif de l'action."),
    _date("fin_reelle", "Fin réelle", "Fin effective de l'action."),
)  # fmt: skip


PUBLIC_STRUCTURE_FIELDS: tuple[PublicField, ...] = (
    PublicField("id", "Identifiant", "Identifiant de la structure dans SantéLoc (stable).", "integer",
                lambda s, ctx: s.pk, required=True, unique=True, minimum=1),
    PublicField("type", "Type", "MSP (maison de santé pluriprofessionnelle), ESP (équipe de soins primaires), "
                "CPTS (communauté professionnelle territoriale de santé), MMG (maison médicale de garde) "
                "ou centre de santé.", "string", lambda s, ctx: s.type_court, required=True,
                enum=tuple(SHORT_LABELS.values())),
    PublicField("nom", "Nom", "Nom de la structure.", "string", lambda s, ctx: s.nom, required=True),
    PublicField("departement", "Département", "Code INSEE du département.", "string",
                lambda s, ctx: s.departement.code, required=True, pattern=r"^([0-9]{2,3}|2A|2B)$"),
    PublicField("commune_insee", "Commune", "Code INSEE de la commune d'implantation (siège pour une CPTS).",
                "string", lambda s, ctx: s.commune.code, required=True, pattern=INSEE_LIST_PATTERN),
    PublicField("commune_nom", "Nom de la commune", "Nom de la commune d'implantation.", "string",
                lambda s, ctx: s.commune.nom, required=True),
    _listed("territoire_insee", "Territoire couvert",
            "Pour une CPTS : codes INSEE des communes couvertes, séparés par une espace.",
            Listed("communes", "code", sort=True), pattern=INSEE_LIST_PATTERN, separator=" "),
    PublicField("etat", "État", "État à la date indiquée par etat_au.", "string",
                lambda s, ctx: s.etat_at(ctx.today).label, required=True, enum=tuple(EtatStructure.labels)),
    PublicField("etat_au", "État au", "Date à laquelle l'état est calculé (jour de production du fichier).", "date",
                lambda s, ctx: ctx.today, required=True),
    _date("date_prevision", "Ouverture prévue",
          "Premier jour de la période d'ouverture prévue (voir precision_prevision)."),
    PublicField("precision_prevision", "Précision de la prévision",
                "jour, trimestre (la date est le premier jour du trimestre) ou annee (1er janvier).", "string",
                lambda s, ctx: s.precision_prevision if s.date_prevision else None, enum=tuple(Precision.values)),
    _date("date_ouverture", "Ouverte le", "Date d'ouverture."),
    _date("date_fermeture", "Fermée le", "Date de fermeture, le cas échéant."),
)  # fmt: skip


DATASETS: dict[str, Dataset] = {
    dataset.slug: dataset
    for dataset in (
        Dataset(
            "contrats",
            "Contrats locaux de santé",
            "Un enregistrement par contrat local de santé (CLS) : porteur, périmètre (codes INSEE des communes), "
            "génération, dates clés, état, population couverte, signataires, axes.",
            PUBLIC_CLS_FIELDS,
        ),
        Dataset(
            "actions",
            "Fiches actions des contrats locaux de santé",
            "Un enregistrement par fiche action : contrat, numéro, intitulé, axe, porteur, partenaires, publics, "
            "calendrier, état. Les financements et les dépenses ne sont pas publiés.",
            PUBLIC_FICHE_FIELDS,
        ),
        Dataset(
            "structures",
            "Structures d'exercice coordonné",
            "Un enregistrement par structure d'exercice coordonné (MSP, ESP, CPTS, maisons médicales de garde, "
            "centres de santé) : type, nom, commune, état et dates.",
            PUBLIC_STRUCTURE_FIELDS,
        ),
    )
}
