from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "Rapports"

    def ready(self):
        from contracts.page_sections import ClsSection, register
        from reports.services import cls_section_context

        register(ClsSection(order=50, template="reports/includes/_cls_section.html", context=cls_section_context))
