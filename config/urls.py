from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from meetings.accounts.views import admin_sign_in

admin.site.site_header = "Defence meetings administration"
admin.site.site_title = "Defence meetings"

urlpatterns = [
    path("admin/login/", login_not_required(admin_sign_in)),
    path("admin/", admin.site.urls),
    path("accounts/", include("meetings.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("meetings.api.urls")),
    path("", include("meetings.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
