"""Topics (议题): proposal, household support with a threshold and an answer deadline, the community's decision,
and deliberation under moderation."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.cases import photos as photo_files
from civicgrid.cases.models import Case
from civicgrid.consultation.access import is_verified_in, staff_of, verification_in
from civicgrid.consultation.errors import AlreadySupported, WrongState
from civicgrid.consultation.models import (
    Comment,
    CommunitySettings,
    Support,
    Topic,
    TopicEvent,
    TopicPhoto,
    compound_kind_of,
)
from civicgrid.consultation.services.common import (
    community_code,
    managed_community,
    record_event,
    settings_of,
    text_between,
)
from civicgrid.core import audit
from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.scoping import manages
from civicgrid.core.workcalendar import add_working_days
from civicgrid.territory.models import Place

DECISIONS = {"accept": Topic.State.ACCEPTED, "merge": Topic.State.MERGED, "decline": Topic.State.DECLINED}
MAX_PHOTOS = 4


def event(topic: Topic, kind: str, *, actor=None, text: str = "", for_supporters: bool = False) -> TopicEvent:
    return record_event(topic=topic, kind=kind, actor=actor, text=text, for_supporters=for_supporters)


@transaction.atomic
def configure(*, actor, community: str, moderation: str, support_threshold: int,
              answer_days: int) -> CommunitySettings:
    code = managed_community(actor, community)
    if moderation not in CommunitySettings.Moderation.values:
        raise ValidationFailed(code="invalid_moderation", field="moderation")
    if not 1 <= support_threshold <= 100000 or not 1 <= answer_days <= 60:
        raise ValidationFailed(_("Threshold 1–100000 households, answer within 1–60 working days."),
                               code="invalid_threshold", field="support_threshold")
    found, _created = CommunitySettings.objects.update_or_create(
        region_code=code, defaults={"moderation": moderation, "support_threshold": support_threshold,
                                    "answer_days": answer_days})
    audit.record(actor=actor, action="consultation.configure", target=found, region_code=code,
                 detail={"moderation": moderation, "threshold": support_threshold, "days": answer_days})
    return found


def _places(code: str, place_ids) -> list[Place]:
    ids = [int(pk) for pk in place_ids or []]
    places = list(Place.objects.within(code).filter(pk__in=ids))
    if len(places) != len(set(ids)):
        raise ValidationFailed(_("Choose compounds of this community."), code="unknown_compound", field="places")
    return places


def _source(actor, code: str, source_case_id, group_name: str) -> tuple[str, Case | None]:
    if source_case_id:
        if not manages(actor, code):
            raise PermissionDenied()
        case = Case.objects.get_visible(actor, pk=source_case_id)
        return Topic.Source.CASE, case
    if staff_of(actor, code):
        return Topic.Source.STAFF, None
    verification_in(actor, code)  # residents: only in their own verified community
    return (Topic.Source.GROUP if group_name else Topic.Source.RESIDENT), None


@transaction.atomic
def propose_topic(*, actor, community: str, title: str, text: str, place_ids=(), group_name: str = "",
                  source_case_id: int | None = None, gap_place_id: int | None = None, gap_category: str = "",
                  photos=()) -> Topic:
    """A verified resident, a residents' group (through a verified member) or staff raise a topic."""
    code = community_code(community)
    if not (staff_of(actor, code) or is_verified_in(actor, code)):
        raise NotFound()
    source, case = _source(actor, code, source_case_id, (group_name or "").strip())
    places = _places(code, place_ids)
    gap_place = None
    if gap_place_id:
        gap_place = _places(code, [gap_place_id])[0]
        source = Topic.Source.GAP
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed(code="too_many_photos", field="photos")
    topic = Topic.objects.create(
        region_code=code, title=text_between(title, field="title", high=120), text=text_between(text, field="text"),
        compound_kind=compound_kind_of(places), source=source, group_name=(group_name or "").strip()[:100],
        source_case=case, gap_place=gap_place, gap_category=(gap_category or "")[:40], proposer=actor)
    topic.places.set(places)
    for upload in photos:
        TopicPhoto.objects.create(topic=topic, **photo_files.prepare(upload))
    event(topic, "proposed", actor=actor)
    audit.record(actor=actor, action="consultation.propose", target=topic, region_code=code,
                 detail={"source": source, "case": case.pk if case else None, "photos": len(photos)})
    return topic


@transaction.atomic
def support_topic(*, actor, topic_id: int) -> Topic:
    """One support per household (a database constraint); the threshold starts the answer deadline."""
    topic = Topic.objects.get_visible(actor, pk=topic_id)
    verification = verification_in(actor, topic.region_code)
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.state != Topic.State.OPEN:
        raise WrongState()
    try:
        with transaction.atomic():
            Support.objects.create(topic=topic, household=verification.household, user=actor)
    except IntegrityError:
        raise AlreadySupported() from None
    Topic.objects.filter(pk=topic.pk).update(supports=F("supports") + 1)
    topic.refresh_from_db()
    _check_threshold(topic)
    audit.record(actor=actor, action="consultation.support", target=topic, region_code=topic.region_code)
    return topic


def _check_threshold(topic: Topic) -> None:
    rules = settings_of(topic.region_code)
    if topic.threshold_reached_at is None and topic.supports >= rules.support_threshold:
        now = timezone.now()
        topic.threshold_reached_at, topic.answer_due_at = now, add_working_days(now, rules.answer_days)
        topic.save(update_fields=["threshold_reached_at", "answer_due_at"])
        event(topic, "threshold", text=_("%(n)s households support this topic: the community answers by %(due)s.")
              % {"n": topic.supports, "due": f"{timezone.localtime(topic.answer_due_at):%Y-%m-%d}"},
              for_supporters=True)


@transaction.atomic
def decide_topic(*, actor, topic_id: int, decision: str, reason: str, merge_into_id: int | None = None) -> Topic:
    """议题确定: accept for consultation, merge into another topic, or decline, with a published reason."""
    topic = Topic.objects.select_for_update().get_managed(actor, pk=topic_id)
    if decision not in DECISIONS:
        raise ValidationFailed(code="invalid_decision", field="decision")
    reason = text_between(reason, field="reason", high=2000)
    if topic.state != Topic.State.OPEN:
        raise WrongState()
    if decision == "merge":
        target = Topic.objects.managed_by(actor).filter(pk=merge_into_id, region_code=topic.region_code).first()
        if target is None or target.pk == topic.pk:
            raise ValidationFailed(_("Choose another topic of this community to merge into."),
                                   code="invalid_merge_target", field="merge_into")
        topic.merged_into = target
    topic.state, topic.decision_reason = DECISIONS[decision], reason
    topic.decided_at, topic.decided_by = timezone.now(), actor
    topic.save()
    event(topic, decision, actor=actor, text=reason, for_supporters=True)
    audit.record(actor=actor, action=f"consultation.topic.{decision}", target=topic, region_code=topic.region_code)
    return topic


@transaction.atomic
def comment(*, actor, topic_id: int, text: str, official: bool = False) -> Comment:
    """Verified residents comment (pre-moderated communities hold it for a moderator); staff may answer
    officially."""
    topic = Topic.objects.get_visible(actor, pk=topic_id)
    staff = manages(actor, topic.region_code)
    if not staff:
        verification_in(actor, topic.region_code)
    if official and not staff:
        raise PermissionDenied()
    held = not staff and settings_of(topic.region_code).moderation == CommunitySettings.Moderation.PRE
    made = Comment.objects.create(topic=topic, author=actor, text=text_between(text, field="comment", high=2000),
                                  official=official, state=Comment.State.PENDING if held else Comment.State.VISIBLE)
    if official:
        event(topic, "official_answer", actor=actor, text=made.text, for_supporters=True)
    audit.record(actor=actor, action="consultation.comment", target=made, region_code=topic.region_code,
                 detail={"official": official, "state": made.state})
    return made


@transaction.atomic
def moderate_comment(*, actor, comment_id: int, hide: bool, reason: str = "") -> Comment:
    """Hide with a reason (the author still sees it with the reason), or show a held comment."""
    found = Comment.objects.select_for_update().get_managed(actor, pk=comment_id)
    if hide:
        found.hidden_reason = text_between(reason, field="reason", high=200)
        found.state = Comment.State.HIDDEN
    else:
        found.hidden_reason, found.state = "", Comment.State.VISIBLE
    found.moderated_by = actor
    found.save()
    audit.record(actor=actor, action="consultation.moderate", target=found, region_code=found.topic.region_code,
                 detail={"hide": hide})
    return found
