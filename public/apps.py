from django.apps import AppConfig


class PublicConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "public"
    verbose_name = "Pages publiques et données ouvertes"

    def ready(self):
        from contracts.page_sections import ClsSection, register

        register(
            ClsSection(
                order=90,
                template="public/includes/_cls_section.html",
                context=lambda cls, user: {
                    "cls_pk": cls.pk,
                    "contact": cls.contact_coordination,
                    "can_edit_contact": cls.can_edit(user),
                },
            )
        )
