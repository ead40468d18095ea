from django.apps import AppConfig


class ContractsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "contracts"

    def ready(self):
        from territories.signals import groupement_changed

        groupement_changed.connect(_recompute_perimeters, dispatch_uid="contracts.recompute_perimeters")


def _recompute_perimeters(sender, groupement, **kwargs):
    """A grouping changed: the CLS built on it take its new communes (``territories`` cannot import us)."""
    from contracts.services import recompute_perimeters_using

    recompute_perimeters_using(groupement)
