"""Every write of community affairs: keyword-only functions, one transaction each, an audit event inside."""

from civicgrid.communityaffairs.services.assessments import create_template, review, self_assess, start, submit
from civicgrid.communityaffairs.services.charters import remove_post, save_charter, set_post
from civicgrid.communityaffairs.services.onestop import (
    book,
    cancel,
    create_item,
    finish,
    free_slots,
    pass_to_case,
    receive_appointment,
    receive_walk_in,
    slots_of,
)
from civicgrid.communityaffairs.services.qualifications import (
    add_qualification,
    remove_qualification,
    update_qualification,
)
from civicgrid.communityaffairs.services.spaces import add_room, remove_room, set_new_community, set_standard
from civicgrid.communityaffairs.services.workforce import create_course, sign_in

__all__ = ["add_qualification", "add_room", "book", "cancel", "create_course", "create_item", "create_template",
           "finish", "free_slots", "pass_to_case", "receive_appointment", "receive_walk_in", "remove_post",
           "remove_qualification", "remove_room", "review", "save_charter", "self_assess", "set_new_community",
           "set_post", "set_standard", "sign_in", "slots_of", "start", "submit", "update_qualification"]
