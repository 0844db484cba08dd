from django.urls import path

from civicgrid.communityaffairs import onestop_views, qualification_views, views

app_name = "communityaffairs"
urlpatterns = [
    path("", views.home, name="home"),
    path("gaps/", views.gaps, name="gaps"),
    path("export.xlsx", views.export, name="export"),
    path("charters/save/", views.save_charter, name="save_charter"),
    path("charters/<int:charter_id>/posts/", views.set_post, name="set_post"),
    path("charters/posts/<int:post_id>/remove/", views.remove_post, name="remove_post"),
    path("rooms/add/", views.add_room, name="add_room"),
    path("rooms/<int:room_id>/remove/", views.remove_room, name="remove_room"),
    path("profile/", views.set_profile, name="set_profile"),
    path("standards/", views.standards, name="standards"),
    path("qualifications/", qualification_views.qualifications, name="qualifications"),
    path("qualifications/add/", qualification_views.add, name="add_qualification"),
    path("qualifications/<int:qualification_id>/", qualification_views.edit, name="edit_qualification"),
    path("qualifications/<int:qualification_id>/remove/", qualification_views.remove, name="remove_qualification"),
    path("qualifications/export.xlsx", qualification_views.export, name="export_qualifications"),
    path("trainings/", views.trainings, name="trainings"),
    path("trainings/<int:course_id>/", views.course, name="course"),
    path("trainings/<int:course_id>/sign-in/", views.sign_in, name="sign_in"),
    path("assessments/", views.assessments, name="assessments"),
    path("assessments/start/", views.start_assessment, name="start_assessment"),
    path("assessments/<int:assessment_id>/", views.assessment, name="assessment"),
    path("assessments/<int:assessment_id>/self/", views.self_assess, name="self_assess"),
    path("assessments/<int:assessment_id>/submit/", views.submit_assessment, name="submit_assessment"),
    path("assessments/<int:assessment_id>/review/", views.review_assessment, name="review_assessment"),
    path("onestop/", onestop_views.catalogue, name="catalogue"),
    path("onestop/items/<int:item_id>/", onestop_views.guide, name="guide"),
    path("onestop/items/<int:item_id>/book/", onestop_views.book, name="book"),
    path("onestop/mine/", onestop_views.mine, name="mine"),
    path("onestop/appointments/<int:appointment_id>/cancel/", onestop_views.cancel, name="cancel"),
    path("window/", onestop_views.window, name="window"),
    path("window/walk-in/", onestop_views.walk_in, name="walk_in"),
    path("window/appointments/<int:appointment_id>/receive/", onestop_views.receive, name="receive"),
    path("window/handlings/<int:handling_id>/finish/", onestop_views.finish, name="finish"),
    path("window/handlings/<int:handling_id>/case/", onestop_views.to_case, name="to_case"),
]

PUBLIC_ROUTES = {
    "catalogue": "事项清单: the service items a community's one-stop window handles, published by design; no "
                 "bookings, no applicants",
    "guide": "办事指南: one catalogue item's guide (who may apply, documents, steps, time limit, fee), published by "
             "design; booking needs signing in",
}
