"""Walking distance with and without a stored street network; the periodic jobs are idempotent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.servicecircle.engine import save_graph, synthetic_street_grid
from civicgrid.servicecircle.selectors import network_file
from civicgrid.volunteering import matching, services, tasks
from civicgrid.volunteering.models import HelpRequest, Signup

A, B = (116.150, 39.905), (116.160, 39.910)


def test_straight_line_without_a_network(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    (distance,) = matching.walking_distances(A, [B], "110107")
    assert 950 < distance < 1050


def test_street_network_when_the_district_has_one(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    path = network_file("110107")
    path.parent.mkdir(parents=True)
    save_graph(synthetic_street_grid(n_nodes=3000, seed=1, center=(116.155, 39.907)), path=path)
    (straight,) = matching.walking_distances(A, [B], "110108")
    (walking,) = matching.walking_distances(A, [B], "110107")
    assert walking > straight * 0.95 and walking != straight


@pytest.mark.django_db
def test_periodic_jobs(users, shift, volunteer, register_elder):
    services.sign_up(actor=volunteer.user, shift_id=shift.pk)
    request = services.ask_for_help(actor=users["community_a"], resident_id=register_elder.pk, kind="visit",
                                    description="陪聊", needed_at=timezone.now() + timedelta(days=1))
    HelpRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - timedelta(days=2))
    for _ in range(2):
        tasks.escalate_help_requests.call_local()
        tasks.expire_redemption_codes.call_local()
        tasks.expire_points.call_local()
        tasks.close_finished_shifts.call_local()
    assert HelpRequest.objects.get(pk=request.pk).escalated_at is not None
    assert Signup.objects.get(volunteer=volunteer).status == "confirmed"  # the shift is still running
