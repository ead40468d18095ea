from django.urls import path

from actions import views

urlpatterns = [
    path("cls/<int:pk>/plan/", views.plan, name="actions_plan"),
    path("cls/<int:pk>/plan/nouvelle-fiche/", views.fiche_create, name="actions_fiche_create"),
    path("cls/<int:pk>/plan/export.xlsx", views.plan_export_xlsx, name="actions_export_xlsx"),
    path("cls/<int:pk>/plan/export.csv", views.plan_export_csv, name="actions_export_csv"),
    path("cls/<int:pk>/plan/importer/", views.plan_import, name="actions_import"),
    path("cls/<int:pk>/plan/coordination/", views.coordination_funding, name="actions_coordination"),
    path(
        "cls/<int:pk>/plan/coordination/<int:line_pk>/supprimer/",
        views.coordination_funding_delete,
        name="actions_coordination_delete",
    ),
    path("actions/modele-plan-action.xlsx", views.plan_template, name="actions_template"),
    path("actions/<int:pk>/", views.fiche_detail, name="actions_fiche"),
    path("actions/<int:pk>/modifier/", views.fiche_edit, name="actions_fiche_edit"),
    path("actions/<int:pk>/etat/", views.fiche_state, name="actions_fiche_state"),
    path("actions/<int:pk>/notes/nouvelle/", views.fiche_note, name="actions_fiche_note"),
    path("actions/<int:pk>/etapes/nouvelle/", views.fiche_step, name="actions_fiche_step"),
    path("actions/<int:pk>/etapes/<int:step_pk>/cocher/", views.fiche_step_toggle, name="actions_fiche_step_toggle"),
    path("actions/<int:pk>/financements/nouveau/", views.fiche_funding, name="actions_fiche_funding"),
    path(
        "actions/<int:pk>/financements/<int:line_pk>/supprimer/",
        views.fiche_funding_delete,
        name="actions_fiche_funding_delete",
    ),
    path(
        "actions/<int:pk>/depenses/<int:line_pk>/supprimer/",
        views.fiche_spending_delete,
        name="actions_fiche_spending_delete",
    ),
    path("actions/<int:pk>/etapes/<int:step_pk>/supprimer/", views.fiche_step_delete, name="actions_fiche_step_delete"),
    path(
        "actions/<int:pk>/indicateurs/<int:indicator_pk>/supprimer/",
        views.fiche_indicator_delete,
        name="actions_fiche_indicator_delete",
    ),
    path("actions/<int:pk>/depenses/nouvelle/", views.fiche_spending, name="actions_fiche_spending"),
    path("actions/<int:pk>/indicateurs/nouveau/", views.fiche_indicator, name="actions_fiche_indicator"),
    path(
        "actions/<int:pk>/indicateurs/<int:indicator_pk>/valeur/",
        views.indicator_measure,
        name="actions_indicator_measure",
    ),
    path("mes-actions/", views.my_actions, name="actions_mine"),
    path("departements/<str:code>/actions/", views.departement_actions, name="actions_departement"),
    path("programmes/", views.programme_list, name="actions_programmes"),
    path("programmes/<int:pk>/", views.programme_detail, name="actions_programme"),
]
