"""Every write of party building: keyword-only functions, one transaction each, an audit event inside."""

from civicgrid.partybuilding.services.chambers import (
    add_chamber_activity,
    add_chamber_member,
    create_chamber,
    link_chamber,
    link_chamber_building,
    remove_chamber_member,
    unlink_chamber_building,
)
from civicgrid.partybuilding.services.enterprises import register_building, register_enterprise, update_enterprise
from civicgrid.partybuilding.services.members import (
    add_commitment,
    close_commitment,
    link_volunteer_record,
    record_service,
    register_member,
    report_to_community,
)
from civicgrid.partybuilding.services.organizations import add_partner, create_organization
from civicgrid.partybuilding.services.projects import (
    complete_milestone,
    evaluate,
    promote,
    register_project,
    report_progress,
)
from civicgrid.partybuilding.services.signups import cancel_own_signup, sign_up_self
from civicgrid.partybuilding.services.sunflower import add_pledge, name_model_enterprise, record_use
from civicgrid.partybuilding.services.workstations import (
    add_room,
    add_staff,
    book_room,
    cancel_booking,
    create_event,
    file_request,
    open_workstation,
    remove_staff,
    sign_up,
)

__all__ = ["add_chamber_activity", "add_chamber_member", "add_commitment", "add_partner", "add_pledge", "add_room",
           "add_staff", "book_room", "cancel_booking", "cancel_own_signup", "close_commitment", "complete_milestone",
           "create_chamber", "create_event", "create_organization", "evaluate", "file_request", "link_chamber",
           "link_chamber_building", "link_volunteer_record", "name_model_enterprise", "open_workstation", "promote",
           "record_service", "record_use", "register_building", "register_enterprise", "register_member",
           "register_project", "remove_chamber_member", "remove_staff", "report_progress", "report_to_community",
           "sign_up", "sign_up_self", "unlink_chamber_building", "update_enterprise"]
