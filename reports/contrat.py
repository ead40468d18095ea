"""The contract document of a CLS, ready to print for signature: parties, perimeter, duration,
axes, one signature block per signatory and every fiche action as an annex.

``contract_document`` gathers the text once; ``reports.documents`` lays it out as DOCX and PDF.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from actions.models import FicheAction, Financement
from contracts.lifecycle import months_between
from contracts.models import Cls, Signataire
from core.numbers import euros, fmt
from reports.departement import date_fr

# Every fiche is annexed: past this many, the document (some 30 ms and 0.6 Mo of memory per fiche in
# PDF) is refused and the plan's spreadsheet export is offered instead (see bench/public_pages.py).
CONTRACT_MAX_FICHES = 200


def too_many_fiches(cls: Cls) -> str | None:
    """Why the contract document of ``cls`` is not produced, or None."""
    count = FicheAction.objects.filter(cls=cls).count()
    if count <= CONTRACT_MAX_FICHES:
        return None
    return (
        f"Ce plan compte {fmt(count, 0)} fiches actions\u202f: le document du contrat, qui les annexe toutes, "
        f"n’est produit que jusqu’à {fmt(CONTRACT_MAX_FICHES, 0)} fiches. Relisez le plan dans son export "
        "(classeur XLSX) ou regroupez des fiches."
    )


@dataclass
class ContractDocument:
    cls: Cls
    titre: str
    preambule: str
    parties: list[str]
    perimetre_texte: str
    communes: list[list[str]]
    duree: str
    axes: list[str]
    annexe_texte: str
    lieu: str
    fiches: list[dict]

    commune_headers = ["Commune", "Code INSEE", "Population"]
    indicator_headers = ["Indicateur", "Type", "Valeur initiale", "Cible"]
    money_headers = ["Financeur", "Année", "Montant", "Stade"]

    @property
    def filename(self) -> str:
        return f"contrat-cls-{self.cls.pk}"


def _duration(cls: Cls) -> str:
    start, end = cls.date_debut_effective, cls.date_fin_effective
    if start and end:
        months = months_between(start, end)
        years = f"{months // 12} ans" + (f" et {months % 12} mois" if months % 12 else "")
        return f"Le présent contrat s'applique du {date_fr(start)} au {date_fr(end)}, soit {years}."
    if start:
        return f"Le présent contrat s'applique à compter du {date_fr(start)} ; sa date de fin reste à préciser."
    return (
        "Le présent contrat est conclu pour une durée de trois à cinq ans à compter de sa signature ; "
        "les dates d'application restent à préciser."
    )


def _calendar(fiche: FicheAction) -> str:
    if fiche.debut_prevu or fiche.fin_prevue:
        return f"{date_fr(fiche.debut_prevu)} – {date_fr(fiche.fin_prevue)}"
    return "à préciser"


def _fiche(fiche: FicheAction) -> dict:
    lieux = "tout le périmètre" if fiche.tout_le_perimetre else ", ".join(c.nom for c in fiche.lieux.all()) or "—"
    facts = [
        ("Axe", str(fiche.axe) if fiche.axe else "hors axe"),
        ("Objectif général", fiche.objectif_general),
        ("Objectifs spécifiques", fiche.objectifs_specifiques),
        ("Description", fiche.description),
        ("Porteur", str(fiche.porteur) if fiche.porteur else "à désigner"),
        ("Partenaires", ", ".join(str(p) for p in fiche.partenaires.all())),
        ("Publics", ", ".join(str(p) for p in fiche.publics.all())),
        ("Lieux", lieux),
        ("Calendrier prévu", _calendar(fiche)),
    ]
    if fiche.programme_id:
        facts.append(("Programme", str(fiche.programme)))
    indicateurs = [
        [
            i.libelle + (f" ({i.unite})" if i.unite else ""),
            i.get_type_display(),
            fmt(float(i.valeur_initiale), 2) if i.valeur_initiale is not None else "—",
            (fmt(float(i.cible), 2) if i.cible is not None else "—")
            + (f" au {date_fr(i.date_cible)}" if i.date_cible else ""),
        ]
        for i in fiche.indicateurs.all()
    ]
    financements = list(fiche.financements.all())
    return {
        "numero": fiche.numero,
        "titre": fiche.titre,
        "facts": facts,
        "indicateurs": indicateurs,
        "financements": [
            [str(f.financeur), str(f.annee), euros(f.montant), f.get_stade_display()] for f in financements
        ],
        "total": euros(sum(f.montant for f in financements)),
    }


def contract_document(cls: Cls) -> ContractDocument:
    signataires = Signataire.objects.filter(cls=cls).select_related("organisation")
    communes = cls.communes.order_by("-population", "nom")
    population = sum(c.population for c in communes)
    fiches = (
        FicheAction.objects.filter(cls=cls)
        .select_related("axe", "porteur", "programme")
        .prefetch_related(
            "partenaires",
            "publics",
            "lieux",
            "indicateurs",
            Prefetch("financements", queryset=Financement.objects.select_related("financeur").order_by("annee")),
        )
    )
    lieu = cls.porteur_commune.nom if cls.porteur_commune_id else "____________________"
    choices = cls.perimetre_elements.select_related("commune", "epci", "groupement")
    elements = " ; ".join(str(e.territoire) for e in choices) or "à préciser"
    return ContractDocument(
        cls=cls,
        titre=f"{cls.nom} — CLS {cls.generation}",
        preambule=(
            "Le contrat local de santé met en œuvre le projet régional de santé sur le territoire, à partir d'un "
            "diagnostic partagé, pour réduire les inégalités sociales et territoriales de santé. Ses signataires "
            "s'engagent sur les axes et les fiches actions ci-après."
            + (f" Il fait suite au {cls.predecesseur}." if cls.predecesseur_id else "")
        ),
        parties=[str(s.organisation) for s in signataires],
        perimetre_texte=(
            f"Le contrat couvre {elements}, soit {fmt(len(communes), 0)} commune{'s' if len(communes) > 1 else ''} "
            f"et {fmt(population, 0)} habitants (population légale)."
        ),
        communes=[[c.nom, c.code, fmt(c.population, 0)] for c in communes],
        duree=_duration(cls),
        axes=[str(axe) for axe in cls.axes.all()],
        annexe_texte=(
            f"Les {len(fiches)} fiches actions annexées au présent contrat en font partie intégrante."
            if fiches
            else "Les fiches actions seront annexées au présent contrat."
        ),
        lieu=lieu,
        fiches=[_fiche(f) for f in fiches],
    )
