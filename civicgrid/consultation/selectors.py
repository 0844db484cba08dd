"""Every read of consultation, scoped by the actor (staff of the area, or verified residents of the community);
the public page reads only what was published."""

from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from civicgrid.consultation.models import (
    Comment,
    CompoundKind,
    HonoraryDirector,
    HouseholdVerification,
    Invitee,
    Meeting,
    Resolution,
    Topic,
    Vote,
)
from civicgrid.core.scoping import ScopedQuerySet, manages
from civicgrid.territory.models import Place, Region

OPEN_STATUSES = (Resolution.Status.PLANNED, Resolution.Status.IN_PROGRESS)


PROPOSAL_PLACE_KINDS = ("old_compound", "public_rental", "resettlement", "commodity_housing")


def my_community(*, actor) -> str | None:
    """The community of the actor's verified household, or None."""
    found = HouseholdVerification.objects.filter(user=actor, revoked_at__isnull=True).first()
    return found.community_code if found else None


def places_to_propose_for(*, actor, community: str | None):
    """Compounds a topic may name: the resident's own community's, or (for staff) those in their area."""
    if community:
        return Place.objects.within(community).filter(kind__in=PROPOSAL_PLACE_KINDS)
    if actor.is_staff_role:
        return Place.objects.visible_to(actor)[:200]
    return []


def related_topics(topic: Topic) -> QuerySet[Topic]:
    """Open or accepted topics of the same community, to merge into or read beside this one."""
    return Topic.objects.within(topic.region_code).exclude(pk=topic.pk).filter(
        state__in=[Topic.State.OPEN, Topic.State.ACCEPTED])


def get_vote(*, actor, vote_id: int) -> Vote:
    return Vote.objects.get_visible(actor, pk=vote_id)


def get_resolution(*, actor, resolution_id: int) -> Resolution:
    return Resolution.objects.select_related("case", "topic", "meeting").get_visible(actor, pk=resolution_id)


def get_director(*, actor, director_id: int) -> HonoraryDirector:
    return HonoraryDirector.objects.get_visible(actor, pk=director_id)


def directors_in(code: str) -> QuerySet[HonoraryDirector]:
    return HonoraryDirector.objects.within(code)


def public_community(code: str) -> Region | None:
    """The community whose results page this is; the page itself shows only published records."""
    return Region.objects.filter(code=code, level="community").first()


def topics_for(*, actor, state: str | None = None) -> QuerySet[Topic]:
    topics = Topic.objects.visible_to(actor)
    return topics.filter(state=state) if state else topics


def get_topic(*, actor, topic_id: int) -> Topic:
    return Topic.objects.get_visible(actor, pk=topic_id)


def comments_for(*, actor, topic: Topic) -> list[Comment]:
    """Moderators see every comment; others see visible ones, and their own held or hidden ones with the reason."""
    comments = Comment.objects.filter(topic=topic).select_related("author")
    if manages(actor, topic.region_code):
        return list(comments)
    return list(comments.filter(Q(state=Comment.State.VISIBLE) | Q(author=actor)))


def meetings_for(*, actor) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(actor).select_related("place")


def get_meeting(*, actor, meeting_id: int) -> Meeting:
    return Meeting.objects.get_visible(actor, pk=meeting_id)


def attendance(meeting: Meeting) -> dict[str, dict[str, int]]:
    """Invited and signed-in counts per party."""
    rows = Invitee.objects.filter(meeting=meeting).values("party").annotate(
        invited=Count("pk"), present=Count("pk", filter=Q(signed_in_at__isnull=False)))
    return {row["party"]: {"invited": row["invited"], "present": row["present"]} for row in rows}


def votes_for(*, actor) -> QuerySet[Vote]:
    return Vote.objects.visible_to(actor)


def resolutions_for(*, actor) -> ScopedQuerySet:
    return Resolution.objects.visible_to(actor).select_related("case", "topic", "meeting")


def overdue_resolutions(*, actor, today: date | None = None) -> QuerySet[Resolution]:
    today = today or timezone.localdate()
    return resolutions_for(actor=actor).filter(status__in=OPEN_STATUSES, due_on__lt=today)


def resolutions_due(*, actor, start: date, end: date, region: str = "") -> QuerySet[Resolution]:
    """Resolutions due in [start, end), in the region when given, dropped ones left out: the set whose share done
    by the due date is the cockpit's figure, and the list that figure links to."""
    due = resolutions_for(actor=actor).exclude(status=Resolution.Status.DROPPED).filter(
        due_on__gte=start, due_on__lt=end)
    return due.within(region)


def done_in_time() -> Q:
    return Q(status=Resolution.Status.DONE, done_on__lte=F("due_on"))


def directors_for(*, actor) -> QuerySet[HonoraryDirector]:
    return HonoraryDirector.objects.visible_to(actor)


def director_year(director: HonoraryDirector, year: int) -> dict:
    """The annual record of an honorary director: meetings invited and attended, contributions."""
    invitations = (Invitee.objects.filter(director=director, meeting__starts_at__year=year)
                   .select_related("meeting").order_by("meeting__starts_at"))
    return {"director": director, "year": year, "invitations": list(invitations),
            "attended": sum(1 for i in invitations if i.signed_in_at),
            "contributions": list(director.contributions.filter(on__year=year))}


def statistics_by_kind(*, actor) -> list[dict]:
    """Per compound kind: topics raised, meetings held, resolutions done, done on time, open and overdue."""
    today = timezone.localdate()
    topics = dict(Topic.objects.visible_to(actor).values_list("compound_kind").annotate(n=Count("pk")))
    meetings = dict(Meeting.objects.visible_to(actor).exclude(state=Meeting.State.PLANNED)
                    .values_list("compound_kind").annotate(n=Count("pk")))
    resolutions = {row["compound_kind"]: row for row in Resolution.objects.visible_to(actor).values("compound_kind")
                   .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=Resolution.Status.DONE)),
                             on_time=Count("pk", filter=Q(status=Resolution.Status.DONE,
                                                          done_on__lte=F("due_on"))),
                             overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)))}
    rows = []
    for kind, label in CompoundKind.choices:
        res = resolutions.get(kind, {})
        rows.append({"kind": kind, "label": label, "topics": topics.get(kind, 0), "meetings": meetings.get(kind, 0),
                     "resolutions": res.get("total", 0), "done": res.get("done", 0),
                     "on_time": res.get("on_time", 0), "overdue": res.get("overdue", 0)})
    return rows


# --- the public page: published records only ------------------------------------------------------------------

def public_page(code: str) -> dict:
    today = timezone.localdate()
    return {
        "meetings": Meeting.objects.within(code).filter(published_at__isnull=False,
                                                        starts_at__gte=timezone.now()).order_by("starts_at"),
        "topics": Topic.objects.within(code).filter(decided_at__isnull=False).order_by("-decided_at")[:50],
        "votes": Vote.objects.within(code).filter(state=Vote.State.PUBLISHED, publish_until__gte=today),
        "resolutions": Resolution.objects.within(code).filter(published_at__isnull=False).order_by("due_on"),
    }
