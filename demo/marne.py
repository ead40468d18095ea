"""The Marne demo: the CLS described by the five seed documents.

Every fact below comes from a seed (quoted in ``observations`` where a date is
read from a document rather than stated as a milestone). Where a seed is
silent the field stays empty: no invented dates, names or figures.
Loading is idempotent: records are looked up by name and generation.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from contracts import services
from contracts.models import Avenant, Axe, AxeKind, Cls, Organisation, OrganisationType, Signataire
from core.models import Role, User
from territories.models import Commune, Departement, Epci, Groupement, GroupementType, Region

D = datetime.date
T = OrganisationType

ORGANISATIONS = {
    "ars": ("ARS Grand Est", T.ARS),
    "etat": ("État — Préfecture de la Marne", T.ETAT),
    "education": ("Éducation nationale — Académie de Reims", T.EDUCATION),
    "region": ("Région Grand Est", T.REGION),
    "departement": ("Département de la Marne", T.DEPARTEMENT),
    "cpam": ("CPAM de la Marne", T.CPAM),
    "caf": ("CAF de la Marne", T.CAF),
    "msa": ("MSA", T.MSA),
    "carsat": ("CARSAT Nord-Est", T.CARSAT),
    "reims": ("Ville de Reims", T.COMMUNE),
    "ccas_reims": ("CCAS de Reims", T.CCAS),
    "chalons": ("Ville de Châlons-en-Champagne", T.COMMUNE),
    "ccas_chalons": ("CCAS de Châlons-en-Champagne", T.CCAS),
    "ca_chalons": ("Communauté d'agglomération de Châlons-en-Champagne", T.EPCI),
    "epernay": ("Ville d'Épernay", T.COMMUNE),
    "petr_epernay": ("PETR du Pays d'Épernay Terres de Champagne", T.PETR),
    "mutualite": ("Mutualité Française Champagne-Ardenne", T.MUTUELLE),
    "ligue": ("Ligue de l'Enseignement de la Marne", T.ASSOCIATION),
    "urca": ("Université de Reims Champagne-Ardenne (URCA)", T.UNIVERSITE),
    "chu_reims": ("CHU de Reims", T.HOPITAL),
    "godinot": ("Institut Godinot", T.HOPITAL),
    "ch_chalons": ("Centre hospitalier de Châlons-en-Champagne", T.HOPITAL),
    "epsmm": ("EPSM de la Marne (EPSMM)", T.HOPITAL),
    "urps": ("URPS", T.AUTRE),
    "mdph": ("MDPH de la Marne", T.AUTRE),
    "audc": ("AUDC (agence d'urbanisme)", T.AUTRE),
    "pta": ("Plateforme territoriale d'appui (PTA)", T.AUTRE),
    "ireps": ("IREPS Grand Est", T.ASSOCIATION),
}

DEMO_PASSWORD = "santeloc-demo"


def _orgs(*keys: str) -> list[Organisation]:
    return [Organisation.objects.get(nom=ORGANISATIONS[key][0]) for key in keys]


def _groupement(nom: str, kind: str, epci_codes: list[str]) -> Groupement:
    groupement, _ = Groupement.objects.get_or_create(nom=nom, defaults={"type": kind})
    groupement.epcis.set(Epci.objects.filter(code__in=epci_codes))
    return groupement


def _cls(nom: str, generation: str, *, perimeter: list, signataires=(), axes=(), partenaires=(), **fields) -> Cls:
    cls = Cls.objects.filter(nom=nom, generation=generation).first()
    if cls is None:
        cls = services.create_cls(Cls(nom=nom, generation=generation, **fields), perimeter=perimeter)
    for organisation in _orgs(*signataires):
        Signataire.objects.get_or_create(cls=cls, organisation=organisation)
    cls.partenaires.add(*_orgs(*partenaires))
    for numero, intitule, kind, transversal in axes:
        Axe.objects.get_or_create(
            cls=cls, intitule=intitule, defaults={"numero": numero, "type": kind, "transversal": transversal}
        )
    return cls


def _axes(*titles: str, kind: str = AxeKind.AXE) -> list[tuple]:
    return [(number, title, kind, False) for number, title in enumerate(titles, start=1)]


def _avenant(cls: Cls, objet: str, **kwargs) -> None:
    if not Avenant.objects.filter(cls=cls, objet=objet).exists():
        services.add_avenant(cls, objet=objet, **kwargs)


# The ARS's "where it stands / next steps" texts, as the delegation's report (seed 000) gives them.
POINTS_DE_SITUATION = {
    "reims3": "Le CLS de 3e génération est en cours d'élaboration.",
    "vitry": (
        "CLS de 3e génération signé le 26 juin 2023 ; il s'étend au périmètre des 3 communautés de communes "
        "du bassin vitryat (44 616 habitants)."
    ),
    "chalons1": (
        "CLS de 42 actions prolongé jusqu'en décembre 2024. Le CLS 2 passe d'un périmètre urbain à un périmètre "
        "mixte (potentiellement 46 communes) ; sa signature est attendue au début de l'année 2025."
    ),
    "argonne": "Premier CLS 2022-2027 signé le 1er décembre 2022 : 10 actions validées autour de 12 axes.",
    "epernay": (
        "Préfiguration engagée le 9 mars 2022 avec un diagnostic local de santé partagé ; "
        "signature envisagée pour la fin du premier trimestre 2024."
    ),
}
POINTS_DE_SITUATION_DATE = D(2023, 12, 31)


def _points_de_situation(clss: dict[str, Cls]) -> None:
    """Set the seed's texts on the CLS whose text is still empty (a user's text is never overwritten)."""
    for key, text in POINTS_DE_SITUATION.items():
        cls = clss[key]
        if not cls.point_de_situation:
            cls.point_de_situation, cls.point_de_situation_date = text, POINTS_DE_SITUATION_DATE
            cls.save(update_fields=["point_de_situation", "point_de_situation_date"])


@transaction.atomic
def load_marne_demo() -> dict[str, Cls]:
    """Create (or complete) the Marne CLS; return them by short name."""
    marne = Departement.objects.get(code="51")
    for nom, kind in ORGANISATIONS.values():
        Organisation.objects.get_or_create(nom=nom, defaults={"type": kind})
    Organisation.objects.filter(nom=ORGANISATIONS["ca_chalons"][0]).update(siren="200066876")

    commune = {c.code: c for c in Commune.objects.filter(code__in=["51454", "51108"])}
    epci = {e.code: e for e in Epci.objects.filter(communes__departement=marne).distinct()}
    vitry = _groupement(
        "Bassin vitryat (3 communautés de communes)", GroupementType.BASSIN, ["200034718", "200042992", "200067379"]
    )
    petr = _groupement(
        "PETR du Pays d'Épernay Terres de Champagne", GroupementType.PETR, ["200067684", "245100615", "200066850"]
    )
    ligue = _orgs("ligue")[0]
    reims_axes = _axes(
        "Environnement favorable à la santé",
        "Accès aux soins et prévention des risques sanitaires",
        "Mise en réseau des acteurs de la santé mentale",
        "Promotion, prévention et éducation pour la santé",
    ) + [(None, "Animation, Communication, Coopération et Participation", AxeKind.AXE, True)]

    out = {}
    out["reims1"] = _cls(
        "Contrat local de santé de Reims",
        "1",
        departement=marne,
        porteur_commune=commune["51454"],
        perimeter=[commune["51454"]],
        date_signature=D(2013, 12, 20),
        observations="Premier CLS signé dans la Marne (rapport ARS DT 51).",
    )
    out["reims2"] = _cls(
        "Contrat local de santé de Reims",
        "2+",
        departement=marne,
        porteur_commune=commune["51454"],
        perimeter=[commune["51454"]],
        predecesseur=out["reims1"],
        structure_coordination=ligue,
        date_debut=D(2018, 1, 1),
        date_fin=D(2020, 12, 31),
        signataires=["reims", "ars", "caf", "etat", "education", "region", "cpam", "departement"],
        partenaires=["urca", "chu_reims", "godinot"],
        axes=reims_axes,
        observations=(
            "CLS 2 conclu pour 2018-2020, prolongé jusqu'en 2022 pour suivre le Contrat de Ville (CLS 2+). "
            "Date de signature initiale non indiquée par les documents."
        ),
    )
    _avenant(
        out["reims2"],
        "Prolongation jusqu'en 2022, dans la temporalité du Contrat de Ville (CLS 2+)",
        nouvelle_date_fin=D(2022, 12, 31),
    )
    _avenant(
        out["reims2"],
        "Intégration du CCAS de Reims comme signataire",
        date_signature=D(2022, 3, 10),
        signataires_ajoutes=_orgs("ccas_reims"),
    )
    out["reims3"] = _cls(
        "Contrat local de santé de Reims",
        "3",
        departement=marne,
        porteur_commune=commune["51454"],
        perimeter=[commune["51454"]],
        predecesseur=out["reims2"],
        structure_coordination=ligue,
        date_elaboration=D(2022, 5, 16),
        observations=(
            "Élaboration attestée par la page de la Ville de Reims mise à jour le 16 mai 2022 (bilan en cours "
            "pour le prochain CLS) ; toujours en élaboration selon le rapport ARS DT 51."
        ),
    )
    out["vitry"] = _cls(
        "Contrat local de santé du bassin vitryat",
        "3",
        departement=marne,
        porteur_groupement=vitry,
        perimeter=[vitry],
        date_signature=D(2023, 6, 26),
        axes=_axes(
            "Population générale avec une attention particulière pour les personnes en situation de précarité",
            "Personnes en situation de handicap",
            "Enfance 0-12 ans",
            "Jeunesse 12-25 ans",
            "Personnes âgées",
            kind=AxeKind.PRIORITE,
        ),
        observations="CLS de 3e génération étendu aux 3 communautés de communes du bassin vitryat.",
    )
    out["chalons1"] = _cls(
        "Contrat local de santé de Châlons-en-Champagne",
        "1",
        departement=marne,
        porteur_commune=commune["51108"],
        perimeter=[commune["51108"]],
        date_signature=D(2019, 12, 20),
        date_debut=D(2020, 1, 1),
        date_fin=D(2022, 12, 31),
        signataires=[
            "etat",
            "ars",
            "education",
            "region",
            "departement",
            "ca_chalons",
            "chalons",
            "ccas_chalons",
            "cpam",
            "caf",
            "carsat",
        ],
        partenaires=["urps", "msa", "mutualite", "epsmm", "ch_chalons", "mdph", "audc", "pta", "ireps"],
        axes=_axes(
            "Renforcer le pouvoir d'agir de chacun pour favoriser l'adoption de comportements favorables à la santé",
            "Redynamiser l'offre de soins et l'offre médico-sociale en les adaptant aux enjeux actuels de "
            "transformation du système de santé",
            "Améliorer le cadre de vie des habitants de Châlons-en-Champagne et le vivre ensemble",
        ),
        observations="Élaboration débutée fin 2018, portée par le CCAS/Ville avec l'ARS, accompagnée par l'IREPS.",
    )
    _avenant(out["chalons1"], "Prolongation jusqu'en décembre 2024", nouvelle_date_fin=D(2024, 12, 31))
    out["chalons2"] = _cls(
        "Contrat local de santé de l'agglomération de Châlons-en-Champagne",
        "2",
        departement=marne,
        porteur_epci=epci["200066876"],
        perimeter=[epci["200066876"]],
        predecesseur=out["chalons1"],
        observations=(
            "Passage d'un périmètre urbain à un périmètre mixte ; signature attendue début 2025 (rapport ARS DT 51)."
        ),
    )
    out["argonne"] = _cls(
        "Contrat local de santé de l'Argonne Champenoise",
        "1",
        departement=marne,
        porteur_epci=epci["200042703"],
        perimeter=[epci["200042703"]],
        date_engagement=D(2022, 7, 1),
        date_signature=D(2022, 12, 1),
        date_fin=D(2027, 12, 31),
        axes=_axes(
            "Renforcer le recours des habitants à l'offre de soins",
            "Renforcer la qualité de l'offre de prévention",
            "Renforcer la qualité des offres sportives, culturelles et de loisirs",
            "Renforcer la qualité des offres de mobilité locales",
            "Renforcer les environnements naturels favorables à la santé",
            "Renforcer l'offre de logements décents",
            "Renforcer la qualité des services et administrations publics",
            "Renforcer la qualité de l'offre de commerce",
            "Renforcer la qualité de l'offre alimentaire",
            "Améliorer les offres de formation et d'emploi",
            "Améliorer le climat social",
            "Favoriser les comportements favorables à la santé",
        ),
        observations=(
            "Premier CLS 2022-2027 ; 10 actions validées à la signature. Fin au 31/12/2027 lue dans « 2022-2027 »."
        ),
    )
    out["epernay"] = _cls(
        "Contrat local de santé du Pays d'Épernay Terres de Champagne",
        "1",
        departement=marne,
        porteur_groupement=petr,
        perimeter=[petr],
        date_prefiguration=D(2022, 3, 9),
        date_signature=D(2025, 2, 26),
        signataires=["petr_epernay", "ars"],
        partenaires=[
            "etat",
            "education",
            "region",
            "departement",
            "epernay",
            "cpam",
            "msa",
            "caf",
            "carsat",
            "mutualite",
        ],
        axes=_axes(
            "Amélioration de l'offre de soins",
            "Renforcement de l'offre médico-sociale",
            "Développement de la prévention",
            "Prise en charge de la santé mentale",
            "Santé environnementale",
        ),
        observations=(
            "Préfiguration engagée le 9 mars 2022 par le PETR et l'ARS DT 51 ; 12 partenaires ; 16 fiches actions."
        ),
    )
    for key, nom, siren in (
        ("sezanne", "Contrat local de santé de Sézanne-Sud Ouest Marnais", "200066835"),
        ("suippes", "Contrat local de santé de la Région de Suippes", "200042620"),
    ):
        out[key] = _cls(
            nom,
            "1",
            departement=marne,
            porteur_epci=epci[siren],
            perimeter=[epci[siren]],
            observations="Volonté de s'engager déclarée à l'ARS (rapport ARS DT 51) ; date non précisée.",
        )
    _points_de_situation(out)
    return out


ACCOUNTS = {
    "admin": "administrateur (admin Django)",
    "ars.grandest": "agent ARS Grand Est (toute la région)",
    "ars.marne": "agent ARS, délégation de la Marne",
    "coord.reims": "coordinatrice du CLS de Reims",
    "coord.chalons": "coordinateur du CLS de Châlons",
    "lecteur": "lecteur (consultation seule)",
    "porteur.udaf": "porteur d'actions (UDAF de la Marne)",  # created by demo/actions.py
}


def existing_demo_accounts() -> list[tuple[str, str]]:
    """The demo accounts still in the database, as (username, description)."""
    present = set(User.objects.filter(username__in=ACCOUNTS).values_list("username", flat=True))
    return [(username, description) for username, description in ACCOUNTS.items() if username in present]


def create_demo_accounts(clss: dict[str, Cls]) -> list[tuple[str, str]]:
    """Demo personas, one per role; returns (username, description)."""
    grand_est = Region.objects.get(code="44")
    marne = Departement.objects.get(code="51")
    accounts = [
        ("admin", {"is_superuser": True, "is_staff": True}),
        ("ars.grandest", {"role": Role.ARS, "region": grand_est}),
        ("ars.marne", {"role": Role.ARS, "region": grand_est, "departement": marne}),
        ("coord.reims", {"role": Role.COORDINATEUR, "first_name": "Coordination", "last_name": "Reims"}),
        ("coord.chalons", {"role": Role.COORDINATEUR, "first_name": "Coordination", "last_name": "Châlons"}),
        ("lecteur", {"role": Role.LECTEUR}),
    ]
    for username, fields in accounts:
        user, created = User.objects.get_or_create(username=username, defaults=fields)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
    for key in ("reims2", "reims3"):
        clss[key].coordinateurs.add(User.objects.get(username="coord.reims"))
    for key in ("chalons1", "chalons2"):
        clss[key].coordinateurs.add(User.objects.get(username="coord.chalons"))
    return [(username, ACCOUNTS[username]) for username, _fields in accounts]
