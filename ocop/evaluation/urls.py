from django.urls import path

from ocop.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.dossier_list, name="dossier-list"),
    path("moi/", views.dossier_create, name="dossier-create"),
    path("<int:pk>/", views.dossier_detail, name="dossier-detail"),
    path("<int:pk>/minh-chung/", views.evidence_add, name="evidence-add"),
    path("<int:pk>/minh-chung/<int:evidence_pk>/", views.evidence_download, name="evidence-download"),
    path("<int:pk>/nop/", views.dossier_submit, name="dossier-submit"),
    path("<int:pk>/kiem-tra-so-bo/", views.dossier_precheck, name="dossier-precheck"),
    path("<int:pk>/phieu-cham/", views.scoresheet, name="scoresheet"),
    path("<int:pk>/cham-lai/", views.scoresheets_reopen, name="scoresheets-reopen"),
    path("<int:pk>/de-xuat-trung-uong/", views.dossier_propose, name="dossier-propose"),
    path("quyet-dinh/moi/", views.decision_create, name="decision-create"),
    path("bo-tieu-chi/", views.criteria_set_list, name="criteria-set-list"),
    path("bo-tieu-chi/<int:pk>/", views.criteria_set_detail, name="criteria-set-detail"),
    path("dot-danh-gia/", views.round_list, name="round-list"),
    path("dot-danh-gia/<int:pk>/hoi-dong/", views.council_create, name="council-create"),
]
