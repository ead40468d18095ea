# Renames the body of a member / meeting so that django-simple-history (which reserves ``instance`` on its
# historical rows) can log it; written by hand as RenameField to keep the data.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_history(apps, schema_editor):
    """Rows logged before the body was recorded get the object's current body (the only one known).

    Otherwise the next change of every member and meeting would show a false « instance : vide → … ».
    Rows of deleted objects stay empty.
    """
    for name in ("membre", "reunion"):
        model = apps.get_model("steering", name)
        historical = apps.get_model("steering", f"historical{name}")
        current = model.objects.filter(pk=OuterRef("id")).values("instance_gouvernance_id")[:1]
        historical.objects.filter(instance_gouvernance__isnull=True).update(instance_gouvernance_id=Subquery(current))


class Migration(migrations.Migration):
    dependencies = [
        ("steering", "0002_campagnerevue_close_par_and_more"),
    ]

    operations = [
        migrations.RenameField(model_name="membre", old_name="instance", new_name="instance_gouvernance"),
        migrations.RenameField(model_name="reunion", old_name="instance", new_name="instance_gouvernance"),
        migrations.AlterField(
            model_name="membre",
            name="instance_gouvernance",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="membres",
                to="steering.instance",
                verbose_name="instance",
            ),
        ),
        migrations.AlterModelOptions(
            name="membre",
            options={"ordering": ["instance_gouvernance", "nom"], "verbose_name": "membre"},
        ),
        migrations.AddField(
            model_name="historicalmembre",
            name="instance_gouvernance",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="steering.instance",
                verbose_name="instance",
            ),
        ),
        migrations.AddField(
            model_name="historicalreunion",
            name="instance_gouvernance",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="steering.instance",
                verbose_name="instance",
            ),
        ),
        migrations.RunPython(fill_history, migrations.RunPython.noop),
    ]
