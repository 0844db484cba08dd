from django.urls import path

from civicgrid.partybuilding import chamber_views, event_views, member_views, sunflower_views, views

app_name = "partybuilding"
urlpatterns = [
    path("", views.home, name="home"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage.xlsx", views.coverage_export, name="coverage_export"),
    path("organizations/", views.organizations, name="organizations"),
    path("members/", views.members, name="members"),
    path("members.xlsx", views.members_export, name="members_export"),
    path("members/<int:member_id>/", member_views.member, name="member"),
    path("members/<int:member_id>/report/", member_views.report, name="member_report"),
    path("members/<int:member_id>/commitments/", member_views.commit, name="member_commit"),
    path("members/<int:member_id>/services/", member_views.record_service, name="member_service"),
    path("members/<int:member_id>/link/", member_views.link_record, name="member_link"),
    path("commitments/<int:commitment_id>/close/", member_views.close_commitment, name="close_commitment"),
    path("enterprises/", views.enterprises, name="enterprises"),
    path("buildings/<int:building_id>/", views.building, name="building"),
    path("rooms/<int:room_id>/book/", views.book, name="book"),
    path("workstations/<int:workstation_id>/requests/", views.file_request, name="file_request"),
    path("workstations/<int:workstation_id>/events/", views.create_event, name="create_event"),
    path("workstations/<int:workstation_id>/staff/", views.add_staff, name="add_staff"),
    path("staff/<int:staff_id>/remove/", views.remove_staff, name="remove_staff"),
    path("events/", event_views.events, name="events"),
    path("events/<int:event_id>/join/", event_views.join, name="join_event"),
    path("signups/<int:signup_id>/cancel/", event_views.cancel, name="cancel_signup"),
    path("events/<int:event_id>/sign-up/", views.sign_up, name="sign_up"),
    path("sunflower/", views.sunflower, name="sunflower"),
    path("pledges/<int:pledge_id>/uses/", views.use_pledge, name="use_pledge"),
    path("pledges.xlsx", sunflower_views.pledges_export, name="pledges_export"),
    path("models/", sunflower_views.name_model, name="name_model"),
    path("models/<int:model_id>/pledges/", sunflower_views.add_pledge, name="add_pledge"),
    path("partners/", sunflower_views.add_partner, name="add_partner"),
    path("chambers/", chamber_views.chambers, name="chambers"),
    path("chambers.xlsx", chamber_views.chambers_export, name="chambers_export"),
    path("chambers/<int:chamber_id>/", chamber_views.chamber, name="chamber"),
    path("chambers/<int:chamber_id>/members/", chamber_views.add_member, name="chamber_add_member"),
    path("chambers/<int:chamber_id>/members/remove/", chamber_views.remove_member, name="chamber_remove_member"),
    path("chambers/<int:chamber_id>/buildings/", chamber_views.link_building, name="chamber_link_building"),
    path("chambers/<int:chamber_id>/buildings/remove/", chamber_views.unlink_building,
         name="chamber_unlink_building"),
    path("chambers/<int:chamber_id>/links/", chamber_views.link, name="chamber_link"),
    path("chambers/<int:chamber_id>/activities/", chamber_views.add_activity, name="chamber_activity"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:project_id>/", views.project, name="project"),
    path("projects/<int:project_id>/report/", views.report, name="report"),
    path("projects/<int:project_id>/evaluate/", views.evaluate, name="evaluate"),
    path("projects/<int:project_id>/promote/", views.promote, name="promote"),
    path("milestones/<int:milestone_id>/done/", views.complete_milestone, name="complete_milestone"),
    path("evidence/<int:evidence_id>/", views.evidence, name="evidence"),
    path("showcase/", views.showcase, name="showcase"),
]

PUBLIC_ROUTES = {
    "showcase": "一社区一品牌 showcase: model brand projects the district promoted, with the title, community, goal "
                "and the showcase text written for the public; nothing else",
}
