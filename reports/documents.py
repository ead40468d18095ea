"""DOCX (python-docx) and PDF (WeasyPrint) renderers of the reports and of the contract document.

The content is computed once (``reports.departement``, ``reports.contrat``); the renderers only lay
it out. Generic pieces (tables, images, HTML to PDF) come from ``core.documents``.
"""

from __future__ import annotations

from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement

from core.documents import add_key_values, add_png, add_table, docx_bytes, html_to_pdf, new_document
from reports.contrat import ContractDocument
from reports.departement import DepartementReport, RegionReport

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
# Region summary: department, six states, covered in force and share, covered with preparation and share (cm).
SUMMARY_WIDTHS = [2.0, 1.35, 1.5, 1.75, 1.8, 1.6, 1.1, 1.55, 1.2, 1.75, 1.2]


def _bullets(document, lines) -> None:
    for line in lines:
        document.add_paragraph(line, style="List Bullet")


def _keep_together(table) -> None:
    """Keep a small table on one page (a signature block must not be cut in two)."""
    for index, row in enumerate(table.rows):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        if index < len(table.rows) - 1:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True


def _departement_body(document, report: DepartementReport, level: int) -> None:
    """The sections of a department's report, headings starting at ``level``."""
    document.add_heading("Couverture de la population", level=level)
    document.add_paragraph(report.synthese)
    add_key_values(document, report.coverage_facts)
    if report.coverage_rows:
        document.add_paragraph()
        add_table(
            document,
            report.coverage_headers,
            report.coverage_rows,
            numeric=[2, 3],
            widths=[8, 4, 2, 3],
        )
    document.add_paragraph()
    add_png(document, report.carte.png, width_cm=16, caption=report.carte.texte)
    for chart in report.charts:
        add_png(document, chart.png, width_cm=16, caption=chart.texte)

    document.add_heading("Les contrats locaux de santé, un par un", level=level)
    if not report.clss:
        document.add_paragraph("Aucun CLS en vigueur ou en préparation à cette date.")
    for section in report.clss:
        document.add_heading(section.titre, level=level + 1)
        add_key_values(document, section.facts, font_size=9)
        document.add_paragraph()
        if section.historique:
            document.add_paragraph("Historique :")
            _bullets(document, section.historique)
        document.add_paragraph(
            f"Signataires ({len(section.signataires)}) : " + (", ".join(section.signataires) or "non renseignés") + "."
        )
        document.add_paragraph("Axes et priorités :" if section.axes else "Axes et priorités : non renseignés.")
        _bullets(document, section.axes)
        document.add_paragraph(f"Fiches actions au {report.day:%d/%m/%Y} : {section.actions_total}.")
        if section.actions_par_etat:
            add_table(document, ["État", "Fiches"], section.actions_par_etat, numeric=[1], widths=[6, 2])
            document.add_paragraph()
        if section.financements:
            document.add_paragraph()
            add_table(
                document,
                report.money_headers,
                section.financements,
                numeric=[1, 2],
                widths=[8, 4, 4],
            )
            document.add_paragraph(f"Total : {section.financement_total}.")
        else:
            document.add_paragraph("Aucun financement d'action enregistré.")
        heading = "Où en est le contrat, prochaines étapes"
        if section.point_de_situation_date:
            heading += f" (point du {section.point_de_situation_date})"
        document.add_paragraph(heading + " :").runs[0].bold = True
        document.add_paragraph(section.point_de_situation or "Aucun point de situation n'a encore été rédigé.")
    if report.autres:
        document.add_heading("Autres démarches connues", level=level + 1)
        add_table(document, report.autres_headers, report.autres, widths=[5, 3, 9])

    document.add_heading("Programmes communs à plusieurs CLS", level=level)
    if report.programmes:
        add_table(document, report.programme_headers, report.programmes, widths=[5, 4, 8])
    else:
        document.add_paragraph("Aucun programme n'est déployé dans plusieurs CLS.")

    offre = report.offre
    document.add_heading("Offre de soins coordonnée", level=level)
    add_table(
        document,
        offre.count_headers,
        offre.counts,
        numeric=[1, 2],
        widths=[7.5, 3, 2, 4],
    )
    document.add_paragraph(
        "Structures enregistrées dans SantéLoc, comptées à la date du rapport ; le chiffre déclaré est celui du "
        "dernier document source."
    )
    if offre.projects:
        document.add_heading("Projets et dates prévisionnelles", level=level + 1)
        add_table(document, offre.project_headers, offre.projects, widths=[2, 7, 4, 3.5])
    for mmg in offre.mmg:
        document.add_heading(mmg["nom"], level=level + 1)
        document.add_paragraph(f"Ouverte le {mmg['ouverture']} — {mmg['lieu']}.")
        if mmg["creneaux"]:
            document.add_paragraph(f"Ouverture : {mmg['creneaux']}.")
        if mmg["activite"]:
            document.add_paragraph(mmg["activite"])
        if mmg["observations"]:
            document.add_paragraph(mmg["observations"])

    document.add_heading("Dispositifs médico-sociaux", level=level)
    if offre.schemes:
        add_table(
            document,
            offre.scheme_headers,
            offre.schemes,
            numeric=[5],
            widths=[1.4, 3.6, 2.2, 2.4, 2.2, 2.4, 3.3],
            font_size=8,
        )
    else:
        document.add_paragraph("Aucun dispositif enregistré.")
    if offre.school_years:
        document.add_paragraph()
        add_table(
            document,
            offre.school_year_headers,
            offre.school_years,
            numeric=[2, 3, 5],
            widths=[2.6, 1.6, 1.6, 1.6, 4.5, 3],
        )
    for source in offre.sources:
        document.add_paragraph(f"Source : {source}").runs[0].italic = True


def _definitions(document, definitions) -> None:
    document.add_heading("Annexe : les structures, en quelques mots", level=1)
    for term, text in definitions:
        paragraph = document.add_paragraph()
        paragraph.add_run(term + ". ").bold = True
        paragraph.add_run(text)


def _intro(document, titre: str, day) -> None:
    document.add_paragraph(titre, style="Title")
    document.add_paragraph(
        f"Situation au {day:%d/%m/%Y}, établie par SantéLoc à partir des données enregistrées (états des contrats "
        "déduits de leurs jalons datés, population légale des communes)."
    )


def departement_docx(report: DepartementReport) -> bytes:
    document = new_document(report.titre, subject="Rapport départemental des contrats locaux de santé")
    _intro(document, report.titre, report.day)
    _departement_body(document, report, level=1)
    _definitions(document, report.definitions)
    return docx_bytes(document)


def region_docx(report: RegionReport) -> bytes:
    document = new_document(report.titre, subject="Rapport régional des contrats locaux de santé")
    _intro(document, report.titre, report.day)
    document.add_heading("Synthèse régionale", level=1)
    document.add_paragraph(report.synthese)
    add_table(
        document,
        report.summary_headers,
        report.summary_rows,
        numeric=range(1, len(report.summary_headers)),
        widths=SUMMARY_WIDTHS,
        font_size=6.5,
    )
    document.add_paragraph()
    add_png(document, report.carte.png, width_cm=14, caption=report.carte.texte)
    for chart in report.charts:
        add_png(document, chart.png, width_cm=16, caption=chart.texte)
    for section in report.departements:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_heading(str(section.departement), level=1)
        _departement_body(document, section, level=2)
    if report.sans_cls:
        document.add_heading("Départements sans CLS en vigueur ou en préparation", level=1)
        _bullets(document, report.sans_cls)
    _definitions(document, report.definitions)
    return docx_bytes(document)


def departement_pdf(report: DepartementReport) -> bytes:
    return html_to_pdf("reports/print/departement.html", {"report": report})


def region_pdf(report: RegionReport) -> bytes:
    return html_to_pdf("reports/print/region.html", {"report": report})


# ---------------------------------------------------------------------------
# Contract document


def contract_docx(contract: ContractDocument) -> bytes:
    document = new_document(contract.titre, subject="Contrat local de santé — document pour signature")
    document.add_paragraph(contract.titre, style="Title")
    document.add_paragraph(contract.preambule)
    document.add_heading("Article 1 — Les parties", level=1)
    document.add_paragraph("Le présent contrat est conclu entre :")
    _bullets(document, contract.parties or ["(signataires à compléter)"])
    document.add_heading("Article 2 — Le périmètre", level=1)
    document.add_paragraph(contract.perimetre_texte)
    add_table(document, contract.commune_headers, contract.communes, numeric=[2], widths=[8, 3, 3])
    document.add_heading("Article 3 — La durée", level=1)
    document.add_paragraph(contract.duree)
    document.add_heading("Article 4 — Les axes stratégiques", level=1)
    _bullets(document, contract.axes or ["(axes à compléter)"])
    document.add_paragraph(contract.annexe_texte)
    document.add_heading("Signatures", level=1)
    document.add_paragraph(f"Fait à {contract.lieu}, le ____________________")
    for partie in contract.parties:
        rows = [("Pour", partie), ("Nom et qualité", " "), ("Signature", "\n\n\n")]
        block = add_key_values(document, rows, font_size=9)
        _keep_together(block)
        document.add_paragraph()
    for fiche in contract.fiches:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_heading(f"Annexe — Fiche action {fiche['numero']} : {fiche['titre']}", level=1)
        add_key_values(document, fiche["facts"], font_size=9)
        if fiche["indicateurs"]:
            document.add_heading("Indicateurs d'évaluation", level=2)
            add_table(
                document,
                contract.indicator_headers,
                fiche["indicateurs"],
                numeric=[2, 3],
                widths=[8, 3, 2.5, 3],
            )
        document.add_heading("Plan de financement", level=2)
        if fiche["financements"]:
            add_table(
                document,
                contract.money_headers,
                fiche["financements"],
                numeric=[1, 2],
                widths=[7, 2, 4, 3],
            )
            document.add_paragraph(f"Total : {fiche['total']}.")
        else:
            document.add_paragraph("Aucun financement inscrit.")
    return docx_bytes(document)


def contract_pdf(contract: ContractDocument) -> bytes:
    return html_to_pdf("reports/print/contrat.html", {"c": contract})
