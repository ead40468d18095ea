"""Reads of the diagnostic: a perimeter's profile, map classes, white zones.

Every function runs a fixed number of SQL queries whatever the number of communes.
"""

from __future__ import annotations

import datetime
import json
import math
from dataclasses import dataclass, field
from html import escape

from django.db.models import Count, Prefetch, Q, Sum, TextField
from django.db.models.functions import Cast
from django.template.defaultfilters import title
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe

from actions.models import FicheAction
from careoffer.models import Structure, TypeStructure
from contracts.models import Cls
from core.numbers import fmt
from diagnostics.aggregation import (
    Figure,
    aggregate,
    aggregate_by,
    cached,
    commune_figures,
    data_version,
    perimeter_key,
    stored_values,
)
from diagnostics.models import Agregation, Direction, Enjeu, Etablissement, Indicateur, Niveau, Valeur
from territories.models import Commune, Departement, Epci

POINT_UNITS = {"%", "‰"}
KEY_FIGURES = ("population_2021", "apl_mg", "taux_chomage")


def fmt_value(indicateur: Indicateur, value: float | None) -> str:
    if value is None:
        return "—"
    unit = indicateur.unite
    if unit in {"habitants", "ménages", "naissances", "décès", "personnes"}:
        return fmt(value, 0)
    return f"{fmt(value, indicateur.decimales)}{' ' + unit if unit in POINT_UNITS or unit == '€' else ''}"


@dataclass
class Gap:
    text: str
    tendance: str | None  # "mieux", "moins bien" or None (neutral indicator or equal)

    @property
    def badge(self) -> str:
        return {"mieux": "success", "moins bien": "error"}.get(self.tendance or "", "")


def gap(indicateur: Indicateur, value: float | None, reference: float | None) -> Gap | None:
    """Difference in points for rates, ratio otherwise; a tendency only where the direction says."""
    if value is None or reference is None or indicateur.agregation == Agregation.SOMME:
        return None  # comparing counts of territories of different sizes says nothing
    if indicateur.unite in POINT_UNITS:
        diff = value - reference
        text = f"{'+' if diff >= 0 else '−'}{fmt(abs(diff), indicateur.decimales)} pt"
    else:
        if not reference:
            return None
        text = f"× {fmt(value / reference, 2)}"
    tendance = None
    if indicateur.direction != Direction.NEUTRE and not math.isclose(value, reference, rel_tol=0.005):
        higher = value > reference
        tendance = "mieux" if higher == (indicateur.direction == Direction.HAUSSE_FAVORABLE) else "moins bien"
    return Gap(text, tendance)


@dataclass
class Row:
    indicateur: Indicateur
    perimetre: Figure
    references: list[Figure]
    ecart: Gap | None = None

    @property
    def perimetre_text(self) -> str:
        return fmt_value(self.indicateur, self.perimetre.value)

    @property
    def references_text(self) -> list[str]:
        return [fmt_value(self.indicateur, ref.value) for ref in self.references]


@dataclass
class Profile:
    territoires: list[str]  # headings of the reference columns
    rows: list[Row] = field(default_factory=list)  # aggregable indicators
    publiees: list[Row] = field(default_factory=list)  # published per commune only (Filosofi)
    contexte: list[Row] = field(default_factory=list)  # department context (ages, mortality)
    version: str = ""  # of the data the figures come from (``aggregation.data_version``)

    def row(self, code: str) -> Row | None:
        return next((r for r in self.rows + self.publiees + self.contexte if r.indicateur.code == code), None)


def catalogue() -> list[Indicateur]:
    return list(Indicateur.objects.all())


def reference_figures(indicateurs: list[Indicateur], departement: Departement) -> dict:
    """{(niveau, code, indicator code): Figure} for the department, its region and France (4 queries).

    The values stored for them; where none is stored for the department or the region, the value
    computed from its communes by the indicator's rule.
    """
    region = departement.region
    levels = [(Niveau.DEPARTEMENT, departement.code), (Niveau.REGION, region.code), (Niveau.FRANCE, "FR")]
    figures = stored_values(indicateurs, levels)
    missing = [
        ind
        for ind in indicateurs
        if ind.agregation != Agregation.AUCUNE
        and any((niveau, code, ind.code) not in figures for niveau, code in levels[:2])
    ]
    computed = {
        levels[0]: aggregate(missing, Commune.objects.filter(departement=departement)),
        levels[1]: aggregate(missing, Commune.objects.filter(departement__region=region)),
    }
    for (niveau, code), by_code in computed.items():
        for ind_code, figure in by_code.items():
            figures.setdefault((niveau, code, ind_code), figure)
    return figures


def perimeter_profile(cls: Cls, indicateurs: list[Indicateur] | None = None) -> Profile:
    """The perimeter's figures next to its department, region and France.

    Both are kept in the cache for the current data (``data_version``) and, for the perimeter's, its
    set of communes (``perimeter_key``): 3 queries, up to 8 when they are not in the cache yet.
    """
    indicateurs = indicateurs if indicateurs is not None else catalogue()
    departement = cls.departement
    region = departement.region
    levels = [(Niveau.DEPARTEMENT, departement.code), (Niveau.REGION, region.code), (Niveau.FRANCE, "FR")]
    version = data_version()
    codes = ",".join(sorted(ind.code for ind in indicateurs))
    figures = cached(
        f"perimeter:{perimeter_key(cls)}:{codes}", version, lambda: aggregate(indicateurs, cls.communes.all())
    )
    references = cached(
        f"references:{departement.pk}:{codes}", version, lambda: reference_figures(indicateurs, departement)
    )
    profile = Profile(territoires=[str(departement), region.nom, "France"], version=version)
    for ind in indicateurs:
        refs = [
            references.get((niveau, code, ind.code)) or Figure(None, reason="Non disponible.")
            for niveau, code in levels
        ]
        figure = figures[ind.code]
        row = Row(ind, figure, refs, gap(ind, figure.value, refs[0].value))
        if ind.agregation != Agregation.AUCUNE:
            profile.rows.append(row)
        elif figure.communes or figure.secret:
            profile.publiees.append(row)
        else:
            profile.contexte.append(row)
    return profile


def published_commune_values(cls: Cls, indicateurs: list[Indicateur]) -> list[dict]:
    """Values published commune by commune (e.g. Filosofi) for the perimeter, in one query."""
    codes = [ind.code for ind in indicateurs]
    rows = (
        Valeur.objects.current()
        .publiees()
        .filter(niveau=Niveau.COMMUNE, commune__in=cls.communes.all(), indicateur__code__in=codes)
        .values("commune__nom", "commune__code", "commune__population", "indicateur__code", "valeur")
        .order_by("-commune__population", "commune__nom")
    )
    by_commune: dict = {}
    for row in rows:
        entry = by_commune.setdefault(row["commune__code"], {"nom": row["commune__nom"], "valeurs": {}})
        entry["valeurs"][row["indicateur__code"]] = row["valeur"]
    for entry in by_commune.values():
        entry["textes"] = [fmt_value(ind, entry["valeurs"].get(ind.code)) for ind in indicateurs]
    return list(by_commune.values())


def key_figures(cls: Cls) -> list[dict]:
    indicateurs = [ind for ind in Indicateur.objects.filter(code__in=KEY_FIGURES)]
    indicateurs.sort(key=lambda ind: KEY_FIGURES.index(ind.code))
    figures = aggregate(indicateurs, cls.communes.all())
    return [
        {"libelle": ind.libelle, "valeur": fmt_value(ind, figures[ind.code].value), "unite": ind.unite}
        for ind in indicateurs
    ]


def cls_section_context(cls: Cls) -> dict:
    """For the CLS page: the link to the diagnostic, three key figures, issues count (3 queries)."""
    return {"diagnostic_cls": cls, "diagnostic_chiffres": key_figures(cls), "diagnostic_enjeux": cls.enjeux.count()}


# ---------------------------------------------------------------------------
# Maps: communes coloured by quantile classes of an indicator

PALETTE = ["#dfe5fb", "#b1c0f2", "#7f95e4", "#4d65cc", "#000091"]


@dataclass
class MapClass:
    lower: float
    upper: float
    couleur: str
    label: str
    rang: str = ""


def quantile_classes(indicateur: Indicateur, values: list[float], n: int = 5) -> list[MapClass]:
    ordered = sorted(values)
    if not ordered:
        return []
    bounds = sorted({ordered[min(len(ordered) - 1, int(len(ordered) * k / n))] for k in range(n)} | {ordered[-1]})
    if len(bounds) == 1:
        bounds = [bounds[0], bounds[0]]
    classes = []
    count = len(bounds) - 1
    for index in range(count):
        colour = PALETTE[round(index * (len(PALETTE) - 1) / max(count - 1, 1))]
        low, high = bounds[index], bounds[index + 1]
        label = f"de {fmt_value(indicateur, low)} à {fmt_value(indicateur, high)}"
        classes.append(MapClass(low, high, colour, label, f"{index + 1} sur {count}"))
    return classes


def class_for(classes: list[MapClass], value: float | None) -> MapClass | None:
    if value is None or not classes:
        return None
    for cls in classes:
        if value <= cls.upper:
            return cls
    return classes[-1]


def commune_values(indicateur: Indicateur, communes) -> dict[int, Figure]:
    """{commune id: Figure} for one indicator (a ratio is computed commune by commune), one query."""
    figures = commune_figures([indicateur], communes)
    return {commune_id: by_code[indicateur.code] for commune_id, by_code in figures.items()}


def perimeter_map(cls: Cls, indicateur: Indicateur, version: str = "") -> tuple[list[dict], list[MapClass]]:
    """Rows (commune, value, class) for the map and its table, and the quantile classes.

    The communes' values are kept in the cache for this ``version`` of the data (``data_version``,
    computed here when not given): 2 queries (4 without ``version``), one more when not in the cache.
    """
    communes = list(cls.communes.values("id", "code", "nom", "population").order_by("nom"))
    values = cached(
        f"map:{perimeter_key(cls)}:{indicateur.code}",
        version or data_version(),
        lambda: commune_values(indicateur, cls.communes.all()),
    )
    present = [f.value for f in values.values() if f.value is not None]
    classes = quantile_classes(indicateur, present)
    rows = []
    for commune in communes:
        figure = values.get(commune["id"]) or Figure(None, reason="Aucune valeur.")
        found = class_for(classes, figure.value)
        reason = figure.reason or ("Secret statistique." if figure.secret else "Aucune valeur.")
        rows.append(
            {
                **commune,
                "valeur": figure.value,
                "texte": fmt_value(indicateur, figure.value) if figure.value is not None else reason,
                "classe": found,
            }
        )
    return rows, classes


def _html_rows(rows) -> SafeString:
    """``<tr>`` rows from rows of (CSS class or None, text) cells, texts escaped; built as one string
    because a template loop, or ``format_html_join``, takes a tenth of a second for the thousands of
    communes of a region."""
    return mark_safe(
        "".join(
            "<tr>"
            + "".join(
                f'<td class="{css}">{escape(str(text))}</td>' if css else f"<td>{escape(str(text))}</td>"
                for css, text in row
            )
            + "</tr>"
            for row in rows
        )
    )


def map_table_rows(rows: list[dict]) -> SafeString:
    """The map's table body: commune, value, class."""
    return _html_rows(
        ((None, row["nom"]), ("fr-cell--right", row["texte"]), (None, row["classe"].rang if row["classe"] else "—"))
        for row in rows
    )


def published_table_rows(communes: list[dict]) -> SafeString:
    return _html_rows(((None, c["nom"]), *(("fr-cell--right", t) for t in c["textes"])) for c in communes)


def contour_texts(communes) -> list[tuple]:
    """(id, code, nom, contour as GeoJSON text) of the communes that have a contour.

    The text is read as stored and put as it is into the response (``feature_collection``):
    decoding then re-encoding the contours of a region's 5,000 communes took most of a second.
    """
    return list(
        communes.filter(contour__isnull=False)
        .annotate(texte=Cast("contour__geojson", TextField()))
        .values_list("id", "code", "nom", "texte")
    )


def feature_collection(features) -> str:
    """A GeoJSON FeatureCollection as text from (geometry as GeoJSON text, properties) pairs."""
    return (
        '{"type": "FeatureCollection", "features": ['
        + ", ".join(
            f'{{"type": "Feature", "geometry": {geometry}, "properties": {json.dumps(properties)}}}'
            for geometry, properties in features
        )
        + "]}"
    )


def perimeter_map_geojson(cls: Cls, indicateur: Indicateur) -> str:
    rows, _classes = perimeter_map(cls, indicateur)
    contours = {pk: text for pk, _code, _nom, text in contour_texts(cls.communes.all())}
    thousands = get_format("THOUSAND_SEPARATOR")
    features = []
    for row in rows:
        if row["id"] not in contours:
            continue
        population = f"{row['population']:,}".replace(",", thousands)  # as intcomma, which takes 20 µs a call
        label = f"{row['nom']} ({row['code']}) — {population} hab. — {indicateur.libelle} : {row['texte']}"
        properties = {
            "code": row["code"],
            "couleur": row["classe"].couleur if row["classe"] else None,
            "etiquette": label,
        }
        features.append((contours[row["id"]], properties))
    geometries = (json.loads(text) for text in contours.values())  # decoded only for a small perimeter
    for hospital in hospital_features(perimeter_hospitals(cls, geometries)):
        features.append((json.dumps(hospital["geometry"]), hospital["properties"]))
    return feature_collection(features)


def _bounds(geometries) -> tuple[float, float, float, float] | None:
    xs, ys = [], []

    def walk(coords):
        if coords and isinstance(coords[0], int | float):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for item in coords:
                walk(item)

    for geometry in geometries:
        walk(geometry["coordinates"])
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def hospitals_in(geometries) -> list[Etablissement]:
    bounds = _bounds(list(geometries))
    if bounds is None:
        return []
    minx, miny, maxx, maxy = bounds
    return list(
        Etablissement.objects.filter(
            longitude__gte=minx, longitude__lte=maxx, latitude__gte=miny, latitude__lte=maxy
        ).order_by("nom")
    )


LARGE_PERIMETER = 300  # communes: beyond, hospitals are those of the perimeter's departments


def perimeter_hospitals(cls: Cls, geometries=None) -> list[Etablissement]:
    """Hospitals drawn on the perimeter's map.

    Within the bounding box of its contours; for a perimeter of more than 300 communes (reading
    thousands of contours is slow), those of the departments it touches. Two queries.
    """
    ids = list(cls.communes.values_list("id", flat=True)[: LARGE_PERIMETER + 1])
    if len(ids) > LARGE_PERIMETER:
        departements = list(cls.communes.values_list("departement__code", flat=True).distinct().order_by()[:20])
        return list(Etablissement.objects.filter(departement_code__in=departements).order_by("nom"))
    if geometries is None:
        geometries = cls.communes.filter(contour__isnull=False).values_list("contour__geojson", flat=True)
    return hospitals_in(geometries)


def hospital_label(hospital: Etablissement) -> str:
    """A hospital as the page lists it: name — type, public or private, town."""
    return f"{hospital.nom} — {hospital.type}, {hospital.statut_juridique}, {title(hospital.ville)}"


def hospital_features(hospitals: list[Etablissement]) -> list[dict]:
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [h.longitude, h.latitude]},
            "properties": {"code": h.finess, "etiquette": f"{h.nom} ({h.type}, {h.statut_juridique}) — {h.ville}"},
        }
        for h in hospitals
    ]


# ---------------------------------------------------------------------------
# White zones: territories no CLS covers, ranked by a need score


@dataclass
class ScoredTerritory:
    id: int
    code: str
    nom: str
    population: int
    valeurs: dict  # code -> Figure
    contributions: dict = field(default_factory=dict)  # code -> weighted standardised value
    score: float = 0.0


@dataclass
class WhiteZones:
    day: datetime.date
    criteres: list[tuple[Indicateur, float]]
    communes: list[ScoredTerritory]
    epcis: list[ScoredTerritory]
    population_non_couverte: int = 0


def need_indicators() -> list[Indicateur]:
    """Indicators with a direction, aggregable from communes: the candidate need criteria."""
    return list(
        Indicateur.objects.exclude(direction=Direction.NEUTRE)
        .exclude(agregation=Agregation.AUCUNE)
        .order_by("ordre", "code")
    )


DEFAULT_WEIGHTS = {"apl_mg": 2.0, "taux_chomage": 1.0, "taux_mortalite_brut": 1.0}


def _standardise(items: list[ScoredTerritory], criteres: list[tuple[Indicateur, float]]) -> None:
    """score = Σ weight × need-oriented z-score (missing value → 0, the mean)."""
    for ind, weight in criteres:
        present = [
            t.valeurs[ind.code].value
            for t in items
            if t.valeurs.get(ind.code) and t.valeurs[ind.code].value is not None
        ]
        if len(present) < 2:
            continue
        mean = sum(present) / len(present)
        std = math.sqrt(sum((v - mean) ** 2 for v in present) / len(present)) or 1.0
        sign = -1.0 if ind.direction == Direction.HAUSSE_FAVORABLE else 1.0
        for item in items:
            figure = item.valeurs.get(ind.code)
            z = 0.0 if figure is None or figure.value is None else (figure.value - mean) / std
            item.contributions[ind.code] = weight * sign * z
    for item in items:
        item.score = sum(item.contributions.values())
    items.sort(key=lambda t: (-t.score, t.nom))


def white_zones(communes, day: datetime.date, weights: dict[str, float], scope_key: str = "") -> WhiteZones:
    """Communes and EPCIs of ``communes`` (a department's or region's) no CLS covers on ``day``.

    A commune is covered when a CLS in force or in preparation on ``day`` includes it; an EPCI
    is a white zone when none of its communes is covered. Seven queries, whatever the size. With
    a ``scope_key`` naming the set of communes (« region:3 »), the figures of its communes and EPCIs
    are kept in the cache (two queries more, two less once there).
    """
    indicators = {ind.code: ind for ind in need_indicators()}
    criteres = [(indicators[code], w) for code, w in weights.items() if code in indicators and w]
    population = Indicateur.objects.filter(code="population_2021").first()
    shown = [ind for ind, _w in criteres] + ([population] if population else [])
    covered = Cls.communes.through.objects.filter(cls__in=Cls.objects.in_force_or_preparation_at(day)).values(
        "commune_id"
    )
    uncovered = communes.exclude(id__in=covered)
    rows = list(uncovered.values_list("id", "code", "nom", "population"))
    # With a ``scope_key``, the figures of every commune and EPCI of the scope, covered or not (the
    # same whatever the day), are kept in the cache.
    codes = ",".join(ind.code for ind in shown)
    version = data_version() if scope_key else ""
    if scope_key:
        values = cached(f"communes-of:{scope_key}:{codes}", version, lambda: commune_figures(shown, communes))
    else:
        values = commune_figures(shown, uncovered)
    commune_items = [ScoredTerritory(pk, code, nom, pop, values.get(pk, {})) for pk, code, nom, pop in rows]
    _standardise(commune_items, criteres)

    in_scope = Epci.objects.filter(communes__in=communes).distinct()
    covered_epcis = Epci.objects.filter(communes__in=covered)
    epcis = in_scope.exclude(id__in=covered_epcis)
    epci_rows = list(epcis.values_list("id", "code", "nom"))

    def epci_figures(of_epcis):
        return aggregate_by(shown, Commune.objects.filter(epcis__in=of_epcis), "commune__epcis")

    if scope_key:
        epci_values = cached(f"epcis-of:{scope_key}:{codes}", version, lambda: epci_figures(in_scope))
    else:
        epci_values = epci_figures(epcis)
    epci_items = []
    for pk, code, nom in epci_rows:
        figures = epci_values.get(pk, {})
        pop = figures.get("population_2021")
        epci_items.append(ScoredTerritory(pk, code, nom, int(pop.value) if pop and pop.value else 0, figures))
    _standardise(epci_items, criteres)
    return WhiteZones(
        day=day,
        criteres=criteres,
        communes=commune_items,
        epcis=epci_items,
        population_non_couverte=sum(item.population for item in commune_items),
    )


def white_zone_geojson(communes, zones: WhiteZones) -> str:
    by_id = {item.id: (rank, item) for rank, item in enumerate(zones.communes, start=1)}
    scores = [item.score for item in zones.communes]
    fake = Indicateur(code="score", unite="", decimales=2)
    classes = quantile_classes(fake, scores)
    features = []
    for commune_id, code, nom, geometry in contour_texts(communes):
        found = by_id.get(commune_id)
        if found is None:
            props = {"code": code, "couleur": None, "etiquette": f"{nom} ({code}) — couverte par un CLS"}
        else:
            rank, item = found
            colour = class_for(classes, item.score)
            props = {
                "code": code,
                "couleur": colour.couleur if colour else None,
                "etiquette": f"{nom} ({code}) — non couverte — rang {rank}, score de besoin {fmt(item.score, 2)}",
            }
        features.append((geometry, props))
    return feature_collection(features)


def parse_weights(query: dict) -> dict[str, float]:
    """Weights from the query string (``poids_<code>=2``); defaults when none is given."""
    weights = {}
    given = False
    for key, raw in query.items():
        if not key.startswith("poids_"):
            continue
        given = True
        try:
            value = float(str(raw).replace(",", "."))
        except ValueError:
            continue
        if math.isfinite(value) and -10 <= value <= 10:
            weights[key.removeprefix("poids_")] = value
    return weights if given else dict(DEFAULT_WEIGHTS)


def scope_filter(departement=None, region=None) -> Q:
    if departement is not None:
        return Q(departement=departement)
    return Q(departement__region=region)


CHART_INDICATORS = ("apl_mg", "taux_chomage", "taux_mortalite_brut", "taux_natalite")
CHART_COLOURS = ["#000091", "#6a6af4", "#8585f6", "#cacafb"]


def comparison_chart(profile: Profile) -> list[dict]:
    """Bars perimeter / department / region / France for a few indicators (drawn as SVG)."""
    groups = []
    labels = ["Périmètre", *profile.territoires]
    for code in CHART_INDICATORS:
        row = profile.row(code)
        if row is None:
            continue
        figures = [row.perimetre, *row.references]
        values = [f.value for f in figures]
        top = max((v for v in values if v is not None), default=0)
        if not top:
            continue
        bars = []
        for index, (label, value) in enumerate(zip(labels, values, strict=True)):
            width = 0 if value is None else round(value / top * 300, 1)
            bars.append(
                {
                    "label": label,
                    "y": index * 22,
                    "width": width,
                    "couleur": CHART_COLOURS[index],
                    "texte": fmt_value(row.indicateur, value),
                    "text_x": width + 6,
                }
            )
        groups.append({"indicateur": row.indicateur, "bars": bars})
    return groups


# ---------------------------------------------------------------------------
# Peers: the EPCIs most like a perimeter

PEER_INDICATORS = ("densite", "evolution_population", "taux_chomage", "apl_mg")


@dataclass
class Peer:
    epci: Epci
    distance: float
    textes: list[str]


def peers(cls: Cls, profile: Profile, count: int = 5, codes=PEER_INDICATORS) -> tuple[list[Indicateur], list[Peer]]:
    """The EPCIs of the region closest to the perimeter (Euclidean distance of standardised values).

    Each indicator is centred and scaled over the region's EPCIs (computed from their communes by
    the same rules, kept in the cache); EPCIs lying entirely inside the perimeter are left out. Three
    queries, four when the region's EPCI figures are not in the cache yet.
    """
    region = cls.departement.region
    rows = {row.indicateur.code: row for row in profile.rows}
    indicateurs = [rows[code].indicateur for code in codes if code in rows and rows[code].perimetre.value is not None]
    if not indicateurs:
        return [], []
    region_communes = Commune.objects.filter(departement__region=region)
    codes = ",".join(ind.code for ind in indicateurs)
    by_epci = cached(
        f"epcis:{region.pk}:{codes}",
        profile.version or data_version(),
        lambda: {key: f for key, f in aggregate_by(indicateurs, region_communes, "commune__epcis").items() if key},
    )
    perimeter_ids = set(cls.communes.values_list("id", flat=True))
    members: dict = {}
    for epci_id, commune_id in Commune.epcis.through.objects.filter(epci_id__in=list(by_epci)).values_list(
        "epci_id", "commune_id"
    ):
        members.setdefault(epci_id, set()).add(commune_id)
    inside = {epci_id for epci_id, ids in members.items() if ids <= perimeter_ids}
    stats = {}
    for ind in indicateurs:
        values = [f[ind.code].value for f in by_epci.values() if f[ind.code].value is not None]
        if len(values) < 2:
            continue
        mean = sum(values) / len(values)
        std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) or 1.0
        stats[ind.code] = (mean, std)
    target = {ind.code: rows[ind.code].perimetre.value for ind in indicateurs}
    scored = []
    for epci_id, figures in by_epci.items():
        if epci_id in inside:
            continue
        total, used = 0.0, 0
        for code, (_mean, std) in stats.items():
            value = figures[code].value
            if value is None:
                continue
            total += ((value - target[code]) / std) ** 2
            used += 1
        if used == len(stats) and used:
            scored.append((math.sqrt(total), epci_id))
    scored.sort()
    chosen = scored[:count]
    epcis = Epci.objects.in_bulk([epci_id for _d, epci_id in chosen])
    result = [
        Peer(epcis[epci_id], distance, [fmt_value(ind, by_epci[epci_id][ind.code].value) for ind in indicateurs])
        for distance, epci_id in chosen
    ]
    return indicateurs, result


# ---------------------------------------------------------------------------
# Issues and the actions answering them


def enjeux_with_actions(cls: Cls) -> tuple[list[Enjeu], list[Enjeu]]:
    """The CLS's issues with their evidence and answering actions, and those no action answers (4 queries)."""
    actions = FicheAction.objects.only("id", "numero", "titre", "etat", "cls_id").order_by("numero")
    enjeux = list(
        cls.enjeux.prefetch_related("indicateurs", "apports", Prefetch("actions", queryset=actions, to_attr="reponses"))
    )
    return enjeux, [enjeu for enjeu in enjeux if not enjeu.reponses]


# ---------------------------------------------------------------------------
# Care offer: derived indicators from the care-offer registry (recorded department by department)

PER_INHABITANTS = 10_000
FRANCE_DEPARTEMENTS = 101
CARE_OFFER_MISSING = "Non renseigné : l'offre de soins n'est enregistrée dans SantéLoc que pour certains départements."


@dataclass
class CareFigure:
    """A care-offer figure for one territory; ``value`` is None where the registry holds no data."""

    nom: str
    value: float | None
    structures: int = 0
    population: int = 0
    population_cpts: int = 0
    reason: str = ""


@dataclass
class CareOffer:
    day: datetime.date
    densite: list[CareFigure]  # perimeter, department, region, France
    part_cpts: list[CareFigure]
    departements_renseignes: list[str]

    @property
    def territoires(self) -> list[str]:
        return [figure.nom for figure in self.densite]


def care_offer(cls: Cls, day: datetime.date) -> CareOffer:
    """Coordinated-care structures in operation per 10,000 inhabitants and the share of the
    population living in communes covered by a CPTS in operation, on ``day`` (5 queries).

    Structures (MSP, ESP, CPTS, MMG, centres de santé) are counted where they are located (a
    CPTS at its seat); populations are the communes' legal populations. A department counts as
    recorded when the registry holds at least one structure there, a region or France only when
    all its departments are: elsewhere the figure is « non renseigné », never 0.
    """
    departement = cls.departement
    region = departement.region
    departements = list(Departement.objects.values_list("id", "code", "nom", "region_id"))
    recorded = set(Structure.objects.order_by().values_list("departement_id", flat=True).distinct())
    in_operation = Structure.objects.en_fonctionnement_at(day)
    cpts = Structure.communes.through.objects.filter(structure__in=in_operation.filter(type=TypeStructure.CPTS)).values(
        "commune_id"
    )
    perimeter = cls.communes.through.objects.filter(cls=cls).values("commune_id")
    scopes = {
        "perimetre": Q(id__in=perimeter),
        "departement": Q(departement=departement),
        "region": Q(departement__region=region),
        "france": Q(),
    }
    sums = {}
    for key, scope in scopes.items():
        sums[f"{key}_pop"] = Sum("population", filter=scope, default=0)
        sums[f"{key}_cpts"] = Sum("population", filter=scope & Q(id__in=cpts), default=0)
    populations = Commune.objects.aggregate(**sums)
    counts = in_operation.aggregate(
        perimetre=Count("pk", filter=Q(commune__in=perimeter)),
        departement=Count("pk", filter=Q(commune__departement=departement)),
        region=Count("pk", filter=Q(commune__departement__region=region)),
        france=Count("pk"),
    )
    perimeter_departements = set(
        Commune.objects.filter(id__in=perimeter).order_by().values_list("departement_id", flat=True).distinct()
    )
    region_departements = {pk for pk, _code, _nom, region_id in departements if region_id == region.pk}
    available = {
        "perimetre": bool(perimeter_departements) and perimeter_departements <= recorded,
        "departement": departement.pk in recorded,
        "region": region_departements <= recorded,
        "france": len(departements) >= FRANCE_DEPARTEMENTS and {d[0] for d in departements} <= recorded,
    }
    names = {"perimetre": "Périmètre", "departement": str(departement), "region": region.nom, "france": "France"}
    densite, part = [], []
    for key in scopes:
        population, covered, count = populations[f"{key}_pop"], populations[f"{key}_cpts"], counts[key]
        if not available[key] or not population:
            missing = CareFigure(names[key], None, reason=CARE_OFFER_MISSING)
            densite.append(missing)
            part.append(missing)
            continue
        densite.append(CareFigure(names[key], count / population * PER_INHABITANTS, count, population, covered))
        part.append(CareFigure(names[key], covered / population * 100, count, population, covered))
    recorded_names = [
        f"{nom} ({code})" for pk, code, nom, _r in sorted(departements, key=lambda d: d[1]) if pk in recorded
    ]
    return CareOffer(day, densite, part, recorded_names)
