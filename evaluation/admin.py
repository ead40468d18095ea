from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluation.models import Evaluation, EvaluationAction, RappelEnvoye


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["cls", "redigee_par", "illustratif", "updated_at"]
    list_filter = ["illustratif"]


@admin.register(EvaluationAction)
class EvaluationActionAdmin(SimpleHistoryAdmin):
    list_display = ["fiche", "atteinte", "a_poursuivre", "illustratif"]
    list_filter = ["atteinte", "a_poursuivre", "illustratif"]
    list_select_related = ["fiche"]


@admin.register(RappelEnvoye)
class RappelEnvoyeAdmin(admin.ModelAdmin):
    list_display = ["destinataire", "date", "nombre", "envoye_le"]
    date_hierarchy = "date"
