from django.urls import path

from meetings import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization-detail"),
    path("topics/<int:pk>/", views.topic_detail, name="topic-detail"),
]
