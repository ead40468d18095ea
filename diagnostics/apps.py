from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "diagnostics"
    verbose_name = "Diagnostics territoriaux"

    def ready(self):
        from contracts.page_sections import ClsSection, register
        from diagnostics.queries import cls_section_context

        register(
            ClsSection(
                order=5,
                template="diagnostics/includes/_cls_section.html",
                context=lambda cls, user: cls_section_context(cls),
            )
        )
