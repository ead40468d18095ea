"""Django admin, for superusers only: the product's screens are the app's own."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contracts.models import Cls, Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("nom", "type", "siren")
    list_filter = ("type",)
    search_fields = ("nom", "siren")


@admin.register(Cls)
class ClsAdmin(SimpleHistoryAdmin):
    list_display = ("nom", "generation", "departement", "date_signature", "date_fin_effective")
    list_filter = ("departement",)
    search_fields = ("nom",)
    readonly_fields = ("date_debut_preparation", "date_debut_effective", "date_fin_effective", "version")
    filter_horizontal = ("coordinateurs", "partenaires")
    raw_id_fields = ("porteur_commune", "communes")
