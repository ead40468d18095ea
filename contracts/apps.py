from django.apps import AppConfig


class ContractsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "contracts"

    def ready(self):
        from territories.signals import commune_contours_changed, groupement_changed

        groupement_changed.connect(_recompute_perimeters, dispatch_uid="contracts.recompute_perimeters")
        commune_contours_changed.connect(_forget_perimeter_shapes, dispatch_uid="contracts.forget_perimeter_shapes")


def _recompute_perimeters(sender, groupement, **kwargs):
    """A grouping changed: the CLS built on it take its new communes (``territories`` cannot import us)."""
    from contracts.services import recompute_perimeters_using

    recompute_perimeters_using(groupement)


def _forget_perimeter_shapes(sender, commune_ids, **kwargs):
    """New commune contours: the stored shapes of the CLS holding those communes are drawn again on next read."""
    from contracts.models import PerimetreContour

    PerimetreContour.objects.filter(cls__communes__in=commune_ids).delete()
