"""Every write to cases: keyword-only functions, one transaction each, an audit event inside."""

from civicgrid.cases.services.hotline import import_hotline
from civicgrid.cases.services.intake import add_photo, report_case
from civicgrid.cases.services.joining import join_case
from civicgrid.cases.services.keys import issue_open311_key, revoke_open311_key
from civicgrid.cases.services.publication import moderate_publication, propose_public_text
from civicgrid.cases.services.reminders import remind_park_reviews
from civicgrid.cases.services.workflow import (
    accept,
    close,
    comment,
    dispatch,
    merge,
    park,
    perform,
    rate,
    redispatch,
    register,
    reject,
    reopen,
    reply,
    resume,
    return_to_dispatcher,
    rework,
    set_urgent,
    sweep_deadlines,
    verify,
    void,
)

__all__ = ["accept", "add_photo", "close", "comment", "dispatch", "import_hotline", "issue_open311_key",
           "join_case", "merge", "moderate_publication", "park", "perform", "propose_public_text", "rate",
           "redispatch", "register",
           "reject", "remind_park_reviews", "reopen", "reply", "report_case", "resume", "return_to_dispatcher",
           "revoke_open311_key", "rework", "set_urgent", "sweep_deadlines", "verify", "void"]
