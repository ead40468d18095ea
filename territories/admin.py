from django.contrib import admin

from territories.models import Commune, Epci, Groupement


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("nom", "code", "departement", "population")
    search_fields = ("nom", "code")
    list_filter = ("departement",)
    filter_horizontal = ("epcis",)


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ("nom", "code", "type")
    search_fields = ("nom", "code")


@admin.register(Groupement)
class GroupementAdmin(admin.ModelAdmin):
    list_display = ("nom", "type")
    filter_horizontal = ("epcis",)
    raw_id_fields = ("communes",)
