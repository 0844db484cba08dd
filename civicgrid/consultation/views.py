"""Pages for residents (phone first) and the topic page shared with staff; the public results page."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicgrid.consultation import access, selectors, services
from civicgrid.consultation.models import Topic, Vote
from civicgrid.consultation.services.votes import choices_of
from civicgrid.consultation.webutil import ids
from civicgrid.core.scoping import managed_area_of, manages
from civicgrid.core.web import acting
from civicgrid.core.web import found as found_or_404


def _my_community(user) -> str | None:
    return selectors.my_community(actor=user)


@login_required
@require_GET
def home(request):
    """Residents: their community's topics and open votes. Staff: the topic board, meetings and resolutions."""
    user = request.user
    context = {"community": _my_community(user), "staff": user.is_staff_role,
               "manager": managed_area_of(user) is not None,
               "topics": selectors.topics_for(actor=user).select_related("merged_into")[:100],
               "votes": selectors.votes_for(actor=user).filter(state=Vote.State.OPEN)[:20],
               "meetings": selectors.meetings_for(actor=user)[:30],
               "resolutions": selectors.resolutions_for(actor=user)[:100],
               "overdue": selectors.overdue_resolutions(actor=user)[:50],
               "states": Topic.State.choices}
    due = _due_filter(user, request.GET)
    if due is not None:
        context.update(resolutions=due.pop("resolutions"), due=due)
    return render(request, "consultation/home.html", context)


def _due_filter(user, query) -> dict | None:
    """The board narrowed to the resolutions due between due_from and due_to (inclusive) in `region`: the list
    behind the cockpit's on-time figure. None without two valid dates."""
    try:
        first, last = date.fromisoformat(query.get("due_from", "")), date.fromisoformat(query.get("due_to", ""))
    except ValueError:
        return None
    due = selectors.resolutions_due(actor=user, start=first, end=last + timedelta(days=1),
                                    region=query.get("region", "").strip())
    return {"resolutions": due.order_by("due_on")[:200], "first": first, "last": last, "count": due.count(),
            "in_time": due.filter(selectors.done_in_time()).count()}


@login_required
def propose(request):
    community = _my_community(request.user)
    if request.method == "POST":
        return _propose(request)
    places = selectors.places_to_propose_for(actor=request.user, community=community)
    return render(request, "consultation/propose.html", {"community": community, "places": places})


@acting("consultation:propose")
def _propose(request):
    community = request.POST.get("community") or _my_community(request.user) or ""
    topic = services.propose_topic(actor=request.user, community=community, title=request.POST.get("title", ""),
                                   text=request.POST.get("text", ""), place_ids=ids(request, "places"),
                                   group_name=request.POST.get("group_name", ""),
                                   photos=request.FILES.getlist("photos"))
    messages.success(request, _("Your topic was published to your community."))
    return redirect("consultation:topic", topic_id=topic.pk)


@login_required
@require_GET
def topic(request, topic_id):
    found = found_or_404(selectors.get_topic, actor=request.user, topic_id=topic_id)
    context = {"topic": found, "comments": selectors.comments_for(actor=request.user, topic=found),
               "events": found.events.all(), "photos": found.photos.all(),
               "can_support": found.state == Topic.State.OPEN and access.is_verified_in(request.user,
                                                                                      found.region_code),
               "manager": manages(request.user, found.region_code), "votes": found.votes.all(),
               "resolutions": found.resolutions.select_related("case"),
               "others": selectors.related_topics(found)[:50]}
    return render(request, "consultation/topic.html", context)


@login_required
@require_POST
@acting("consultation:home")
def support(request, topic_id):
    services.support_topic(actor=request.user, topic_id=topic_id)
    messages.success(request, _("Your household supports this topic."))
    return redirect("consultation:topic", topic_id=topic_id)


@login_required
@require_POST
@acting("consultation:home")
def comment(request, topic_id):
    made = services.comment(actor=request.user, topic_id=topic_id, text=request.POST.get("text", ""),
                            official=request.POST.get("official") == "1")
    if made.state == "pending":
        messages.info(request, _("Your comment appears after a moderator has read it."))
    return redirect("consultation:topic", topic_id=topic_id)


@login_required
@require_POST
@acting("consultation:home")
def moderate(request, comment_id):
    found = services.moderate_comment(actor=request.user, comment_id=comment_id,
                                      hide=request.POST.get("hide") == "1", reason=request.POST.get("reason", ""))
    return redirect("consultation:topic", topic_id=found.topic_id)


@login_required
@require_POST
@acting("consultation:home")
def decide(request, topic_id):
    merge_into = request.POST.get("merge_into", "")
    services.decide_topic(actor=request.user, topic_id=topic_id, decision=request.POST.get("decision", ""),
                          reason=request.POST.get("reason", ""),
                          merge_into_id=int(merge_into) if merge_into.isdigit() else None)
    messages.success(request, _("The decision and its reason are published."))
    return redirect("consultation:topic", topic_id=topic_id)


@login_required
@require_GET
def vote(request, vote_id):
    found = found_or_404(selectors.get_vote, actor=request.user, vote_id=vote_id)
    return render(request, "consultation/vote.html", {
        "vote": found, "choices": choices_of(found), "can_vote": access.is_verified_in(request.user,
                                                                                      found.region_code),
        "manager": manages(request.user, found.region_code)})


@login_required
@require_POST
@acting("consultation:home")
def ballot(request, vote_id):
    services.cast_ballot(actor=request.user, vote_id=vote_id, choice=request.POST.get("choice", ""))
    messages.success(request, _("Your household's ballot is stored; you may change it until the vote closes."))
    return redirect("consultation:vote", vote_id=vote_id)


@require_GET
def public(request, code):
    """结果公示: one community's published meetings, decisions, vote results and resolutions; no sign-in."""
    community = selectors.public_community(code)
    if community is None:
        raise Http404
    return render(request, "consultation/public.html", {"community": community, **selectors.public_page(code)})
