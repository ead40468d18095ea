"""Data migration: values stored before the bounds existed are brought within them (``core.validators``),
so that the check constraints of the next migration can be added. Kept apart from the schema migrations.
"""

from django.db import migrations

from core.validators import clamp_stored


def clamp(apps, schema_editor):
    clamp_stored(apps.get_model("actions", "FicheAction").objects, dates=('debut_prevu', 'fin_prevue', 'debut_reel', 'fin_reelle', 'date_ajout'))
    clamp_stored(apps.get_model("actions", "Etape").objects, dates=('echeance', 'faite_le'))
    clamp_stored(apps.get_model("actions", "NoteSuivi").objects, dates=('date',))
    clamp_stored(apps.get_model("actions", "ChangementEtat").objects, dates=('date',))
    clamp_stored(apps.get_model("actions", "Financement").objects, money=('montant',))
    clamp_stored(apps.get_model("actions", "Depense").objects, money=('montant',))
    clamp_stored(apps.get_model("actions", "FinancementCoordination").objects, money=('montant',))
    clamp_stored(apps.get_model("actions", "Indicateur").objects, dates=('date_cible',), values=('valeur_initiale', 'cible'))
    clamp_stored(apps.get_model("actions", "Mesure").objects, values=('valeur', 'numerateur', 'denominateur'))


class Migration(migrations.Migration):
    dependencies = [("actions", "0006_ficheaction_predecesseur_and_more")]

    operations = [migrations.RunPython(clamp, migrations.RunPython.noop)]
