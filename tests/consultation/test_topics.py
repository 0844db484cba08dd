"""Topics: who may propose and support, one support per household, the threshold's answer deadline, the
community's decision with a published reason, moderation, and jurisdiction."""

import pytest
from django.db import IntegrityError, transaction

from civicgrid.consultation import selectors, services
from civicgrid.consultation.errors import AlreadySupported, NotVerified
from civicgrid.consultation.models import Comment, Support, Topic
from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.models import AuditEvent
from tests.conftest import COMM_A, COMM_B
from tests.consultation.conftest import topic_of

pytestmark = pytest.mark.django_db


def test_a_verified_resident_proposes_and_neighbours_support_once_per_household(users, compounds, neighbours):
    topic = topic_of(neighbours["wang"], compounds)
    assert topic.compound_kind == "old_compound" and topic.source == Topic.Source.RESIDENT
    services.support_topic(actor=neighbours["li"], topic_id=topic.pk)
    services.support_topic(actor=neighbours["wang"], topic_id=topic.pk)
    with pytest.raises(AlreadySupported) as refused:
        services.support_topic(actor=neighbours["wang_wife"], topic_id=topic.pk)
    assert refused.value.code == "already_supported"
    topic.refresh_from_db()
    assert topic.supports == 2 == Support.objects.filter(topic=topic).count()


def test_the_database_refuses_a_second_support_of_a_household(users, compounds, neighbours):
    topic = topic_of(neighbours["wang"], compounds)
    support = services.support_topic(actor=neighbours["wang"], topic_id=topic.pk)
    first = Support.objects.get(topic=support)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(topic=topic, household=first.household, user=neighbours["wang_wife"])


def test_unverified_and_outside_residents_may_not_support_or_propose(users, compounds, neighbours):
    topic = topic_of(neighbours["wang"], compounds)
    with pytest.raises(NotFound):  # an unverified resident does not see the community's topics
        services.support_topic(actor=users["resident"], topic_id=topic.pk)
    with pytest.raises(NotFound):
        topic_of(users["resident"], compounds)
    with pytest.raises(NotFound):  # another community's worker
        services.support_topic(actor=users["community_b"], topic_id=topic.pk)
    with pytest.raises(NotVerified):  # staff see it but have no household
        services.support_topic(actor=users["community_a"], topic_id=topic.pk)


def test_revoked_verification_ends_the_right_to_support(users, compounds, neighbours):
    topic = topic_of(neighbours["wang"], compounds)
    verification = neighbours["li"].household_verifications.get()
    services.revoke_verification(actor=users["community_a"], verification_id=verification.pk)
    with pytest.raises(NotFound):
        services.support_topic(actor=neighbours["li"], topic_id=topic.pk)
    assert AuditEvent.objects.filter(action="consultation.revoke").count() == 1


def test_reaching_the_threshold_sets_an_answer_deadline_in_working_days(users, compounds, neighbours):
    services.configure(actor=users["community_a"], community=COMM_A, moderation="post", support_threshold=2,
                       answer_days=5)
    topic = topic_of(neighbours["wang"], compounds)
    services.support_topic(actor=neighbours["li"], topic_id=topic.pk)
    assert Topic.objects.get(pk=topic.pk).answer_due_at is None
    topic = services.support_topic(actor=neighbours["zhao"], topic_id=topic.pk)
    assert topic.answer_due_at is not None and (topic.answer_due_at - topic.threshold_reached_at).days >= 5
    assert topic.events.filter(kind="threshold", for_supporters=True).exists()


def test_decisions_publish_a_reason_and_merge_keeps_the_link(users, compounds, neighbours):
    staff = users["community_a"]
    lift, lift_again = topic_of(neighbours["wang"], compounds), topic_of(neighbours["li"], compounds)
    with pytest.raises(ValidationFailed) as no_reason:
        services.decide_topic(actor=staff, topic_id=lift.pk, decision="accept", reason="")
    assert no_reason.value.code == "invalid_reason"
    services.decide_topic(actor=staff, topic_id=lift.pk, decision="accept", reason="涉及全楼居民，列入恳谈会")
    merged = services.decide_topic(actor=staff, topic_id=lift_again.pk, decision="merge", reason="与加装电梯议题相同",
                                   merge_into_id=lift.pk)
    assert merged.merged_into == lift and merged.state == Topic.State.MERGED
    with pytest.raises(PermissionDenied):  # grid workers watch, residents propose: neither decides
        services.decide_topic(actor=users["grid_a"], topic_id=lift.pk, decision="decline", reason="不予受理的理由")
    with pytest.raises(NotFound):
        services.decide_topic(actor=users["community_b"], topic_id=lift.pk, decision="decline", reason="不予受理")


def test_staff_raise_a_topic_from_a_recurring_case_and_the_case_links_back(users, compounds):
    from civicgrid.cases import services as cases

    case = cases.report_case(actor=users["community_a"], channel="patrol", lon=compounds["old"].lon,
                             lat=compounds["old"].lat, description="楼道堆物又来了")
    topic = services.propose_topic(actor=users["community_a"], community=COMM_A, title="楼道堆物反复出现",
                                   text="同一问题三个月内报了五次", source_case_id=case.pk)
    assert topic.source == Topic.Source.CASE and list(case.consultation_topics.all()) == [topic]
    with pytest.raises(NotFound):
        services.propose_topic(actor=users["community_b"], community=COMM_B, title="别人的案件", text="不能引用",
                               source_case_id=case.pk)


def test_pre_moderation_holds_resident_comments_and_a_hidden_comment_shows_its_reason_to_its_author(
        users, compounds, neighbours):
    staff = users["community_a"]
    services.configure(actor=staff, community=COMM_A, moderation="pre", support_threshold=20, answer_days=10)
    topic = topic_of(neighbours["wang"], compounds)
    held = services.comment(actor=neighbours["li"], topic_id=topic.pk, text="同意，三楼以上都需要")
    assert held.state == Comment.State.PENDING
    assert held not in selectors.comments_for(actor=neighbours["zhao"], topic=topic)
    services.moderate_comment(actor=staff, comment_id=held.pk, hide=False)
    assert held in selectors.comments_for(actor=neighbours["zhao"], topic=topic)
    services.moderate_comment(actor=staff, comment_id=held.pk, hide=True, reason="含有个人电话")
    assert held not in selectors.comments_for(actor=neighbours["zhao"], topic=topic)
    shown = selectors.comments_for(actor=neighbours["li"], topic=topic)
    assert [c.hidden_reason for c in shown] == ["含有个人电话"]
    answer = services.comment(actor=staff, topic_id=topic.pk, text="社区将联系产权单位", official=True)
    assert answer.official and answer.state == Comment.State.VISIBLE
    with pytest.raises(PermissionDenied):
        services.comment(actor=neighbours["li"], topic_id=topic.pk, text="我也是官方", official=True)


def test_bad_input_is_refused_with_a_stable_code_and_nothing_written(users, compounds, neighbours):
    before = Topic.objects.count()
    with pytest.raises(ValidationFailed) as error:
        services.propose_topic(actor=neighbours["wang"], community=COMM_A, title="x", text="内容")
    assert error.value.code == "invalid_title"
    with pytest.raises(ValidationFailed) as error:
        services.propose_topic(actor=neighbours["wang"], community=COMM_A, title="电梯", text="内容",
                               place_ids=[999999])
    assert error.value.code == "unknown_compound"
    assert Topic.objects.count() == before


def test_every_write_is_audited(users, compounds, neighbours):
    topic = topic_of(neighbours["wang"], compounds)
    services.support_topic(actor=neighbours["li"], topic_id=topic.pk)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"consultation.verify", "consultation.propose", "consultation.support"} <= actions
