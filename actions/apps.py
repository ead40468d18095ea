from django.apps import AppConfig


class ActionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "actions"
    verbose_name = "Plans d'action"

    def ready(self):
        from actions.services import cls_section_context
        from contracts.page_sections import ClsSection, register

        register(ClsSection(order=10, template="actions/includes/_cls_section.html", context=cls_section_context))
