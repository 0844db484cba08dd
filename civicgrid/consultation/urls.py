from django.urls import path

from civicgrid.consultation import desk_views, views

app_name = "consultation"
urlpatterns = [
    path("", views.home, name="home"),
    path("topics/new/", views.propose, name="propose"),
    path("topics/<int:topic_id>/", views.topic, name="topic"),
    path("topics/<int:topic_id>/support/", views.support, name="support"),
    path("topics/<int:topic_id>/comment/", views.comment, name="comment"),
    path("topics/<int:topic_id>/decide/", views.decide, name="decide"),
    path("topics/<int:topic_id>/vote/", desk_views.open_vote, name="open_vote"),
    path("comments/<int:comment_id>/moderate/", views.moderate, name="moderate"),
    path("votes/<int:vote_id>/", views.vote, name="vote"),
    path("votes/<int:vote_id>/ballot/", views.ballot, name="ballot"),
    path("votes/<int:vote_id>/close/", desk_views.close_vote, name="close_vote"),
    path("votes/<int:vote_id>/publish/", desk_views.publish_results, name="publish_results"),
    path("meetings/new/", desk_views.plan_meeting, name="plan_meeting"),
    path("meetings/<int:meeting_id>/", desk_views.meeting, name="meeting"),
    path("meetings/<int:meeting_id>/invite/", desk_views.invite, name="invite"),
    path("meetings/<int:meeting_id>/minutes/", desk_views.minutes, name="minutes"),
    path("meetings/<int:meeting_id>/approve/", desk_views.approve, name="approve"),
    path("meetings/<int:meeting_id>/publish/", desk_views.publish_meeting, name="publish_meeting"),
    path("meetings/<int:meeting_id>/resolutions/", desk_views.adopt, name="adopt"),
    path("meetings/<int:meeting_id>/record.pdf", desk_views.meeting_pdf, name="meeting_pdf"),
    path("invitees/<int:invitee_id>/sign-in/", desk_views.sign_in, name="sign_in"),
    path("checkin/<str:token>/", desk_views.checkin, name="checkin"),
    path("resolutions/<int:resolution_id>/", desk_views.resolution, name="resolution"),
    path("resolutions/<int:resolution_id>/update/", desk_views.update_resolution, name="update_resolution"),
    path("resolutions/<int:resolution_id>/milestones/", desk_views.add_milestone, name="add_milestone"),
    path("resolutions/<int:resolution_id>/publish/", desk_views.publish_resolution, name="publish_resolution"),
    path("verify/", desk_views.verify, name="verify"),
    path("directors/", desk_views.directors, name="directors"),
    path("directors/new/", desk_views.add_director, name="add_director"),
    path("directors/<int:director_id>/contributions/", desk_views.add_contribution, name="add_contribution"),
    path("directors/<int:director_id>/<int:year>/", desk_views.director_record, name="director_record"),
    path("directors/<int:director_id>/<int:year>/record.pdf", desk_views.director_pdf, name="director_pdf"),
    path("statistics/", desk_views.statistics, name="statistics"),
    path("export.xlsx", desk_views.export, name="export"),
    path("public/<str:code>/", views.public, name="public"),
]

PUBLIC_ROUTES = {
    "public": "结果公示: a community's published meetings, decided topics with reasons, published vote results and "
              "published resolutions; nothing else",
    "checkin": "the page behind a meeting's sign-in QR code: a button and nothing else; signing in needs the "
               "signed-in invitee's own invitation",
}
