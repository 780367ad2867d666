from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("certificates/<int:pk>/", views.certificate_preview, name="preview"),
    path("certificates/<int:pk>/file/", views.certificate_file, name="file"),
    path("certificates/<int:pk>/edit/", views.certificate_edit, name="edit"),
    path(
        "certificates/<int:pk>/pages/<int:page>.png",
        views.certificate_page_image,
        name="page-image",
    ),
]
