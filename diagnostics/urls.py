from django.urls import path

from diagnostics import views

urlpatterns = [
    path("cls/<int:pk>/diagnostic/", views.diagnostic, name="diagnostic"),
    path("cls/<int:pk>/diagnostic/diagnostic.docx", views.diagnostic_document, {"fmt": "docx"}, name="diagnostic_docx"),
    path("cls/<int:pk>/diagnostic/diagnostic.pdf", views.diagnostic_document, {"fmt": "pdf"}, name="diagnostic_pdf"),
    path("cls/<int:pk>/diagnostic/carte.geojson", views.diagnostic_map, name="diagnostic_map"),
    path("cls/<int:pk>/diagnostic/apports/nouveau/", views.apport_edit, name="apport_create"),
    path("cls/<int:pk>/diagnostic/apports/<int:apport_pk>/", views.apport_edit, name="apport_edit"),
    path("cls/<int:pk>/diagnostic/enjeux/nouveau/", views.enjeu_edit, name="enjeu_create"),
    path("cls/<int:pk>/diagnostic/enjeux/<int:enjeu_pk>/", views.enjeu_edit, name="enjeu_edit"),
    path("departements/<str:code>/zones-blanches/", views.departement_white_zones, name="departement_white_zones"),
    path(
        "departements/<str:code>/zones-blanches/carte.geojson",
        views.departement_white_zones_map,
        name="departement_white_zones_map",
    ),
    path("regions/<str:code>/zones-blanches/", views.region_white_zones, name="region_white_zones"),
    path(
        "regions/<str:code>/zones-blanches/carte.geojson", views.region_white_zones_map, name="region_white_zones_map"
    ),
]
