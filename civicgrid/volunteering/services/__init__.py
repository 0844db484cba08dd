"""Every volunteering write. Keyword-only, one transaction each, audited, the actor's right checked."""

from civicgrid.volunteering.services.certificates import issue_certificate
from civicgrid.volunteering.services.help import accept_help, ask_for_help, complete_help, escalate_unanswered
from civicgrid.volunteering.services.points import donate, expire_account, expire_all, reverse_transfer, warn_expiring
from civicgrid.volunteering.services.records import (
    confirm_record,
    create_record,
    decide_correction,
    deny_record,
    request_correction,
)
from civicgrid.volunteering.services.shifts import (
    cancel_shift,
    cancel_signup,
    close_shift,
    confirm_attendance,
    remind_tomorrow,
    scan,
    sign_up,
)
from civicgrid.volunteering.services.shops import (
    cancel_redemption,
    claim,
    confirm_redemption,
    create_offer,
    expire_redemptions,
    register_shop,
    settle_month,
)
from civicgrid.volunteering.services.volunteers import (
    add_shift,
    create_activity,
    create_team,
    join_team,
    register_volunteer,
    verify_member,
    verify_volunteer,
)

__all__ = [
    "accept_help", "add_shift", "ask_for_help", "cancel_redemption", "cancel_shift", "cancel_signup", "claim",
    "close_shift",
    "complete_help", "confirm_attendance", "confirm_record", "confirm_redemption", "create_activity",
    "create_offer", "create_record", "create_team", "decide_correction", "deny_record", "donate",
    "escalate_unanswered", "expire_account", "expire_all", "expire_redemptions", "issue_certificate",
    "join_team", "register_shop", "register_volunteer", "remind_tomorrow", "request_correction", "reverse_transfer",
    "scan",
    "settle_month", "sign_up", "verify_member", "verify_volunteer", "warn_expiring",
]
