from django.urls import path

from civicgrid.volunteering import desk_views, views

app_name = "volunteering"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("activities/", views.activities, name="activities"),
    path("shifts/<int:shift_id>/signup/", views.sign_up, name="sign_up"),
    path("signups/<int:signup_id>/cancel/", views.cancel, name="cancel"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("me/records/", views.my_records, name="my_records"),
    path("me/records/<int:record_id>/correction/", views.correction, name="correction"),
    path("me/points/", views.my_points, name="my_points"),
    path("offers/<int:offer_id>/claim/", views.claim, name="claim"),
    path("me/certificates/", views.my_certificates, name="my_certificates"),
    path("me/certificates/issue/", views.issue_certificate, name="issue_certificate"),
    path("me/certificates/<int:pk>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("verify/<str:token>/qr.png", views.verify_qr, name="verify_qr"),
    path("help/", views.help_nearby, name="help_nearby"),
    path("help/<int:request_id>/accept/", views.help_accept, name="help_accept"),
    path("help/<int:request_id>/complete/", views.help_complete, name="help_complete"),
    path("desk/", desk_views.organizer_desk, name="organizer_desk"),
    path("desk/shifts/<int:shift_id>/", desk_views.shift_desk, name="shift_desk"),
    path("desk/shifts/<int:shift_id>/qr.png", desk_views.shift_qr, name="shift_qr"),
    path("desk/shifts/<int:shift_id>/cancel/", desk_views.cancel_shift, name="cancel_shift"),
    path("desk/signups/<int:signup_id>/attended/", desk_views.confirm_attendance, name="confirm_attendance"),
    path("desk/records/<int:record_id>/decide/", desk_views.decide_record, name="decide_record"),
    path("desk/corrections/<int:correction_id>/decide/", desk_views.decide_correction, name="decide_correction"),
    path("desk/records.csv", desk_views.records_export, name="records_export"),
    path("shop/", desk_views.shop_desk, name="shop_desk"),
    path("shop/confirm/", desk_views.shop_confirm, name="shop_confirm"),
    path("community/", desk_views.community_desk, name="community_desk"),
    path("community/volunteers/<int:volunteer_id>/verify/", desk_views.verify_volunteer, name="verify_volunteer"),
    path("community/shops/", desk_views.register_shop, name="register_shop"),
    path("community/help/", desk_views.ask_help, name="ask_help"),
    path("community/help/<int:request_id>/", desk_views.help_candidates, name="help_candidates"),
    path("community/shops/<int:shop_id>/settle/", desk_views.settle, name="settle"),
]

PUBLIC_ROUTES = {
    "verify": "anyone holding a certificate's link or QR code checks it: masked holder and totals only",
    "verify_qr": "the QR code of that verification link",
    "checkin": "the page behind a shift's check-in QR code: a check-in button and nothing else; checking in "
               "needs the signed-in volunteer's own signup",
}
