"""The departmental report's content at a date: the seed's picture of the Marne at the end of 2023."""

import datetime

from actions.models import Etat as EtatFiche
from actions.models import FicheAction
from actions.services import change_state
from contracts.lifecycle import Etat
from reports.departement import departement_report, region_report
from territories.models import Region

END_2023 = datetime.date(2023, 12, 31)


def titles(report) -> list[str]:
    return [section.titre for section in report.clss]


def test_marne_at_the_end_of_2023_shows_five_cls_contracted_and_their_share_of_the_population(marne_demo, marne):
    report = departement_report(marne, END_2023)

    # Seed 000: « Dans la Marne, 5 CLS ont été contractualisés » — three in force, Reims 3 and Épernay in preparation.
    assert (report.nb_en_vigueur, report.nb_preparation, report.nb_engages) == (3, 2, 5)
    assert sorted(titles(report)) == [
        "Contrat local de santé de Châlons-en-Champagne (CLS 1)",
        "Contrat local de santé de Reims (CLS 3)",
        "Contrat local de santé de l'Argonne Champenoise (CLS 1)",
        "Contrat local de santé du Pays d'Épernay Terres de Champagne (CLS 1)",
        "Contrat local de santé du bassin vitryat (CLS 3)",
    ]
    assert report.coverage.population_totale == 563_076
    assert report.coverage.population_couverte_en_vigueur == 94_410
    assert report.coverage.population_couverte_avec_preparation == 353_541
    assert report.synthese.startswith("Au 31/12/2023, 5 contrats locaux de santé sont contractualisés")
    assert "353\u202f541 habitants sur 563\u202f076, soit 62,8 %" in report.synthese
    assert "94\u202f410, soit 16,8 %" in report.synthese
    # Sézanne, Suippes and the Châlons agglomeration's CLS 2 are listed apart; Reims 1 and 2+ are history.
    assert [row[0] for row in report.autres] == [
        "Contrat local de santé de Sézanne-Sud Ouest Marnais (CLS 1)",
        "Contrat local de santé de l'agglomération de Châlons-en-Champagne (CLS 2)",
        "Contrat local de santé de la Région de Suippes (CLS 1)",
    ]
    reims = next(s for s in report.clss if s.cls == marne_demo["reims3"])
    assert reims.historique[:2] == [
        "CLS 1, signé le 20/12/2013 ; application : 20/12/2013 – 31/12/2017.",
        "CLS 2+ ; application : 01/01/2018 – 31/12/2022.",
    ]


def test_each_cls_section_gives_its_signatories_axes_actions_and_money(marne_demo, marne):
    report = departement_report(marne, END_2023)
    chalons = next(s for s in report.clss if s.cls == marne_demo["chalons1"])
    assert len(chalons.signataires) == 11
    assert chalons.axes[0].startswith("Axe 1 : Renforcer le pouvoir d'agir")
    assert dict(chalons.facts)["Fin (avenants compris)"] == "31/12/2024"
    assert dict(chalons.facts)["Communes, habitants"] == "1 commune, 42\u202f971 habitants"
    assert chalons.actions_total == FicheAction.objects.filter(cls=marne_demo["chalons1"]).count() > 0
    vitry = next(s for s in report.clss if s.cls == marne_demo["vitry"])
    assert vitry.axes[0] == (
        "Priorité 1 : Population générale avec une attention particulière pour les personnes en situation de précarité"
    )
    # Programmes shared across the CLS of the report: UDAF and Prescri'Mouv'.
    assert {row[0] for row in report.programmes} == {"Accès personnalisé à la santé", "Prescri'Mouv'"}


def test_the_care_offer_is_counted_at_the_date_with_projects_mmg_and_schemes(marne_demo, marne):
    report = departement_report(marne, END_2023)
    counts = {row[0]: row for row in report.offre.counts}
    assert counts["Maison de santé pluriprofessionnelle (MSP)"][3].startswith("20 ")
    assert {row[1] for row in report.offre.projects} >= {"MSP de Sainte-Menehould", "MSP de Vitry-le-François"}
    assert report.offre.mmg[0]["nom"] == "Maison médicale de garde de Châlons-en-Champagne"
    assert "Environ 33 consultations par week-end" in report.offre.mmg[0]["activite"]
    gem = next(row for row in report.offre.schemes if row[0] == "GEM")
    assert "2023 : 94\u202f188,23 €" in gem[6]
    # Before the MMG opened (5 September 2023), it is not among those in operation; nor the units of the
    # 2023/2024 school year.
    summer = departement_report(marne, datetime.date(2023, 8, 31)).offre
    assert summer.mmg == []
    assert "UEMA d'Épernay" not in {row[1] for row in summer.schemes}
    assert "UEMA d'Épernay" in {row[1] for row in report.offre.schemes}


def test_the_report_sees_the_past_as_it_was(marne_demo, marne):
    mid_2022 = departement_report(marne, datetime.date(2022, 6, 30))
    states = {s.cls: s.etat for s in mid_2022.clss}
    assert states == {
        marne_demo["reims2"]: Etat.EN_VIGUEUR,  # extended to the end of 2022
        marne_demo["reims3"]: Etat.ELABORATION,
        marne_demo["chalons1"]: Etat.EN_VIGUEUR,
        marne_demo["epernay"]: Etat.PREFIGURATION,
    }
    reims2 = next(s for s in mid_2022.clss if s.cls == marne_demo["reims2"])
    assert "CCAS de Reims" in reims2.signataires  # added by the avenant of 10 March 2022
    end_2021 = departement_report(marne, datetime.date(2021, 12, 31))
    reims2 = next(s for s in end_2021.clss if s.cls == marne_demo["reims2"])
    assert "CCAS de Reims" not in reims2.signataires
    assert not any("CCAS" in line for line in reims2.historique)
    # Épernay, signed on 26 February 2025, is in force afterwards.
    later = departement_report(marne, datetime.date(2025, 6, 30))
    assert {s.cls: s.etat for s in later.clss}[marne_demo["epernay"]] == Etat.EN_VIGUEUR


def test_actions_are_counted_by_their_state_at_the_date(marne_demo, marne):
    chalons = marne_demo["chalons1"]
    fiche = FicheAction.objects.filter(cls=chalons).first()
    change_state(fiche, etat=EtatFiche.EN_COURS, date=datetime.date(2023, 3, 1), read_version=fiche.version)
    FicheAction.objects.filter(cls=chalons).exclude(pk=fiche.pk).update(date_ajout=datetime.date(2024, 1, 15))

    def section(day):
        return next(s for s in departement_report(marne, day).clss if s.cls == chalons)

    assert section(datetime.date(2023, 1, 31)).actions_par_etat == [("État non renseigné", 1)]
    assert section(END_2023).actions_par_etat == [("En cours", 1)]
    total = FicheAction.objects.filter(cls=chalons).count()
    assert section(datetime.date(2024, 6, 30)).actions_total == total  # the fiches added in January 2024


def test_the_point_de_situation_of_the_ars_is_in_the_report(marne_demo, marne):
    vitry = marne_demo["vitry"]
    vitry.point_de_situation = "Comité de pilotage prévu en mars ; bilan annuel en cours."
    vitry.point_de_situation_date = datetime.date(2023, 12, 1)
    vitry.save()
    section = next(s for s in departement_report(marne, END_2023).clss if s.cls == vitry)
    assert section.point_de_situation == "Comité de pilotage prévu en mars ; bilan annuel en cours."
    assert section.point_de_situation_date == "01/12/2023"


def test_region_report_has_a_summary_row_per_department_and_a_section_for_those_with_cls(marne_demo, ars_ardennes):
    report = region_report(Region.objects.get(code="44"), END_2023)
    rows = {row[0]: row for row in report.summary_rows}
    marne = rows["Marne (51)"]
    assert marne[1:3] == ["3", "0"]  # in force, signed not started
    assert marne[-4:] == ["94\u202f410", "16,8 %", "353\u202f541", "62,8 %"]
    assert [section.departement.code for section in report.departements] == ["51"]
    assert report.sans_cls == ["Ardennes (08) : 0 habitants"]
    assert report.summary_rows[-1][0] == "Total Grand Est"
