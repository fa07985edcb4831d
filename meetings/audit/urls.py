from django.urls import path

from meetings.audit import views

urlpatterns = [
    path("audit/", views.EventListView.as_view(), name="audit-list"),
    path("meetings/<int:pk>/readers/", views.meeting_readers, name="meeting-readers"),
]
