from django.apps import AppConfig


class CareofferConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "careoffer"
