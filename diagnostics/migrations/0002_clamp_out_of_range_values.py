"""Data migration: values stored before the bounds existed are brought within them (``core.validators``),
so that the check constraints of the next migration can be added. Kept apart from the schema migrations.
"""

from django.db import migrations

from core.validators import clamp_stored


def clamp(apps, schema_editor):
    clamp_stored(apps.get_model("diagnostics", "ApportQualitatif").objects, dates=('date',))


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0001_initial")]

    operations = [migrations.RunPython(clamp, migrations.RunPython.noop)]
