from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from diagnostics.models import ApportQualitatif, Enjeu, Etablissement, Indicateur


@admin.register(Indicateur)
class IndicateurAdmin(admin.ModelAdmin):
    list_display = ["code", "libelle", "unite", "agregation", "direction", "millesime", "producteur"]
    list_filter = ["agregation", "direction", "producteur"]
    search_fields = ["code", "libelle"]


@admin.register(Etablissement)
class EtablissementAdmin(admin.ModelAdmin):
    list_display = ["finess", "nom", "type", "departement_code", "ville"]
    list_filter = ["departement_code", "statut_juridique"]
    search_fields = ["finess", "nom", "ville"]


@admin.register(ApportQualitatif)
class ApportQualitatifAdmin(SimpleHistoryAdmin):
    list_display = ["cls", "type", "date", "aupres_de", "participants"]
    list_filter = ["type"]


@admin.register(Enjeu)
class EnjeuAdmin(SimpleHistoryAdmin):
    list_display = ["titre", "cls", "theme", "priorite"]
    list_filter = ["theme", "priorite"]
    search_fields = ["titre"]
