"""The diagnostic as a document partners sign off at step 2: DOCX (python-docx) and PDF (WeasyPrint).

``diagnostic_content`` gathers everything once, from the data only (no text is invented);
``diagnostic_docx`` and ``diagnostic_pdf`` lay the same content out. Generic pieces (tables,
chart, HTML to PDF) are in ``core.documents``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Sum
from docx.shared import Pt

from contracts.coverage import departement_coverage, region_coverage
from contracts.models import Cls
from core.documents import (
    add_key_values,
    add_png,
    add_table,
    bar_chart_png,
    docx_bytes,
    html_to_pdf,
    new_document,
    png_data_uri,
)
from core.numbers import fmt
from diagnostics import queries

CHART_CODES = ("apl_mg", "taux_chomage", "taux_mortalite_brut")
CARE_OFFER_SOURCE = (
    "SantéLoc, registre de l'offre de soins (structures d'exercice coordonné et dates d'ouverture saisies par "
    "l'ARS), population légale des communes"
)


@dataclass
class Chart:
    titre: str
    png: bytes
    texte: str  # the same figures in words (alternative to the image)

    @property
    def data_uri(self) -> str:
        return png_data_uri(self.png)


@dataclass
class Content:
    cls: Cls
    day: datetime.date
    titre: str
    facts: list[tuple[str, str]]
    figure_headers: list[str]
    figure_rows: list[list[str]]
    care_headers: list[str]
    care_rows: list[list[str]]
    care_note: str
    coverage: str
    charts: list[Chart]
    enjeux: list[dict]
    sans_action: list[str]
    apports: list[dict]
    sources: list[list[str]]
    publiees: list[str] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"diagnostic-cls-{self.cls.pk}-{self.day.isoformat()}"


def _perimeter_facts(cls: Cls, day: datetime.date) -> list[tuple[str, str]]:
    totals = cls.communes.aggregate(
        communes=Count("id"), population=Sum("population"), millesime=Max("population_millesime")
    )
    communes = totals["communes"]
    population = totals["population"] or 0
    vintage = totals["millesime"]
    porteur = cls.porteur
    return [
        ("Contrat", str(cls)),
        ("Département", str(cls.departement)),
        ("Porteur", str(porteur) if porteur else "—"),
        ("Communes du périmètre", fmt(communes, 0)),
        (
            "Population municipale",
            f"{fmt(population, 0)} habitants" + (f" (population légale {vintage})" if vintage else ""),
        ),
        ("Document établi le", day.strftime("%d/%m/%Y") + " à partir des données enregistrées dans SantéLoc"),
    ]


def _figure_rows(profile) -> list[list[str]]:
    rows = []
    for row in profile.rows:
        ind = row.indicateur
        label = ind.libelle + (f" ({ind.unite})" if ind.unite and ind.unite not in queries.POINT_UNITS | {"€"} else "")
        perimeter = row.perimetre_text if not row.perimetre.missing else (row.perimetre.reason or "—")
        ecart = "—"
        if row.ecart:
            ecart = row.ecart.text + (f" ({row.ecart.tendance})" if row.ecart.tendance else "")
        rows.append([label, perimeter, *row.references_text, ecart])
    return rows


def _care_rows(offer) -> list[list[str]]:
    def cell(figure, decimals, suffix=""):
        return "non renseigné" if figure.value is None else f"{fmt(figure.value, decimals)}{suffix}"

    return [
        [
            "Structures d'exercice coordonné en fonctionnement pour 10 000 habitants",
            *[cell(f, 2) + (f" ({f.structures})" if f.value is not None else "") for f in offer.densite],
        ],
        [
            "Part de la population couverte par une CPTS en fonctionnement",
            *[cell(f, 1, " %") for f in offer.part_cpts],
        ],
    ]


def _charts(profile) -> list[Chart]:
    charts = []
    labels = ["Périmètre", *profile.territoires]
    for code in CHART_CODES:
        row = profile.row(code)
        if row is None or row.perimetre.value is None:
            continue
        values = [row.perimetre.value, *[ref.value for ref in row.references]]
        texts = [row.perimetre_text, *row.references_text]
        title = f"{row.indicateur.libelle} ({row.indicateur.producteur}, {row.indicateur.millesime})"
        words = " ; ".join(f"{label} : {text}" for label, text in zip(labels, texts, strict=True))
        charts.append(Chart(title, bar_chart_png(labels, values, title, value_labels=texts), words))
    return charts


def _enjeux(cls: Cls, profile) -> tuple[list[dict], list[str]]:
    enjeux, sans_action = queries.enjeux_with_actions(cls)
    items = []
    for enjeu in enjeux:
        evidence = []
        for ind in enjeu.indicateurs.all():
            row = profile.row(ind.code)
            value = f" : {row.perimetre_text} (département : {row.references_text[0]})" if row else ""
            evidence.append(f"{ind.libelle}{value}")
        evidence += [str(apport) for apport in enjeu.apports.all()]
        actions = [
            f"{fiche.numero} {fiche.titre} ({(fiche.get_etat_display() or 'état non renseigné').lower()})"
            for fiche in enjeu.reponses
        ]
        items.append(
            {
                "titre": enjeu.titre,
                "theme": enjeu.get_theme_display(),
                "priorite": enjeu.get_priorite_display(),
                "description": enjeu.description,
                "source": enjeu.source,
                "appui": evidence,
                "actions": actions,
            }
        )
    return items, [enjeu.titre for enjeu in sans_action]


def diagnostic_content(cls: Cls, day: datetime.date) -> Content:
    indicateurs = queries.catalogue()
    profile = queries.perimeter_profile(cls, indicateurs)
    offer = queries.care_offer(cls, day)
    coverages = [departement_coverage(cls.departement, day), region_coverage(cls.departement.region, day)]
    coverage = (
        f"Part de la population couverte par un CLS en vigueur au {day:%d/%m/%Y} : "
        + " ; ".join(f"{c.nom} {fmt(float(c.taux_en_vigueur), 1)} %" for c in coverages)
        + (f" (population légale {coverages[0].millesime_population})." if coverages[0].millesime_population else ".")
    )
    enjeux, sans_action = _enjeux(cls, profile)
    apports = [
        {
            "titre": f"{apport.get_type_display()} du {apport.date:%d/%m/%Y}",
            "aupres_de": apport.aupres_de,
            "participants": apport.participants,
            "themes": ", ".join(apport.themes_labels),
            "resume": apport.resume,
        }
        for apport in cls.apports_qualitatifs.all()
    ]
    sources = [[ind.libelle, ind.source, ind.producteur, str(ind.millesime), ind.licence] for ind in indicateurs]
    sources.append(["Exercice coordonné (structures, CPTS)", CARE_OFFER_SOURCE, "ARS, SantéLoc", str(day.year), "—"])
    publiees = [
        f"{row.indicateur.libelle} : "
        + (row.perimetre_text if row.perimetre.value is not None else row.perimetre.reason)
        for row in profile.publiees
    ]
    care_note = (
        "Offre de soins enregistrée pour : "
        + ", ".join(offer.departements_renseignes)
        + " ; ailleurs « non renseigné »."
        if offer.departements_renseignes
        else "Aucune structure d'exercice coordonné n'est encore enregistrée dans SantéLoc."
    )
    return Content(
        cls=cls,
        day=day,
        titre=f"Diagnostic territorial — {cls.nom}",
        facts=_perimeter_facts(cls, day),
        figure_headers=["Indicateur", "Périmètre", *profile.territoires, "Écart au département"],
        figure_rows=_figure_rows(profile),
        care_headers=["Indicateur", *offer.territoires],
        care_rows=_care_rows(offer),
        care_note=care_note,
        coverage=coverage,
        charts=_charts(profile),
        enjeux=enjeux,
        sans_action=sans_action,
        apports=apports,
        sources=sources,
        publiees=publiees,
    )


def diagnostic_docx(content: Content) -> bytes:
    document = new_document(content.titre, subject="Diagnostic territorial de santé (étape 2 du CLS)")
    document.add_paragraph(content.titre, style="Title")
    document.add_paragraph("Document de l'étape 2 du contrat local de santé, soumis à la validation des partenaires.")
    add_key_values(document, content.facts)

    document.add_heading("1. Chiffres clés et comparaisons", level=1)
    document.add_paragraph(
        "Les valeurs du périmètre sont calculées à partir de ses communes selon la règle de chaque indicateur "
        "(somme des effectifs, rapport des sommes, moyenne pondérée) ; l'écart est donné par rapport au département."
    )
    add_table(
        document,
        content.figure_headers,
        content.figure_rows,
        numeric=range(1, len(content.figure_headers) - 1),
        widths=[4.8, 2.5, 2.1, 2.1, 2.3, 3.2],
    )
    for line in content.publiees:
        document.add_paragraph(line, style="List Bullet")
    document.add_paragraph(content.coverage)

    document.add_heading("Exercice coordonné", level=2)
    add_table(
        document,
        content.care_headers,
        content.care_rows,
        numeric=range(1, len(content.care_headers)),
        widths=[6.2, 2.7, 2.7, 2.7, 2.7],
    )
    document.add_paragraph(content.care_note)

    if content.charts:
        document.add_heading("Graphiques", level=2)
        for chart in content.charts:
            add_png(document, chart.png, width_cm=16, caption=chart.texte)

    document.add_heading("2. Enjeux et actions qui y répondent", level=1)
    if not content.enjeux:
        document.add_paragraph("Aucun enjeu n'est encore nommé.")
    for enjeu in content.enjeux:
        document.add_heading(enjeu["titre"], level=2)
        document.add_paragraph(f"Thème : {enjeu['theme']} · priorité : {enjeu['priorite'].lower()}")
        if enjeu["description"]:
            document.add_paragraph(enjeu["description"])
        if enjeu["source"]:
            document.add_paragraph(f"Source : {enjeu['source']}").runs[0].font.size = Pt(8)
        document.add_paragraph("Éléments à l'appui :" if enjeu["appui"] else "Éléments à l'appui : aucun.")
        for line in enjeu["appui"]:
            document.add_paragraph(line, style="List Bullet")
        document.add_paragraph("Actions qui y répondent :" if enjeu["actions"] else "Aucune action n'y répond encore.")
        for line in enjeu["actions"]:
            document.add_paragraph(line, style="List Bullet")
    if content.enjeux:
        document.add_heading("Enjeux auxquels aucune action ne répond encore", level=2)
        if content.sans_action:
            for titre in content.sans_action:
                document.add_paragraph(titre, style="List Bullet")
        else:
            document.add_paragraph("Chaque enjeu a au moins une action qui y répond.")

    document.add_heading("3. Ce que disent les habitants et les acteurs", level=1)
    if content.apports:
        add_table(
            document,
            ["Date et type", "Auprès de", "Participants", "Thèmes", "Résumé"],
            [[a["titre"], a["aupres_de"], a["participants"], a["themes"], a["resume"]] for a in content.apports],
            numeric=[2],
            widths=[3, 3, 2, 3, 6],
        )
    else:
        document.add_paragraph("Aucun entretien, groupe de discussion, enquête ou réunion publique enregistré.")

    document.add_heading("4. Sources et licences", level=1)
    add_table(
        document,
        ["Indicateur", "Source", "Producteur", "Millésime", "Licence"],
        content.sources,
        widths=[4, 6, 2.5, 1.5, 3],
        font_size=8,
    )
    return docx_bytes(document)


def diagnostic_pdf(content: Content) -> bytes:
    return html_to_pdf("diagnostics/diagnostic_print.html", {"c": content})
