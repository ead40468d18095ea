from django.urls import path

from evaluation import views

urlpatterns = [
    path("cls/<int:pk>/evaluation/", views.evaluation_cls, name="evaluation_cls"),
    path("cls/<int:pk>/evaluation/actions/<int:fiche_pk>/", views.evaluation_action, name="evaluation_action"),
    path("cls/<int:pk>/evaluation/rapport.docx", views.evaluation_report, {"fmt": "docx"}, name="evaluation_docx"),
    path("cls/<int:pk>/evaluation/rapport.pdf", views.evaluation_report, {"fmt": "pdf"}, name="evaluation_pdf"),
    path("cls/<int:pk>/evaluation/preparer-le-suivant/", views.evaluation_prepare, name="evaluation_prepare"),
    path("departements/<str:code>/completude/", views.evaluation_departement, name="evaluation_departement"),
    path("a-faire/", views.todo, name="evaluation_todo"),
]
