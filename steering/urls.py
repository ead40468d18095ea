from django.urls import path

from steering import views

urlpatterns = [
    path("cls/<int:pk>/gouvernance/", views.governance, name="steering_governance"),
    path("cls/<int:pk>/gouvernance/reunions.ics", views.cls_ics, name="steering_cls_ics"),
    path("cls/<int:pk>/gouvernance/instances/nouvelle/", views.instance_create, name="steering_instance_create"),
    path("cls/<int:pk>/gouvernance/reunions/nouvelle/", views.meeting_create, name="steering_meeting_create"),
    path("cls/<int:pk>/revues/nouvelle/", views.campaign_open, name="steering_campaign_open"),
    path("instances/<int:pk>/modifier/", views.instance_edit, name="steering_instance_edit"),
    path("instances/<int:pk>/membres/nouveau/", views.member_create, name="steering_member_create"),
    path("membres/<int:pk>/modifier/", views.member_edit, name="steering_member_edit"),
    path("membres/<int:pk>/supprimer/", views.member_delete, name="steering_member_delete"),
    path("reunions/a-venir/", views.upcoming, name="steering_upcoming"),
    path("reunions/a-venir.ics", views.upcoming_ics, name="steering_upcoming_ics"),
    path("reunions/<int:pk>/", views.meeting_detail, name="steering_meeting"),
    path("reunions/<int:pk>/modifier/", views.meeting_edit, name="steering_meeting_edit"),
    path("reunions/<int:pk>/supprimer/", views.meeting_delete, name="steering_meeting_delete"),
    path("reunions/<int:pk>/fichiers/nouveau/", views.attachment_add, name="steering_attachment_add"),
    path("reunions/<int:pk>/decisions/nouvelle/", views.decision_create, name="steering_decision_create"),
    path("decisions/<int:pk>/modifier/", views.decision_edit, name="steering_decision_edit"),
    path("fichiers/<int:pk>/", views.attachment_download, name="steering_attachment"),
    path("fichiers/<int:pk>/supprimer/", views.attachment_delete, name="steering_attachment_delete"),
    path("revues/<int:pk>/", views.campaign_detail, name="steering_campaign"),
    path("revues/<int:pk>/relancer/", views.campaign_remind, name="steering_campaign_remind"),
    path("revues/<int:pk>/clore/", views.campaign_close, name="steering_campaign_close"),
    path("revues/reponses/<int:pk>/", views.answer, name="steering_answer"),
    path("ma-revue/", views.my_review, name="steering_my_review"),
]
