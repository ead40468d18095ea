from django.apps import AppConfig


class SteeringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "steering"
    verbose_name = "Pilotage et revue annuelle"

    def ready(self):
        from contracts.page_sections import ClsSection, register
        from steering.services import governance_section_context

        register(
            ClsSection(order=40, template="steering/includes/_cls_section.html", context=governance_section_context)
        )
