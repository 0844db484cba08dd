"""Every write of organizations: keyword-only functions, one transaction each, an audit event inside."""

from civicgrid.organizations.services.hubs import (
    add_member,
    designate_hub,
    end_designation,
    end_membership,
    record_joint_activity,
)
from civicgrid.organizations.services.incubation import (
    add_milestone,
    apply,
    assess,
    complete_milestone,
    conclude,
    create_cohort,
    create_template,
    decide_application,
    log_service,
    set_cohort_status,
)
from civicgrid.organizations.services.records import (
    add_project,
    add_staff,
    review_annual_report,
    staff_left,
    submit_annual_report,
    update_project,
)
from civicgrid.organizations.services.registry import (
    link_account,
    register_organization,
    reveal,
    set_rating,
    set_representative,
    set_status,
    update_profile,
)
from civicgrid.organizations.services.training import create_session, desk_sign_in, scan_sign_in

__all__ = ["add_member", "add_milestone", "add_project", "add_staff", "apply", "assess", "complete_milestone",
           "conclude", "create_cohort", "create_session", "create_template", "decide_application", "designate_hub",
           "desk_sign_in", "end_designation", "end_membership", "link_account", "log_service",
           "record_joint_activity", "register_organization", "reveal", "review_annual_report", "scan_sign_in",
           "set_cohort_status", "set_rating", "set_representative", "set_status", "staff_left",
           "submit_annual_report", "update_profile", "update_project"]
