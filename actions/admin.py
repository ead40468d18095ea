from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.models import (
    Depense,
    Etape,
    FicheAction,
    Financement,
    FinancementCoordination,
    Indicateur,
    Mesure,
    NoteSuivi,
    Programme,
    Public,
    Theme,
)


class FinancementInline(admin.TabularInline):
    model = Financement
    extra = 0


class EtapeInline(admin.TabularInline):
    model = Etape
    extra = 0


@admin.register(FicheAction)
class FicheActionAdmin(SimpleHistoryAdmin):
    list_display = ["numero", "titre", "cls", "porteur", "etat"]
    list_filter = ["etat", "cls__departement"]
    search_fields = ["titre", "numero"]
    list_select_related = ["cls", "porteur"]
    autocomplete_fields = ["porteur", "partenaires", "programme"]
    raw_id_fields = ["cls", "axe", "lieux"]
    inlines = [EtapeInline, FinancementInline]


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    search_fields = ["nom"]
    list_display = ["nom", "porteur"]


@admin.register(Indicateur)
class IndicateurAdmin(SimpleHistoryAdmin):
    list_display = ["libelle", "fiche", "type", "est_taux"]
    raw_id_fields = ["fiche"]


admin.site.register([Public, Theme])
for model in (Financement, Depense, FinancementCoordination, Mesure, NoteSuivi):
    admin.site.register(model, SimpleHistoryAdmin)
