"""The departmental report (seed 000: the ARS delegation's yearly report), as of any date.

``departement_report`` gathers everything once, from the data only, into dataclasses of
ready-to-print text; three renderers lay it out: the HTML preview (``reports/views.py``),
DOCX and PDF (``reports/documents.py``). ``region_report`` does the same for every
department of a region, with a summary table.

"As of a date" everywhere: the CLS's state comes from its milestones (``contracts.lifecycle``),
coverage from ``contracts.coverage``, an action's state from its dated changes of state, the
care offer from the structures' opening dates; avenants, signatories added by an avenant and
fiches added to the plan after the date are left out.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.utils import timezone

from actions.models import ChangementEtat, FicheAction, Financement, Programme
from actions.models import Etat as EtatFiche
from careoffer import queries as careoffer_queries
from careoffer.models import ActiviteMmg, TypeStructure
from careoffer.models import Etat as EtatStructure
from contracts.coverage import Coverage, coverage_by_departement, departement_coverage, region_coverage
from contracts.geojson import (
    COVERAGE_CLASSES,
    NO_COVERAGE,
    departement_map_geojson,
    map_entries,
    region_map_geojson,
)
from contracts.lifecycle import Etat, etat_at
from contracts.models import Cls, PerimetreElement, Signataire
from core.documents import bar_chart_png, png_data_uri
from core.numbers import euros, fmt
from reports.maps import NOT_COVERED, map_png
from territories.models import Departement, Region

IN_FORCE = {Etat.EN_VIGUEUR}
PREPARATION = {Etat.PREFIGURATION, Etat.ELABORATION, Etat.SIGNE}
NO_STATE = "État non renseigné"

# Annex: the kinds of structures, in the team's words (after seed 000, annex 1, and the product brief).
DEFINITIONS = [
    (
        "Contrat local de santé (CLS)",
        "Contrat pluriannuel (3 à 5 ans) entre l'ARS, une collectivité (commune, intercommunalité, PETR ou Pays) "
        "et leurs partenaires. Il repose sur un diagnostic partagé du territoire et porte un plan d'actions, "
        "surtout de prévention et d'accès aux soins, pour réduire les inégalités sociales et territoriales de santé. "
        "Un CLS passe par cinq étapes : repérer l'opportunité, partager le diagnostic, programmer les actions, "
        "les accompagner pendant la durée du contrat, les évaluer pour préparer la génération suivante.",
    ),
    (
        "Équipe de soins primaires (ESP)",
        "Plusieurs professionnels de santé de premier recours, dont au moins un médecin généraliste, qui "
        "coordonnent leurs actions autour de leurs patients. L'ESP transmet à l'ARS une fiche projet : ses "
        "membres, les améliorations apportées aux parcours, ses engagements de travail pluriprofessionnel et "
        "la façon de les évaluer.",
    ),
    (
        "Maison de santé pluriprofessionnelle (MSP)",
        "Structure de soins de premier recours qui réunit au moins deux médecins et au moins une profession "
        "paramédicale autour d'un projet de santé écrit à partir des besoins du territoire. C'est ce projet "
        "partagé, et non le seul fait de partager des locaux, qui la distingue d'un cabinet de groupe.",
    ),
    (
        "Communauté professionnelle territoriale de santé (CPTS)",
        "Organisation créée à l'initiative des professionnels de santé d'un territoire, avec les acteurs "
        "hospitaliers, médico-sociaux, sociaux et associatifs, pour répondre ensemble aux besoins de santé de "
        "sa population : accès à un médecin traitant, soins non programmés, parcours ville-hôpital, prévention.",
    ),
    (
        "Maison médicale de garde (MMG)",
        "Lieu de consultation tenu par des médecins généralistes libéraux volontaires aux heures de la "
        "permanence des soins ambulatoires (soirs, week-ends, jours fériés). Les patients y sont surtout "
        "orientés par le Centre 15 ; elle soulage les urgences des consultations de faible gravité.",
    ),
    (
        "Centre de santé",
        "Structure de soins de premier recours où les professionnels sont salariés (d'une collectivité, d'une "
        "mutuelle, d'une association…) ; elle pratique le tiers payant et porte un projet de santé.",
    ),
    (
        "Groupe d'entraide mutuelle (GEM)",
        "Association de personnes concernées par un même problème de santé ou de handicap (par exemple "
        "l'autisme), qui s'entraident entre pairs pour rompre l'isolement et participer à la vie sociale. "
        "Soutenu par un parrain et subventionné par l'ARS, il est ouvert au moins 35 heures par semaine ; ce "
        "n'est pas un établissement médico-social.",
    ),
    (
        "Unité d'enseignement en maternelle autisme (UEMA)",
        "Classe d'un établissement médico-éducatif installée dans une école maternelle : 7 enfants autistes "
        "de 3 à 6 ans, avec un enseignant et une équipe médico-sociale, pour rejoindre ensuite un CP ordinaire. "
        "Elle ouvre à une rentrée scolaire.",
    ),
    (
        "Unité d'enseignement élémentaire autisme (UEEA)",
        "Même organisation à l'école élémentaire : 10 enfants autistes de 6 à 11 ans dont l'autonomie et les "
        "apprentissages ne permettent pas encore une classe ordinaire.",
    ),
]


def date_fr(day: datetime.date | None) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}" if day else "—"  # strftime writes year 1 as « 1 »


def short_name(cls: Cls) -> str:
    """« Reims » for « Contrat local de santé de Reims »."""
    nom = cls.nom.removeprefix("Contrat local de santé ")
    for article in ("de l'", "de la ", "du ", "des ", "de "):
        if nom.startswith(article):
            nom = nom.removeprefix(article)
            break
    return nom[:1].upper() + nom[1:]


def plural(count: int, word: str) -> str:
    return f"{fmt(count, 0)} {word}{'s' if count > 1 else ''}"


def percent(value) -> str:
    return f"{fmt(float(value), 1)} %"


@dataclass
class Figure:
    """An image (map or chart) with the same information in words, for the alternative text."""

    titre: str
    png: bytes
    texte: str

    @property
    def data_uri(self) -> str:
        return png_data_uri(self.png)


@dataclass
class ClsReport:
    cls: Cls
    titre: str
    etat: Etat
    couleur: str
    facts: list[tuple[str, str]]
    historique: list[str]
    signataires: list[str]
    axes: list[str]
    actions_total: int
    actions_par_etat: list[tuple[str, int]]
    financements: list[list[str]]
    financement_total: str
    point_de_situation: str
    point_de_situation_date: str


@dataclass
class CareOffer:
    counts: list[list[str]]
    projects: list[list[str]]
    mmg: list[dict]
    schemes: list[list[str]]
    school_years: list[list[str]]
    sources: list[str]

    count_headers = ["Type", "En fonctionnement", "Projets", "Chiffre déclaré"]
    project_headers = ["Type", "Projet", "Commune", "Ouverture prévue"]
    scheme_headers = ["Type", "Dispositif", "Commune", "Ouverture", "Capacité", "Budget annuel", "Subventions"]
    school_year_headers = ["Année scolaire", "Type", "Unités", "Places", "Enfants scolarisés", "Budget"]


@dataclass
class DepartementReport:
    departement: Departement
    day: datetime.date
    titre: str
    coverage: Coverage
    nb_en_vigueur: int
    nb_preparation: int
    synthese: str
    coverage_facts: list[tuple[str, str]]
    coverage_rows: list[list[str]]
    carte: Figure
    charts: list[Figure]
    clss: list[ClsReport]
    autres: list[list[str]]
    programmes: list[list[str]]
    offre: CareOffer
    definitions: list[tuple[str, str]] = field(default_factory=lambda: DEFINITIONS)

    coverage_headers = ["Contrat", "État", "Communes", "Habitants"]
    autres_headers = ["Contrat", "État", "Observations"]
    programme_headers = ["Programme", "Porteur", "CLS qui le déploient"]

    @property
    def money_headers(self) -> list[str]:
        return ["Financeur", f"Jusqu'en {self.day.year}", "Tout le plan"]

    @property
    def nb_engages(self) -> int:
        return self.nb_en_vigueur + self.nb_preparation

    @property
    def filename(self) -> str:
        return f"rapport-cls-{self.departement.code}-{self.day.isoformat()}"


# ---------------------------------------------------------------------------
# Actions and money at a date


def action_states_at(cls_ids, day: datetime.date) -> dict[int, Counter]:
    """Per CLS: number of fiches by state on ``day`` (two queries).

    A fiche added to the plan after ``day`` is not counted. Its state is the last dated change of
    state on or before ``day``; before its first recorded change, the state that change left; with
    no recorded change, its current state.
    """
    changes = defaultdict(list)
    for change in ChangementEtat.objects.filter(fiche__cls_id__in=cls_ids).order_by("fiche_id", "date", "pk").values():
        changes[change["fiche_id"]].append(change)
    counts = defaultdict(Counter)
    fiches = FicheAction.objects.filter(cls_id__in=cls_ids).exclude(date_ajout__gt=day)
    for fiche in fiches.values("id", "cls_id", "etat"):
        history = changes.get(fiche["id"])
        state = fiche["etat"]
        if history:
            past = [c for c in history if c["date"] <= day]
            state = past[-1]["etat"] if past else history[0]["ancien_etat"]
        counts[fiche["cls_id"]][state] += 1
    return counts


def money_by_funder(cls_ids, day: datetime.date) -> dict[int, list[dict]]:
    """Per CLS and funder: amounts of the years up to ``day`` and of the whole plan (one query)."""
    rows = (
        Financement.objects.filter(fiche__cls_id__in=cls_ids)
        .exclude(fiche__date_ajout__gt=day)
        .order_by()
        .values("fiche__cls_id", "financeur__nom")
        .annotate(jusqu=Sum("montant", filter=Q(annee__lte=day.year), default=Decimal(0)), total=Sum("montant"))
        .order_by("fiche__cls_id", "-total", "financeur__nom")
    )
    out = defaultdict(list)
    for row in rows:
        out[row["fiche__cls_id"]].append(row)
    return out


# ---------------------------------------------------------------------------
# CLS sections


def _predecessors(cls: Cls) -> list[Cls]:
    chain, current = [], cls.predecesseur
    while current is not None:
        chain.append(current)
        current = current.predecesseur
    return chain


def _period(cls: Cls) -> str:
    if not cls.date_debut_effective:
        return "non commencé"
    return f"{date_fr(cls.date_debut_effective)} – {date_fr(cls.date_fin_effective) if cls.date_fin_effective else '?'}"


def _history(cls: Cls, day: datetime.date) -> list[str]:
    lines = []
    for previous in reversed(_predecessors(cls)):
        signed = f", signé le {date_fr(previous.date_signature)}" if previous.date_signature else ""
        lines.append(f"CLS {previous.generation}{signed} ; application : {_period(previous)}.")
        lines += _avenants(previous, day, prefix=f"CLS {previous.generation}, avenant")
    return lines + _avenants(cls, day, prefix="Avenant")


def _avenants(cls: Cls, day: datetime.date, *, prefix: str) -> list[str]:
    """The avenants of ``cls`` signed by ``day`` (or undated)."""
    lines = []
    for avenant in cls.avenants.all():
        if avenant.date_signature and avenant.date_signature > day:
            continue
        when = f"du {date_fr(avenant.date_signature)}" if avenant.date_signature else "(date non renseignée)"
        lines.append(f"{prefix} {when} : {avenant.objet}.")
    return lines


def _perimeter(cls: Cls) -> str:
    elements = [str(element.territoire) for element in cls.perimetre_elements.all()]
    return " ; ".join(elements) or "—"


def _cls_report(cls: Cls, entry, day, states: Counter, money: list[dict]) -> ClsReport:
    etat = entry.etat
    labels = dict(EtatFiche.choices)
    par_etat = [(labels[key], states[key]) for key in EtatFiche.values if states.get(key)]
    if states.get(""):
        par_etat.append((NO_STATE, states[""]))
    signataires = [
        str(s.organisation)
        for s in cls.signataires.all()
        if s.avenant is None or s.avenant.date_signature is None or s.avenant.date_signature <= day
    ]
    facts = [
        ("État au " + date_fr(day), etat.label),
        ("Porteur", str(cls.porteur)),
        ("Périmètre", _perimeter(cls)),
        ("Communes, habitants", f"{plural(cls.nb_communes or 0, 'commune')}, {fmt(cls.population or 0, 0)} habitants"),
        ("Génération", f"CLS {cls.generation}"),
        ("Signature", date_fr(cls.date_signature) if cls.date_signature else "non signé"),
        ("Application", _period(cls)),
        ("Fin (avenants compris)", date_fr(cls.date_fin_effective)),
        ("Coordination", str(cls.structure_coordination) if cls.structure_coordination else "—"),
    ]
    total_jusqu = sum((row["jusqu"] for row in money), Decimal(0))
    total = sum((row["total"] for row in money), Decimal(0))
    return ClsReport(
        cls=cls,
        titre=f"{cls.nom} (CLS {cls.generation})",
        etat=etat,
        couleur=entry.couleur,
        facts=facts,
        historique=_history(cls, day),
        signataires=signataires,
        axes=[str(axe) for axe in cls.axes.all()],
        actions_total=sum(states.values()),
        actions_par_etat=par_etat,
        financements=[[row["financeur__nom"], euros(row["jusqu"]), euros(row["total"])] for row in money],
        financement_total=f"{euros(total_jusqu)} jusqu'en {day.year} ; {euros(total)} pour tout le plan",
        point_de_situation=cls.point_de_situation,
        point_de_situation_date=date_fr(cls.point_de_situation_date) if cls.point_de_situation_date else "",
    )


def _cls_queryset():
    return (
        Cls.objects.with_perimeter_totals()
        .select_related("porteur_commune", "porteur_epci", "porteur_groupement", "structure_coordination")
        .select_related("predecesseur__predecesseur__predecesseur")
        .prefetch_related(
            Prefetch("signataires", queryset=Signataire.objects.select_related("organisation", "avenant")),
            "axes",
            "avenants",
            Prefetch(
                "perimetre_elements", queryset=PerimetreElement.objects.select_related("commune", "epci", "groupement")
            ),
        )
    )


# ---------------------------------------------------------------------------
# Care offer


def _opened_by(dispositif, day: datetime.date) -> bool:
    if dispositif.date_ouverture:
        return dispositif.date_ouverture <= day
    if dispositif.annee_scolaire_ouverture:
        return datetime.date(dispositif.annee_scolaire_ouverture, 9, 1) <= day
    return True  # opened before a known school year, or opening unknown: listed


def _mmg(departement: Departement, day: datetime.date) -> list[dict]:
    structures = careoffer_queries.structures_of(
        departement, day=day, kind=TypeStructure.MMG, etat=EtatStructure.FONCTIONNEMENT
    ).prefetch_related("creneaux", Prefetch("activites", queryset=ActiviteMmg.objects.order_by("debut")))
    out = []
    for mmg in structures:
        by_day = defaultdict(list)
        for slot in mmg.creneaux.all():
            by_day[slot.get_jour_display()].append(f"{slot.debut:%H}-{slot.fin:%H} h")
        activity = [a for a in mmg.activites.all() if a.debut <= day]
        activite = ""
        if activity:
            last = activity[-1]
            activite = f"Environ {fmt(float(last.consultations_par_weekend), 0)} consultations par week-end"
            activite += f" depuis le {date_fr(last.debut)}"
            shares = []
            if last.part_centre15 is not None:
                shares.append(f"{percent(last.part_centre15)} orientées par le Centre 15")
            if last.part_urgences is not None:
                shares.append(f"{percent(last.part_urgences)} par les urgences")
            activite += (" ; " + ", ".join(shares) if shares else "") + "."
        out.append(
            {
                "nom": mmg.nom,
                "lieu": mmg.adresse or mmg.commune.nom,
                "ouverture": date_fr(mmg.date_ouverture),
                "creneaux": " ; ".join(f"{jour} : {', '.join(slots)}" for jour, slots in by_day.items()),
                "activite": activite,
                "observations": mmg.observations,
            }
        )
    return out


def care_offer(departement: Departement, day: datetime.date) -> CareOffer:
    counts = []
    for row in careoffer_queries.count_rows(departement, day):
        declared = row["declare"] if row["declare"] and row["declare"].date <= day else None
        counts.append(
            [
                row["label"],
                str(row["fonctionnement"]),
                str(row["projet"]),
                f"{declared.valeur} (au {date_fr(declared.date)})" if declared else "—",
            ]
        )
    projects = [
        [s.type_court, s.nom, s.commune.nom, s.prevision or "non connue"]
        for s in careoffer_queries.forecast_projects(departement, day)
    ]
    schemes, sources = [], set()
    for d in careoffer_queries.schemes_of(departement):
        if not _opened_by(d, day):
            continue
        subsidies = list(d.subventions.all())
        subsidy_text = " ; ".join(f"{s.annee} : {euros(s.montant)}" for s in subsidies)
        if len(subsidies) > 1:
            subsidy_text += f" (total {euros(sum(s.montant for s in subsidies))})"
        ages = f", {d.age_min}-{d.age_max} ans" if d.age_min is not None and d.age_max is not None else ""
        schemes.append(
            [
                d.type_court,
                d.nom,
                d.commune.nom,
                d.ouverture or "—",
                (f"{d.capacite} places{ages}" if d.capacite else "—"),
                euros(d.budget_annuel) if d.budget_annuel is not None else "—",
                subsidy_text or "—",
            ]
        )
        if d.source:
            sources.add(d.source)
    school_years = []
    for row in careoffer_queries.school_year_rows(departement):
        if datetime.date(row["annee"], 9, 1) > day:
            continue
        declared = row["enfants_declares"]
        children = str(row["enfants"]) if row["enfants_renseignes"] else "—"
        if declared:
            children += f" (déclarés : {declared.valeur})"
        school_years.append(
            [
                row["libelle"],
                row["type_court"],
                str(row["unites"]),
                str(row["places"] or "—"),
                children,
                euros(row["budget"]) if row["budget"] is not None else "—",
            ]
        )
    return CareOffer(
        counts=counts,
        projects=projects,
        mmg=_mmg(departement, day),
        schemes=schemes,
        school_years=school_years,
        sources=sorted(sources),
    )


# ---------------------------------------------------------------------------
# The report


def _synthese(day, coverage: Coverage, en_vigueur: int, preparation: int) -> str:
    total = en_vigueur + preparation
    if not total:
        return f"Au {date_fr(day)}, aucun CLS n'est en vigueur ni en préparation dans ce département."
    vintage = f", population légale {coverage.millesime_population}" if coverage.millesime_population else ""
    if total > 1:
        head = f"{total} contrats locaux de santé sont contractualisés ou en cours de contractualisation"
        cover = "Ensemble, ils couvrent"
    else:
        head, cover = "1 contrat local de santé est contractualisé ou en cours de contractualisation", "Il couvre"
    return (
        f"Au {date_fr(day)}, {head} dans le département ({en_vigueur} en vigueur, {preparation} en préparation). "
        f"{cover} {fmt(coverage.population_couverte_avec_preparation, 0)} habitants sur "
        f"{fmt(coverage.population_totale, 0)}, soit {percent(coverage.taux_avec_preparation)} de la population "
        f"du département{vintage} ; les CLS en vigueur seuls en couvrent "
        f"{fmt(coverage.population_couverte_en_vigueur, 0)}, soit {percent(coverage.taux_en_vigueur)}."
    )


def _legend(entries) -> list[tuple[str, str]]:
    return [(e.couleur, f"{e.cls} — {e.etat.label.lower()}") for e in entries] + [(NOT_COVERED, "Commune non couverte")]


def departement_report(
    departement: Departement, day: datetime.date | None = None, *, coverage: Coverage | None = None
) -> DepartementReport:
    """The report's content; ``coverage``: the department's coverage at ``day`` when the caller has it."""
    day = day or timezone.localdate()
    entries = map_entries(departement, day)
    by_pk = {entry.cls.pk: entry for entry in entries}
    clss = {cls.pk: cls for cls in _cls_queryset().filter(pk__in=by_pk)}
    states = action_states_at(list(by_pk), day)
    money = money_by_funder(list(by_pk), day)
    sections = [
        _cls_report(clss[entry.cls.pk], entry, day, states.get(entry.cls.pk, Counter()), money.get(entry.cls.pk, []))
        for entry in entries
    ]
    coverage = coverage or departement_coverage(departement, day)
    en_vigueur = sum(1 for e in entries if e.etat in IN_FORCE)
    preparation = len(entries) - en_vigueur
    legend = _legend(entries)
    title = f"Contrats locaux de santé — {departement} — au {date_fr(day)}"
    carte = Figure(
        title,
        map_png(departement_map_geojson(departement, day, entries)["features"], legend, title=title),
        "Communes colorées selon le CLS qui les couvre : " + " ; ".join(label for _c, label in legend) + ".",
    )
    charts = []
    if sections:
        labels = [f"{short_name(s.cls)} (CLS {s.cls.generation})" for s in sections]
        values = [s.cls.population or 0 for s in sections]
        texts = [f"{fmt(v, 0)} hab." for v in values]
        chart_title = f"Population couverte par CLS au {date_fr(day)}"
        charts.append(
            Figure(
                chart_title,
                bar_chart_png(labels, values, chart_title, value_labels=texts),
                " ; ".join(f"{label} : {text}" for label, text in zip(labels, texts, strict=True)),
            )
        )
    main_and_past = set(by_pk)
    for cls in clss.values():
        main_and_past.update(p.pk for p in _predecessors(cls))
    autres = []
    for cls in (
        Cls.objects.filter(departement=departement)
        .exclude(pk__in=main_and_past)
        .select_related("porteur_commune", "porteur_epci", "porteur_groupement")
    ):
        etat = etat_at(cls, day)
        if etat is None:
            continue
        autres.append([f"{cls.nom} (CLS {cls.generation})", etat.label, cls.observations or "—"])
    return DepartementReport(
        departement=departement,
        day=day,
        titre=f"Les contrats locaux de santé — {departement} — au {date_fr(day)}",
        coverage=coverage,
        nb_en_vigueur=en_vigueur,
        nb_preparation=preparation,
        synthese=_synthese(day, coverage, en_vigueur, preparation),
        coverage_facts=[
            ("Population du département", f"{fmt(coverage.population_totale, 0)} habitants"),
            (
                "Couverte par un CLS en vigueur",
                f"{fmt(coverage.population_couverte_en_vigueur, 0)} habitants, {percent(coverage.taux_en_vigueur)} "
                f"({en_vigueur} CLS)",
            ),
            (
                "Couverte par un CLS en vigueur ou en préparation",
                f"{fmt(coverage.population_couverte_avec_preparation, 0)} habitants, "
                f"{percent(coverage.taux_avec_preparation)} ({en_vigueur + preparation} CLS)",
            ),
            ("Population légale utilisée", f"millésime {coverage.millesime_population or '—'}"),
        ],
        coverage_rows=[
            [s.titre, s.etat.label, fmt(s.cls.nb_communes or 0, 0), fmt(s.cls.population or 0, 0)] for s in sections
        ],
        carte=carte,
        charts=charts,
        clss=sections,
        autres=autres,
        programmes=_programmes(list(by_pk), day),
        offre=care_offer(departement, day),
    )


def _programmes(cls_ids, day: datetime.date) -> list[list[str]]:
    """Programmes with a fiche in at least two of the CLS of the report: programme, carrier, CLS."""
    fiches = FicheAction.objects.filter(cls_id__in=cls_ids).exclude(date_ajout__gt=day).select_related("cls")
    programmes = Programme.objects.filter(fiches__in=fiches).distinct().select_related("porteur")
    programmes = programmes.prefetch_related(Prefetch("fiches", queryset=fiches.order_by("cls__nom")))
    rows = []
    for programme in programmes:
        names = list(dict.fromkeys(short_name(f.cls) for f in programme.fiches.all()))
        if len(names) >= 2:
            rows.append([programme.nom, str(programme.porteur or "—"), f"{len(names)} : " + ", ".join(names)])
    return rows


# ---------------------------------------------------------------------------
# Region


@dataclass
class RegionReport:
    region: Region
    day: datetime.date
    titre: str
    coverage: Coverage
    synthese: str
    summary_headers: list[str]
    summary_rows: list[list[str]]
    carte: Figure
    charts: list[Figure]
    departements: list[DepartementReport]
    sans_cls: list[str]
    definitions: list[tuple[str, str]] = field(default_factory=lambda: DEFINITIONS)

    @property
    def filename(self) -> str:
        return f"rapport-cls-region-{self.region.code}-{self.day.isoformat()}"


SUMMARY_STATES = {
    Etat.EN_VIGUEUR: "En vigueur",
    Etat.SIGNE: "Signés, non appliqués",
    Etat.ELABORATION: "En élaboration",
    Etat.PREFIGURATION: "En préfiguration",
    Etat.INTENTION: "Intentions",
    Etat.ECHU: "Échus",
}


def region_report(region: Region, day: datetime.date | None = None) -> RegionReport:
    day = day or timezone.localdate()
    departements = list(region.departements.order_by("code"))
    coverages = {c.code: c for c in coverage_by_departement(day, departements=departements)}
    states = defaultdict(Counter)
    for cls in Cls.objects.filter(departement__region=region).select_related("departement"):
        etat = etat_at(cls, day)
        if etat is not None:
            states[cls.departement.code][etat] += 1
    rows, sections, sans_cls = [], [], []
    for departement in departements:
        coverage = coverages.get(departement.code) or departement_coverage(departement, day)
        counts = states[departement.code]
        rows.append(
            [
                f"{departement.nom} ({departement.code})",
                *[str(counts.get(etat, 0)) for etat in SUMMARY_STATES],
                fmt(coverage.population_couverte_en_vigueur, 0),
                percent(coverage.taux_en_vigueur),
                fmt(coverage.population_couverte_avec_preparation, 0),
                percent(coverage.taux_avec_preparation),
            ]
        )
        if counts.get(Etat.EN_VIGUEUR) or any(counts.get(etat) for etat in PREPARATION):
            sections.append(departement_report(departement, day, coverage=coverage))
        else:
            sans_cls.append(f"{departement.nom} ({departement.code}) : {fmt(coverage.population_totale, 0)} habitants")
    total = region_coverage(region, day)
    totals = Counter()
    for counts in states.values():
        totals.update(counts)
    rows.append(
        [
            f"Total {region.nom}",
            *[str(totals.get(etat, 0)) for etat in SUMMARY_STATES],
            fmt(total.population_couverte_en_vigueur, 0),
            percent(total.taux_en_vigueur),
            fmt(total.population_couverte_avec_preparation, 0),
            percent(total.taux_avec_preparation),
        ]
    )
    rates = {code: float(c.taux_en_vigueur) for code, c in coverages.items()}
    legend = [(colour, label) for _upper, colour, label in COVERAGE_CLASSES] + [NO_COVERAGE]
    title = f"Part de la population couverte par un CLS en vigueur au {date_fr(day)}"
    carte = Figure(
        title,
        map_png(region_map_geojson(region, rates)["features"], legend, title=title, outline="#3a3a3a"),
        " ; ".join(f"{c.nom} : {percent(c.taux_en_vigueur)}" for c in coverages.values()) + ".",
    )
    labels = [c.nom for c in coverages.values()]
    values = [float(c.taux_avec_preparation) for c in coverages.values()]
    texts = [percent(v) for v in values]
    chart_title = f"Part de la population couverte par un CLS en vigueur ou en préparation au {date_fr(day)}"
    chart = Figure(
        chart_title,
        bar_chart_png(labels, values, chart_title, value_labels=texts),
        " ; ".join(f"{label} : {text}" for label, text in zip(labels, texts, strict=True)),
    )
    engaged = sum(totals.get(etat, 0) for etat in (Etat.EN_VIGUEUR, *PREPARATION))
    if engaged > 1:
        head = f"{engaged} contrats locaux de santé sont en vigueur ou en préparation"
        cover = "ils couvrent"
    else:
        head = f"{engaged} contrat local de santé est en vigueur ou en préparation"
        cover = "il couvre"
    synthese = (
        f"Au {date_fr(day)}, {head} dans la région "
        f"{region.nom} ; {cover} {fmt(total.population_couverte_avec_preparation, 0)} habitants sur "
        f"{fmt(total.population_totale, 0)}, soit {percent(total.taux_avec_preparation)} de la population "
        f"(CLS en vigueur seuls : {percent(total.taux_en_vigueur)})."
    )
    return RegionReport(
        region=region,
        day=day,
        titre=f"Les contrats locaux de santé — région {region.nom} — au {date_fr(day)}",
        coverage=total,
        synthese=synthese,
        summary_headers=[
            "Département",
            *SUMMARY_STATES.values(),
            "Habitants couverts en vigueur",
            "Part",
            "Habitants couverts avec préparation",
            "Part",
        ],
        summary_rows=rows,
        carte=carte,
        charts=[chart],
        departements=sections,
        sans_cls=sans_cls,
    )
