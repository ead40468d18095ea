"""The evaluation report of a CLS: DOCX (python-docx) and PDF (WeasyPrint), from the data only.

``report_content`` gathers the tables once (figures of ``evaluation.figures``, the conclusions,
each action's assessment); ``report_docx`` and ``report_pdf`` lay the same content out. Content
marked illustrative in the demo says so wherever it appears.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property

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
from core.numbers import euros, fmt
from evaluation.figures import Figures, cls_figures
from evaluation.models import Evaluation

ILLUSTRATIF = "Exemple illustratif"
NO_ENJEU = "Aucun enjeu n'est nommé dans le diagnostic de ce CLS."
ILLUSTRATIF_NOTE = "Exemple illustratif : ce contenu n'est pas tiré des documents sources du contrat."


@dataclass
class Chart:
    titre: str
    png: bytes
    texte: str

    @property
    def data_uri(self) -> str:
        return png_data_uri(self.png)


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()


@dataclass
class Content:
    titre: str
    day: datetime.date
    facts: list[tuple[str, str]]
    etats: Table
    indicateurs: Table
    attainment: str
    money: Table
    depenses: Table
    enjeux_couverts: list[str]
    enjeux_non_couverts: list[str]
    actions: Table
    actions_illustratives: bool
    conclusions: str
    recommandations: str
    conclusions_illustratives: bool
    filename: str
    figures: Figures = field(repr=False)

    @cached_property
    def charts(self) -> list[Chart]:
        """Drawn only when a document asks for them: the evaluation page shows tables, not charts."""
        return _charts(self.figures)

    @property
    def has_enjeux(self) -> bool:
        return bool(self.enjeux_couverts or self.enjeux_non_couverts)


def _chart(titre: str, labels: list[str], values: list, texts: list[str]) -> Chart:
    words = " ; ".join(f"{label} : {text}" for label, text in zip(labels, texts, strict=True))
    return Chart(titre, bar_chart_png(labels, values, titre, value_labels=texts), words)


def _charts(figures: Figures) -> list[Chart]:
    charts = []
    if figures.by_state:
        labels = [label for label, _ in figures.by_state]
        counts = [n for _, n in figures.by_state]
        charts.append(_chart("Actions par état", labels, counts, [str(n) for n in counts]))
    if figures.money:
        by_funder: dict[str, float] = {}
        for row in figures.money:
            by_funder[row.financeur] = by_funder.get(row.financeur, 0) + float(row.engage)
        labels = list(by_funder)
        values = [by_funder[label] for label in labels]
        charts.append(_chart("Financements engagés par financeur (€)", labels, values, [euros(v) for v in values]))
    return charts


def _yes_no(value: bool | None) -> str:
    return {True: "oui", False: "non", None: "non évaluable"}[value]


def report_content(figures: Figures, day: datetime.date) -> Content:
    cls = figures.cls
    evaluation = Evaluation.objects.filter(cls=cls).first()
    debut, fin = cls.date_debut_effective, cls.date_fin_effective
    facts = [
        ("Contrat", str(cls)),
        ("Département", str(cls.departement)),
        ("Porteur", str(cls.porteur) if cls.porteur else "—"),
        (
            "Période d'application",
            f"du {debut:%d/%m/%Y} au {fin:%d/%m/%Y}" if debut and fin else "non renseignée",
        ),
        ("Signataires", str(cls.signataires.count())),
        ("Fiches actions", str(len(figures.actions))),
        ("Actions évaluées", f"{figures.evaluees} sur {len(figures.actions)}"),
        ("Document établi le", f"{day:%d/%m/%Y} à partir des données enregistrées dans SantéLoc"),
    ]
    etats = Table(
        ["Axe", "Actions", *figures.states, "Indicateurs atteints"],
        [
            [axe.label, str(axe.actions), *(str(axe.by_state.get(s, 0)) for s in figures.states), axe.indicateurs.text]
            for axe in figures.axes
        ]
        + [
            [
                "Ensemble du CLS",
                str(len(figures.actions)),
                *(str(n) for _, n in figures.by_state),
                figures.attainment.text,
            ]
        ],
        numeric=tuple(range(1, len(figures.states) + 2)),
    )
    indicateurs = Table(
        ["Fiche", "Indicateur", "Cible", "Dernière valeur", "Cible atteinte"],
        [
            [
                row.indicateur.fiche.numero,
                row.indicateur.libelle + (f" ({row.indicateur.unite})" if row.indicateur.unite else ""),
                "—" if row.indicateur.cible is None else fmt(float(row.indicateur.cible), 2),
                "—" if row.valeur is None else f"{fmt(float(row.valeur), 2)} ({row.annee})",
                _yes_no(row.atteint),
            ]
            for row in figures.indicateurs
        ],
        numeric=(2, 3),
    )
    total = figures.money_total
    money = Table(
        ["Financeur", "Année", "Sollicité", "Engagé (acquis ou versé)", "Versé"],
        [[r.financeur, str(r.annee), euros(r.sollicite), euros(r.engage), euros(r.verse)] for r in figures.money]
        + ([["Total", "", euros(total.sollicite), euros(total.engage), euros(total.verse)]] if figures.money else []),
        numeric=(2, 3, 4),
    )
    depenses = Table(
        ["Année", "Dépenses déclarées"],
        [[str(annee), euros(amount)] for annee, amount in figures.depenses]
        + ([["Total", euros(figures.depenses_total)]] if figures.depenses else []),
        numeric=(1,),
    )
    actions = Table(
        ["Fiche", "Intitulé", "État", "Indicateurs atteints", "Atteinte des objectifs", "À poursuivre", "Commentaire"],
        [
            [
                row.fiche.numero,
                row.fiche.titre,
                row.etat,
                row.indicateurs.text,
                (row.evaluation.get_atteinte_display() if row.evaluation else "non évaluée")
                + (f" ({ILLUSTRATIF.lower()})" if row.evaluation and row.evaluation.illustratif else ""),
                "oui" if row.a_poursuivre else "non",
                row.evaluation.commentaire if row.evaluation else "",
            ]
            for row in figures.actions
        ],
    )
    return Content(
        titre=f"Évaluation — {cls}",
        day=day,
        facts=facts,
        etats=etats,
        indicateurs=indicateurs,
        attainment=(
            f"Indicateurs ayant atteint leur cible : {figures.attainment.text} ; "
            f"sans cible ou sans mesure : {figures.attainment.sans_mesure}."
        ),
        money=money,
        depenses=depenses,
        enjeux_couverts=[f"{titre} ({n} action{'s' if n > 1 else ''})" for titre, n in figures.enjeux_couverts],
        enjeux_non_couverts=figures.enjeux_non_couverts,
        actions=actions,
        actions_illustratives=any(row.evaluation and row.evaluation.illustratif for row in figures.actions),
        conclusions=evaluation.conclusions if evaluation else "",
        recommandations=evaluation.recommandations if evaluation else "",
        conclusions_illustratives=bool(evaluation and evaluation.illustratif),
        filename=f"evaluation-cls-{cls.pk}-{day.isoformat()}",
        figures=figures,
    )


def cls_report(cls, day: datetime.date) -> Content:
    return report_content(cls_figures(cls), day)


def _docx_table(document, table: Table, empty: str, **kwargs) -> None:
    if table.rows:
        add_table(document, table.headers, table.rows, numeric=table.numeric, **kwargs)
    else:
        document.add_paragraph(empty)


def _docx_note(document, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = True
    run.italic = True


def report_docx(content: Content) -> bytes:
    document = new_document(content.titre, subject="Évaluation du contrat local de santé (étape 5)")
    document.add_paragraph(content.titre, style="Title")
    document.add_paragraph("Rapport d'évaluation établi à partir des données du contrat, pour préparer le CLS suivant.")
    add_key_values(document, content.facts)

    document.add_heading("1. Actions par axe et par état", level=1)
    others = len(content.etats.headers) - 1
    _docx_table(document, content.etats, "Aucune fiche action.", widths=[6, *[11 / others] * others])
    for chart in content.charts:
        add_png(document, chart.png, width_cm=16, caption=chart.texte)

    document.add_heading("2. Indicateurs et cibles", level=1)
    document.add_paragraph(content.attainment)
    _docx_table(document, content.indicateurs, "Aucun indicateur n'est défini.", widths=[1.5, 7, 2.2, 3.3, 2.5])

    document.add_heading("3. Financements et dépenses", level=1)
    _docx_table(document, content.money, "Aucun financement n'est inscrit.", widths=[5, 1.6, 3.3, 3.8, 3.3])
    _docx_table(document, content.depenses, "Aucune dépense n'est déclarée.")

    document.add_heading("4. Enjeux du diagnostic", level=1)
    if content.has_enjeux:
        document.add_heading("Enjeux couverts par au moins une action", level=2)
        for line in content.enjeux_couverts or ["Aucun."]:
            document.add_paragraph(line, style="List Bullet")
        document.add_heading("Enjeux sans action", level=2)
        for line in content.enjeux_non_couverts or ["Aucun : chaque enjeu a au moins une action."]:
            document.add_paragraph(line, style="List Bullet")
    else:
        document.add_paragraph(NO_ENJEU)

    document.add_heading("5. Évaluation des actions", level=1)
    if content.actions_illustratives:
        _docx_note(document, ILLUSTRATIF_NOTE)
    _docx_table(document, content.actions, "Aucune fiche action.", font_size=8)

    document.add_heading("6. Conclusions et recommandations", level=1)
    if content.conclusions_illustratives:
        _docx_note(document, ILLUSTRATIF_NOTE)
    document.add_heading("Conclusions", level=2)
    document.add_paragraph(content.conclusions or "Les conclusions ne sont pas encore rédigées.")
    document.add_heading("Recommandations pour la génération suivante", level=2)
    document.add_paragraph(content.recommandations or "Les recommandations ne sont pas encore rédigées.")
    return docx_bytes(document)


def report_pdf(content: Content) -> bytes:
    return html_to_pdf(
        "evaluation/report_print.html", {"c": content, "illustratif_note": ILLUSTRATIF_NOTE, "no_enjeu": NO_ENJEU}
    )
