from django.urls import path

from public import views

urlpatterns = [
    path("public/", views.home, name="public_home"),
    path("public/regions/<str:code>/", views.region_page, name="public_region"),
    path("public/regions/<str:code>/carte.geojson", views.region_map, name="public_region_map"),
    path("public/cls/<int:pk>/", views.cls_page, name="public_cls"),
    path("public/cls/<int:pk>/perimetre.geojson", views.cls_map, name="public_cls_map"),
    path("public/cls/<int:pk>/affiche.pdf", views.cls_flyer, name="public_cls_flyer"),
    path("public/donnees/", views.opendata_page, name="public_opendata"),
    path("public/donnees/perimetres.geojson", views.data_perimeters, name="public_data_perimeters"),
    path("public/donnees/<slug:slug>.csv", views.data_csv, name="public_data_csv"),
    path("public/donnees/<slug:slug>.json", views.data_json, name="public_data_json"),
    path("public/donnees/<slug:slug>.schema.json", views.data_schema, name="public_data_schema"),
    path("cls/<int:pk>/contact-public/", views.contact_edit, name="public_contact_edit"),
]
