"""Every write of consultation: keyword-only functions, one transaction each, an audit event inside."""

from civicgrid.consultation.services.directors import add_contribution, add_director
from civicgrid.consultation.services.meetings import (
    approve_minutes,
    invite,
    plan_meeting,
    publish_meeting,
    save_minutes,
    scan_checkin,
    sign_in,
)
from civicgrid.consultation.services.resolutions import (
    add_milestone,
    adopt_resolution,
    publish_resolution,
    update_resolution,
)
from civicgrid.consultation.services.topics import (
    comment,
    configure,
    decide_topic,
    moderate_comment,
    propose_topic,
    support_topic,
)
from civicgrid.consultation.services.verification import revoke_verification, verify_resident
from civicgrid.consultation.services.votes import cast_ballot, close_due_votes, close_vote, open_vote, publish_results

__all__ = ["add_contribution", "add_director", "add_milestone", "adopt_resolution", "approve_minutes", "cast_ballot",
           "close_due_votes", "close_vote", "comment", "configure", "decide_topic", "invite", "moderate_comment",
           "open_vote", "plan_meeting", "propose_topic", "publish_meeting", "publish_resolution", "publish_results",
           "revoke_verification", "save_minutes", "scan_checkin", "sign_in", "support_topic", "update_resolution",
           "verify_resident"]
