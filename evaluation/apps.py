from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = "Évaluation, complétude et rappels"

    def ready(self):
        from contracts.page_sections import ClsSection, register
        from evaluation.services import cls_section_context

        register(ClsSection(order=60, template="evaluation/includes/_cls_section.html", context=cls_section_context))
