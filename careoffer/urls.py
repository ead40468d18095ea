from django.urls import path

from careoffer import views

urlpatterns = [
    path("offre-de-soins/", views.home, name="careoffer_home"),
    path("regions/<str:code>/offre-de-soins/", views.region_offer, name="careoffer_region"),
    path("departements/<str:code>/offre-de-soins/", views.departement_offer, name="careoffer_departement"),
    path("departements/<str:code>/offre-de-soins/carte.geojson", views.departement_map, name="careoffer_map"),
    path(
        "departements/<str:code>/offre-de-soins/structures.<str:fmt>",
        views.export,
        name="careoffer_export",
    ),
    path(
        "departements/<str:code>/offre-de-soins/dispositifs.csv", views.export_schemes, name="careoffer_export_schemes"
    ),
    path("departements/<str:code>/offre-de-soins/importer/", views.import_view, name="careoffer_import"),
    path(
        "departements/<str:code>/offre-de-soins/nouvelle-structure/",
        views.structure_create,
        name="careoffer_structure_create",
    ),
    path("offre-de-soins/structures/<int:pk>/", views.structure_detail, name="careoffer_structure"),
    path("offre-de-soins/structures/<int:pk>/modifier/", views.structure_edit, name="careoffer_structure_edit"),
    path("offre-de-soins/structures/<int:pk>/activite/", views.structure_activity, name="careoffer_structure_activity"),
    path(
        "offre-de-soins/dispositifs/<int:pk>/annees-scolaires/",
        views.dispositif_school_years,
        name="careoffer_dispositif_years",
    ),
    path(
        "departements/<str:code>/offre-de-soins/nouveau-dispositif/",
        views.dispositif_create,
        name="careoffer_dispositif_create",
    ),
    path("offre-de-soins/dispositifs/<int:pk>/", views.dispositif_detail, name="careoffer_dispositif"),
    path("offre-de-soins/dispositifs/<int:pk>/modifier/", views.dispositif_edit, name="careoffer_dispositif_edit"),
]
