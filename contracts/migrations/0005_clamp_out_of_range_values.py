"""Data migration: values stored before the bounds existed are brought within them (``core.validators``),
so that the check constraints of the next migration can be added. Kept apart from the schema migrations.
"""

from django.db import migrations

from core.limits import DATE_MAX, DATE_MIN
from core.validators import clamp_stored


def clamp(apps, schema_editor):
    Cls = apps.get_model("contracts", "Cls")
    # An end clamped onto its start would break « the end follows the start »: that end becomes unknown.
    Cls.objects.filter(date_fin__gt=DATE_MAX, date_debut__gte=DATE_MAX).update(date_fin=None)
    Cls.objects.filter(date_debut__lt=DATE_MIN, date_fin__lte=DATE_MIN).update(date_fin=None)
    clamp_stored(
        Cls.objects,
        dates=(
            "date_engagement",
            "date_prefiguration",
            "date_elaboration",
            "date_signature",
            "date_debut",
            "date_fin",
            "date_abandon",
            "point_de_situation_date",
        ),
    )
    clamp_stored(apps.get_model("contracts", "Avenant").objects, dates=("date_signature", "nouvelle_date_fin"))


class Migration(migrations.Migration):
    dependencies = [("contracts", "0004_scope_cross_border_and_versions")]

    operations = [migrations.RunPython(clamp, migrations.RunPython.noop)]
