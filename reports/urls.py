from django.urls import path

from reports import views

urlpatterns = [
    path("rapports/", views.index, name="reports_index"),
    path(
        "rapports/departements/<str:code>/",
        views.report_preview,
        {"kind": "departement"},
        name="reports_departement",
    ),
    path(
        "rapports/departements/<str:code>/rapport.docx",
        views.report_document,
        {"kind": "departement", "fmt": "docx"},
        name="reports_departement_docx",
    ),
    path(
        "rapports/departements/<str:code>/rapport.pdf",
        views.report_document,
        {"kind": "departement", "fmt": "pdf"},
        name="reports_departement_pdf",
    ),
    path("rapports/regions/<str:code>/", views.report_preview, {"kind": "region"}, name="reports_region"),
    path(
        "rapports/regions/<str:code>/rapport.docx",
        views.report_document,
        {"kind": "region", "fmt": "docx"},
        name="reports_region_docx",
    ),
    path(
        "rapports/regions/<str:code>/rapport.pdf",
        views.report_document,
        {"kind": "region", "fmt": "pdf"},
        name="reports_region_pdf",
    ),
    path("cls/<int:pk>/contrat/", views.contract_preview, name="reports_contract"),
    path("cls/<int:pk>/contrat/contrat.docx", views.contract_file, {"fmt": "docx"}, name="reports_contract_docx"),
    path("cls/<int:pk>/contrat/contrat.pdf", views.contract_file, {"fmt": "pdf"}, name="reports_contract_pdf"),
    path("cls/<int:pk>/point-de-situation/", views.point_de_situation_edit, name="reports_point_de_situation"),
]
