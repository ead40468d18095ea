from django.db import migrations

PUBLICS = [
    "Population générale",
    "Personnes en situation de précarité",
    "Personnes en situation de handicap",
    "Enfants 0-12 ans",
    "Jeunes 12-25 ans",
    "Personnes âgées",
    "Patients atteints de maladies chroniques",
    "Professionnels de santé",
]
THEMES = [
    "Soins de premier recours",
    "Prévention et promotion de la santé",
    "Santé environnementale",
    "Parcours de soins",
    "Santé mentale",
    "Offre médico-sociale",
    "Réponse aux crises sanitaires",
]


def seed(apps, schema_editor):
    for model_name, names in (("Public", PUBLICS), ("Theme", THEMES)):
        model = apps.get_model("actions", model_name)
        for ordre, nom in enumerate(names, start=1):
            model.objects.get_or_create(nom=nom, defaults={"ordre": ordre})


class Migration(migrations.Migration):
    dependencies = [("actions", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
