"""The generic import: everything checked first, French errors with place, nothing written, idempotent."""

import pytest
from django.core.management import call_command

from diagnostics.catalogue import COLUMNS
from diagnostics.importers import IndicatorImportError, import_indicators
from diagnostics.models import Etablissement, Indicateur, Valeur

from .conftest import import_shipped_indicators

pytestmark = pytest.mark.django_db

CATALOGUE = (
    ",".join(COLUMNS)
    + "\n"
    + "\n".join(
        [
            "chom,Chômeurs,personnes,neutre,somme,,,,1,0,2021,INSEE,INSEE,LO,1,0,",
            "act,Actifs,personnes,neutre,somme,,,,1,0,2021,INSEE,INSEE,LO,2,0,",
            "taux,Taux de chômage,%,defavorable,ratio,chom,act,,100,1,2021,INSEE,INSEE,LO,3,1,",
        ]
    )
)


def _write(tmp_path, catalogue=CATALOGUE, values=""):
    (tmp_path / "catalogue.csv").write_text(catalogue, encoding="utf-8")
    (tmp_path / "valeurs.csv").write_text("niveau,code,indicateur,annee,valeur\n" + values, encoding="utf-8")
    return {"catalogue_path": tmp_path / "catalogue.csv", "values_path": tmp_path / "valeurs.csv"}


def test_a_good_file_is_imported_then_reimported_without_change(tmp_path):
    paths = _write(
        tmp_path, values='commune,51454,chom,2021,9000\ncommune,51454,act,2021,"60000,5"\nfrance,FR,taux,2021,12.1\n'
    )
    report = import_indicators(**paths)
    assert report.indicateurs_crees == 3 and report.valeurs_creees == 3
    assert Indicateur.objects.get(code="taux").numerateur.code == "chom"
    assert Valeur.objects.get(indicateur__code="act").valeur == 60000.5

    again = import_indicators(**paths)
    assert not again.changed
    assert again.summary().startswith("Aucun changement : les 3 valeurs sont déjà à jour.")

    _write(
        tmp_path, values='commune,51454,chom,2021,9100\ncommune,51454,act,2021,"60000,5"\nfrance,FR,taux,2021,12.1\n'
    )
    changed = import_indicators(**paths)
    assert (changed.valeurs_creees, changed.valeurs_modifiees, changed.valeurs_inchangees) == (0, 1, 2)


def test_every_error_is_reported_with_file_line_and_column_and_nothing_is_written(tmp_path):
    values = "\n".join(
        [
            "commune,51454,chom,2021,9000",
            "canton,51454,chom,2021,1",
            "commune,99999,chom,2021,1",
            "commune,51108,inconnu,2021,1",
            "commune,51108,chom,20x1,1",
            "commune,51108,act,2021,beaucoup",
            "commune,51454,chom,2021,9000",
            "departement,51,taux,2021,s",
        ]
    )
    with pytest.raises(IndicatorImportError) as error:
        import_indicators(**_write(tmp_path, values=values + "\n"))
    assert error.value.errors == [
        "valeurs.csv, ligne 3, colonne « niveau » : « canton » n'est pas un niveau "
        "(commune, epci, departement, region, france).",
        "valeurs.csv, ligne 4, colonne « code » : la commune « 99999 » n'existe pas dans les territoires importés.",
        "valeurs.csv, ligne 5, colonne « indicateur » : indicateur « inconnu » absent du catalogue.",
        "valeurs.csv, ligne 6, colonne « annee » : année invalide « 20x1 ».",
        "valeurs.csv, ligne 7, colonne « valeur » : nombre, « s » ou vide attendu, « beaucoup » lu.",
        "valeurs.csv, ligne 8 : valeur en double (chom, commune 51454, 2021), déjà ligne 2.",
    ]
    assert not Indicateur.objects.exists() and not Valeur.objects.exists()


def test_catalogue_errors(tmp_path):
    catalogue = (
        CATALOGUE
        + "\n"
        + "\n".join(
            [
                "apl,APL,,favorable,moyenne_ponderee,,,,1,2,2023,DREES,DREES,LO,4,0,",
                "Mauvais Code,X,,neutre,somme,,,,1,0,2021,,,,5,0,",
                "moy,Moyenne,,neutre,moyenne,,,,1,0,2021,,,,6,0,",
                "r,Rapport,,neutre,ratio,chom,absent,,1,0,deux mille,,,,7,0,",
            ]
        )
    )
    with pytest.raises(IndicatorImportError) as error:
        import_indicators(**_write(tmp_path, catalogue=catalogue))
    messages = "\n".join(error.value.errors)
    assert "catalogue.csv, ligne 6, colonne « code » : code d'indicateur invalide « Mauvais Code »." in messages
    assert "catalogue.csv, ligne 7, colonne « agregation » : « moyenne » n'est pas une règle connue" in messages
    assert "catalogue.csv, ligne 8, colonne « millesime » : entier attendu, « deux mille » lu." in messages
    assert "catalogue.csv, ligne 8, colonne « denominateur » : indicateur « absent » inconnu." in messages
    assert "catalogue.csv, ligne 5, colonne « poids » : obligatoire pour une moyenne pondérée." in messages
    assert not Indicateur.objects.exists()


def test_missing_columns_are_reported(tmp_path):
    (tmp_path / "valeurs.csv").write_text("code;valeur\n51454;3\n", encoding="utf-8")
    (tmp_path / "catalogue.csv").write_text(CATALOGUE, encoding="utf-8")
    with pytest.raises(IndicatorImportError) as error:
        import_indicators(catalogue_path=tmp_path / "catalogue.csv", values_path=tmp_path / "valeurs.csv")
    assert error.value.errors == ["valeurs.csv : colonne(s) manquante(s) : niveau, indicateur, annee."]


def test_shipped_extract_imports_once_then_changes_nothing(db):
    first = import_shipped_indicators()
    assert first.valeurs_creees > 8000  # 13 commune indicators × 610 communes, plus the comparisons
    assert first.hors_perimetre > 50000  # communes of the other Grand Est departments, not in the test database
    assert Etablissement.objects.filter(departement_code="51").count() > 10
    secret = Valeur.objects.filter(indicateur__code="taux_pauvrete", commune__departement__code="51", statut="secret")
    assert secret.count() == 610 - 22  # the poverty rate is published for 22 Marne communes
    again = import_shipped_indicators()
    assert not again.changed


def test_command_refuses_a_bad_file(tmp_path, capsys):
    paths = _write(tmp_path, values="commune,99999,chom,2021,1\n")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="1 erreur"):
        call_command(
            "import_indicators",
            catalogue=str(paths["catalogue_path"]),
            valeurs=str(paths["values_path"]),
            etablissements="",
        )
    assert "ligne 2" in capsys.readouterr().err
