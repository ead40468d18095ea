"""Data migration: values stored before the bounds existed are brought within them (``core.validators``),
so that the check constraints of the next migration can be added. Kept apart from the schema migrations.
"""

from django.db import migrations

from core.validators import clamp_stored


def clamp(apps, schema_editor):
    clamp_stored(apps.get_model("careoffer", "Structure").objects, dates=('date_projet', 'date_prevision', 'date_ouverture', 'date_fermeture'))
    clamp_stored(apps.get_model("careoffer", "ActiviteMmg").objects, dates=('debut', 'fin'))
    clamp_stored(apps.get_model("careoffer", "Dispositif").objects, dates=('date_ouverture',), money=('budget_annuel',))
    clamp_stored(apps.get_model("careoffer", "AnneeScolaireDispositif").objects, money=('budget',))
    clamp_stored(apps.get_model("careoffer", "Subvention").objects, money=('montant',))
    clamp_stored(apps.get_model("careoffer", "ComptageDeclare").objects, dates=('date',))


class Migration(migrations.Migration):
    dependencies = [("careoffer", "0001_initial")]

    operations = [migrations.RunPython(clamp, migrations.RunPython.noop)]
