"""Evaluation figures against the values computed by hand in ``small``'s docstring."""

from decimal import Decimal

from evaluation.figures import cls_figures
from evaluation.models import Atteinte, EvaluationAction
from steering.models import CampagneRevue, Poursuite, ReponseRevue


def test_actions_by_state_and_axis(small):
    figures = cls_figures(small["cls"])
    assert figures.by_state == [("En cours", 2), ("Réalisée", 1), ("État non renseigné", 1)]
    axes = {axe.label: axe for axe in figures.axes}
    assert list(axes) == ["Axe 1 : Prévention", "Axe 2 : Environnement", "Hors axe"]
    assert axes["Axe 1 : Prévention"].actions == 2
    assert axes["Axe 1 : Prévention"].by_state == {"En cours": 1, "Réalisée": 1}
    assert axes["Hors axe"].by_state == {"État non renseigné": 1}


def test_indicator_attainment_uses_last_measure_and_direction(small):
    figures = cls_figures(small["cls"])
    rows = {row.indicateur.libelle: row for row in figures.indicateurs}
    assert (rows["Personnes accompagnées"].valeur, rows["Personnes accompagnées"].atteint) == (120, True)
    assert (rows["Ateliers"].annee, rows["Ateliers"].valeur, rows["Ateliers"].atteint) == (2025, 30, False)
    assert rows["Guide diffusé"].atteint is None  # target but no measure: not assessed
    assert (rows["Taux de fumeurs"].valeur, rows["Taux de fumeurs"].atteint) == (Decimal("70.00"), True)  # a decrease
    assert (figures.attainment.evalues, figures.attainment.atteints, figures.attainment.part) == (3, 2, 67)
    assert figures.attainment.sans_mesure == 1
    axes = {axe.label: axe.indicateurs for axe in figures.axes}
    assert (axes["Axe 1 : Prévention"].atteints, axes["Axe 1 : Prévention"].evalues) == (1, 2)
    assert axes["Axe 2 : Environnement"].part == 100
    assert axes["Hors axe"].part is None
    per_action = {row.fiche.numero: row.indicateurs.text for row in figures.actions}
    assert per_action == {
        "1.1": "1 sur 2 (50 %)",
        "1.2": "aucun indicateur évaluable",
        "2.1": "1 sur 1 (100 %)",
        "HA.1": "aucun indicateur évaluable",
    }


def test_money_by_funder_and_year(small):
    figures = cls_figures(small["cls"])
    rows = [(r.financeur, r.annee, r.sollicite, r.engage, r.verse) for r in figures.money]
    assert rows == [
        ("ARS Grand Est", 2024, Decimal("500.00"), Decimal("1000.00"), Decimal("0.00")),
        ("ARS Grand Est", 2025, Decimal("0.00"), Decimal("2000.00"), Decimal("2000.00")),
        ("CPAM de la Marne", 2024, Decimal("0.00"), Decimal("300.50"), Decimal("300.50")),
    ]
    total = figures.money_total
    assert (total.sollicite, total.engage, total.verse) == (Decimal("500.00"), Decimal("3300.50"), Decimal("2300.50"))
    assert figures.depenses == [(2024, Decimal("500.25")), (2025, Decimal("50.00"))]
    assert figures.depenses_total == Decimal("550.25")


def test_issues_covered_or_not(small):
    figures = cls_figures(small["cls"])
    assert figures.enjeux_couverts == [("Accès aux soins", 1)]
    assert figures.enjeux_non_couverts == ["Santé mentale"]


def test_action_assessment_and_last_review_proposal(small):
    f11, f21 = small["f11"], small["f21"]
    for annee, poursuite in ((2024, Poursuite.NON), (2025, Poursuite.ADAPTER)):
        campagne = CampagneRevue.objects.create(cls=small["cls"], annee=annee, ouverte_le=f"{annee + 1}-01-10")
        ReponseRevue.objects.create(
            campagne=campagne, fiche=f11, fiche_numero="1.1", fiche_titre=f11.titre, poursuite=poursuite
        )
    EvaluationAction.objects.create(fiche=f21, atteinte=Atteinte.ATTEINT, a_poursuivre=True)
    figures = cls_figures(small["cls"])
    rows = {row.fiche.numero: row for row in figures.actions}
    assert (rows["1.1"].proposition, rows["1.1"].proposition_annee) == ("Poursuivre en l'adaptant", 2025)
    assert rows["1.1"].evaluation is None and not rows["1.1"].a_poursuivre
    assert rows["2.1"].evaluation.get_atteinte_display() == "Objectifs atteints"
    assert [row.fiche.numero for row in figures.a_poursuivre] == ["2.1"]
    assert figures.evaluees == 1
