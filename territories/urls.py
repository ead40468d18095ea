from django.urls import path

from territories import views

urlpatterns = [
    path("groupements/", views.groupement_list, name="groupement_list"),
    path("groupements/nouveau/", views.groupement_form, name="groupement_create"),
    path("groupements/<int:pk>/modifier/", views.groupement_form, name="groupement_edit"),
]
