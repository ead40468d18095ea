from django.urls import path

from contracts import coverage_views, views

urlpatterns = [
    path("", coverage_views.home, name="home"),
    path("regions/<str:code>/", coverage_views.region_detail, name="region_detail"),
    path("regions/<str:code>/carte.geojson", coverage_views.region_map, name="region_map"),
    path("departements/<str:code>/", coverage_views.departement_detail, name="departement_detail"),
    path("departements/<str:code>/carte.geojson", coverage_views.departement_map, name="departement_map"),
    path(
        "api/v1/departements/<str:code>/couverture",
        coverage_views.api_departement_coverage,
        name="api_departement_coverage",
    ),
    path("cls/", views.cls_list, name="cls_list"),
    path("cls/nouveau/", views.cls_create, name="cls_create"),
    path("cls/<int:pk>/", views.cls_detail, name="cls_detail"),
    path("cls/<int:pk>/perimetre.geojson", views.cls_perimeter, name="cls_perimeter"),
    path("cls/<int:pk>/modifier/", views.cls_edit, name="cls_edit"),
    path("cls/<int:pk>/perimetre/", views.cls_perimeter_edit, name="cls_perimeter_edit"),
    path(
        "cls/<int:pk>/perimetre/<int:element_pk>/retirer/",
        views.cls_perimeter_remove,
        name="cls_perimeter_remove",
    ),
    path("cls/<int:pk>/perimetre/hors-departement/", views.cls_cross_border, name="cls_cross_border"),
    path("cls/<int:pk>/signataires/", views.cls_parties_edit, name="cls_parties_edit"),
    path(
        "cls/<int:pk>/signataires/<int:signataire_pk>/retirer/",
        views.cls_signataire_remove,
        name="cls_signataire_remove",
    ),
    path(
        "cls/<int:pk>/signataires/organisations/<int:organisation_pk>/modifier/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path("cls/<int:pk>/axes/", views.cls_axes_edit, name="cls_axes_edit"),
    path("cls/<int:pk>/avenants/nouveau/", views.cls_avenant_edit, name="cls_avenant_create"),
    path("cls/<int:pk>/avenants/<int:avenant_pk>/modifier/", views.cls_avenant_edit, name="cls_avenant_edit"),
]
