from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from meetings.accounts.views import admin_sign_in

admin.site.site_header = "Defence meetings administration"
admin.site.site_title = "Defence meetings"

# No route serves MEDIA_ROOT, in development either: uploaded files are reached only
# through the source download (meetings/views/files.py), which checks clearance.
urlpatterns = [
    path("admin/login/", login_not_required(admin_sign_in)),
    path("admin/", admin.site.urls),
    path("accounts/", include("meetings.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("meetings.api.urls")),
    path("", include("meetings.audit.urls")),
    path("", include("meetings.urls")),
]
