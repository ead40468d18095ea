"""Create the DSFR site configuration (header, footer, accessibility status)."""

from django.db import migrations


def create_site_config(apps, schema_editor):
    DsfrConfig = apps.get_model("dsfr", "DsfrConfig")
    DsfrConfig.objects.update_or_create(
        language="fr",
        defaults={
            "site_title": "SantéLoc",
            "site_tagline": "Les contrats locaux de santé de votre territoire",
            "header_brand": "République française",
            "header_brand_html": "République<br>française",
            "footer_brand": "République française",
            "footer_brand_html": "République<br>française",
            "footer_description": (
                "SantéLoc aide l'agence régionale de santé et les collectivités à conduire leurs "
                "contrats locaux de santé : territoire, contrat, plan d'action, suivi et évaluation."
            ),
            "accessibility_status": "NOT",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("dsfr", "0012_dsfrconfig_notice_description_and_more")]

    operations = [migrations.RunPython(create_site_config, migrations.RunPython.noop)]
