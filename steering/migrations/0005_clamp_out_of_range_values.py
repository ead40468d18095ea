"""Data migration: values stored before the bounds existed are brought within them (``core.validators``),
so that the check constraints of the next migration can be added. Kept apart from the schema migrations.
"""

from django.db import migrations

from core.validators import clamp_stored


def clamp(apps, schema_editor):
    clamp_stored(apps.get_model("steering", "Reunion").objects, dates=('date',))
    clamp_stored(apps.get_model("steering", "Decision").objects, dates=('echeance', 'faite_le'))
    clamp_stored(apps.get_model("steering", "CampagneRevue").objects, dates=('ouverte_le', 'date_limite', 'close_le'))
    clamp_stored(apps.get_model("steering", "ReponseRevue").objects, money=('depense',))
    clamp_stored(apps.get_model("steering", "ValeurIndicateurRevue").objects, values=('valeur',))


class Migration(migrations.Migration):
    dependencies = [("steering", "0004_version_bodies_members_decisions")]

    operations = [migrations.RunPython(clamp, migrations.RunPython.noop)]
