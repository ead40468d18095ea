from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from steering.models import CampagneRevue, Decision, Instance, Membre, PieceJointe, ReponseRevue, Reunion


class MembreInline(admin.TabularInline):
    model = Membre
    extra = 0


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0


@admin.register(Instance)
class InstanceAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "cls", "type", "illustratif"]
    list_filter = ["type", "illustratif"]
    inlines = [MembreInline]


@admin.register(Reunion)
class ReunionAdmin(SimpleHistoryAdmin):
    list_display = ["instance_gouvernance", "date", "heure", "illustratif"]
    date_hierarchy = "date"
    inlines = [DecisionInline]
    readonly_fields = ["version"]


@admin.register(PieceJointe)
class PieceJointeAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "reunion", "taille", "ajoutee_par"]


@admin.register(CampagneRevue)
class CampagneRevueAdmin(SimpleHistoryAdmin):
    list_display = ["cls", "annee", "ouverte_le", "close_le", "illustratif"]


@admin.register(ReponseRevue)
class ReponseRevueAdmin(SimpleHistoryAdmin):
    """Read only: answers are given, and frozen, through the review's own pages and rules."""

    list_display = ["campagne", "fiche_numero", "fiche_titre", "porteur", "repondu_le"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
