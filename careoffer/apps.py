from django.apps import AppConfig


class CareofferConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "careoffer"
    verbose_name = "Offre de soins et dispositifs médico-sociaux"

    def ready(self):
        from careoffer.queries import cls_section_context
        from contracts.page_sections import ClsSection, register

        register(
            ClsSection(
                order=20,
                template="careoffer/includes/_cls_section.html",
                context=lambda cls, user: cls_section_context(cls),
            )
        )
