from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from careoffer.models import (
    ActiviteMmg,
    AnneeScolaireDispositif,
    ComptageDeclare,
    Creneau,
    Dispositif,
    Structure,
    Subvention,
)


class CreneauInline(admin.TabularInline):
    model = Creneau
    extra = 0


class ActiviteInline(admin.TabularInline):
    model = ActiviteMmg
    extra = 0


@admin.register(Structure)
class StructureAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "type", "departement", "commune", "date_ouverture", "date_fermeture"]
    list_filter = ["type", "departement"]
    search_fields = ["nom"]
    autocomplete_fields = ["commune", "communes"]
    inlines = [CreneauInline, ActiviteInline]


class AnneeScolaireInline(admin.TabularInline):
    model = AnneeScolaireDispositif
    extra = 0


class SubventionInline(admin.TabularInline):
    model = Subvention
    extra = 0


@admin.register(Dispositif)
class DispositifAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "type", "departement", "commune"]
    list_filter = ["type", "departement"]
    search_fields = ["nom"]
    autocomplete_fields = ["commune"]
    inlines = [AnneeScolaireInline, SubventionInline]


@admin.register(ComptageDeclare)
class ComptageDeclareAdmin(SimpleHistoryAdmin):
    list_display = ["departement", "type", "indicateur", "valeur", "date", "source"]
    list_filter = ["type", "departement"]
