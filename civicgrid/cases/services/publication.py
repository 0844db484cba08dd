"""Publication of a case: the reporter asks for it when reporting, dispatch staff of the case's area approve it
with a public text (proposed with personal data hidden, editable) or refuse it."""

from typing import Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.cases import policy
from civicgrid.cases.errors import NotPublishable
from civicgrid.cases.models import PUBLISHABLE_CHANNELS, Case, CaseEvent, Publication
from civicgrid.cases.redaction import redact
from civicgrid.cases.selectors import get_case
from civicgrid.core import audit
from civicgrid.core.errors import ValidationFailed

Decision = Literal["publish", "refuse"]
# publish: a pending request, a refused one reconsidered, or a published text corrected; refuse also withdraws
DECISIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "publish": ((Publication.PENDING, Publication.REFUSED, Publication.PUBLISHED), Publication.PUBLISHED),
    "refuse": ((Publication.PENDING, Publication.PUBLISHED), Publication.REFUSED),
}


def known_names(case: Case) -> list[str]:
    names = [case.reporter_name]
    if case.reporter is not None:
        names += [case.reporter.display_name, case.reporter.get_full_name(),
                  f"{case.reporter.last_name}{case.reporter.first_name}"]
    return names


def propose_public_text(case: Case) -> str:
    """The description with phone numbers, ID numbers and personal names hidden: the moderator's starting point."""
    return redact(case.public_description or case.description, names=known_names(case))


def initial_publication(channel: str, publish: bool) -> str:
    return Publication.PENDING if publish and channel in PUBLISHABLE_CHANNELS else Publication.PRIVATE


def _public_text(case: Case, edited: str) -> str:
    """The moderator's text, hidden once more (a name or number typed back in is caught), else the proposal."""
    text = redact((edited or "").strip(), names=known_names(case)) if edited.strip() else propose_public_text(case)
    if not 2 <= len(text) <= 4000:
        raise ValidationFailed(_("The public text must have 2 to 4000 characters."),
                               code="invalid_public_description", field="public_description")
    return text


@transaction.atomic
def moderate_publication(*, actor, case_id: int, decision: Decision, public_description: str = "") -> Case:
    """Refusals: 404 out of the actor's area, 403 not a dispatch role, 409 not publishable, 422 bad input."""
    get_case(actor=actor, case_id=case_id)  # out of sight first: 404 whatever the decision
    if decision not in DECISIONS:
        raise ValidationFailed(code="unknown_decision", field="decision")
    case = Case.objects.select_for_update(of=("self",)).select_related("reporter").get(pk=case_id)
    policy.ensure_may(actor, "moderate", case)
    sources, target = DECISIONS[decision]
    if case.channel not in PUBLISHABLE_CHANNELS or case.publication not in sources:
        raise NotPublishable(details=[{"channel": case.channel, "publication": case.publication}])
    before = {"publication": case.publication, "public_description": case.public_description}
    if decision == "publish":
        case.public_description = _public_text(case, public_description)
    case.publication, case.moderated_by, case.moderated_at = target, actor, timezone.now()
    case.save(update_fields=["publication", "public_description", "moderated_by", "moderated_at", "updated_at"])
    CaseEvent.objects.create(case=case, kind="publication", from_state=case.state, to_state=case.state, actor=actor,
                             actor_role=actor.role, at=case.moderated_at, data={"publication": target})
    audit.record(actor=actor, action="cases.moderate", target=case, region_code=case.region_code,
                 detail={"decision": decision, "before": before,
                         "after": {"publication": case.publication, "public_description": case.public_description}})
    return case
