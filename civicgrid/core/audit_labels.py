"""Audit actions in words an auditor reads ("派遣案件", not `cases.dispatch`). Actions are stable codes written by
every module's services; this table names them. An action missing here (a module added one) is shown as its
module's name and the rest of its code, so nothing is hidden, and a test lists the actions the code records that
have no words yet."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTIONS = {
    "accounts.login": _("Signed in to the platform"),
    "accounts.logout": _("Signed out"),
    "accounts.password.change": _("Changed own password"),
    "accounts.password.set": _("Set a user's password"),
    "accounts.token.issue": _("Issued an API token"),
    "accounts.token.revoke": _("Revoked an API token"),
    "accounts.user.create": _("Created a user account"),
    "admin.update": _("Changed a record in the administration"),
    "admin.delete": _("Deleted a record in the administration"),
    "audit.purge": _("Purged expired audit events"),
    "core.audit.export": _("Exported the audit log"),
    "core.reencrypt": _("Re-encrypted personal data"),
    "core.reencrypt.batch": _("Re-encrypted a batch of personal data"),
    "core.task.abandon": _("Gave up a background task"),
    "core.task.requeue": _("Requeued a background task"),
    "cases.report": _("Reported a case"),
    "cases.photo": _("Added a photo to a case"),
    "cases.register": _("Registered a case"),
    "cases.reject": _("Rejected a case"),
    "cases.dispatch": _("Dispatched a case"),
    "cases.redispatch": _("Redispatched a case"),
    "cases.return": _("Returned a case to the dispatcher"),
    "cases.accept": _("Accepted a dispatched case"),
    "cases.reply": _("Replied to a case"),
    "cases.verify": _("Verified a case"),
    "cases.rework": _("Sent a case back for rework"),
    "cases.close": _("Closed a case"),
    "cases.rate": _("Rated a case"),
    "cases.reopen": _("Reopened a case"),
    "cases.park": _("Parked a case"),
    "cases.resume": _("Resumed a parked case"),
    "cases.void": _("Voided a case"),
    "cases.merge": _("Merged a duplicate case"),
    "cases.urgent": _("Marked a case urgent"),
    "cases.comment": _("Commented on a case"),
    "cases.escalate": _("Escalated an overdue case"),
    "cases.hotline_import": _("Imported 12345 hotline orders"),
    "cases.moderate": _("Moderated a case for publication"),
    "cases.park_review": _("Parked case due for review"),
    "cases.open311_key.issue": _("Issued an Open311 key"),
    "cases.open311_key.revoke": _("Revoked an Open311 key"),
    "cases.callback.reveal_phone": _("Showed a caller's phone number for a call-back"),
    "cases.callback.attempt": _("Recorded a call-back attempt"),
    "cases.callback.rework": _("Reopened a case for rework after a call-back"),
    "cases.callback.explain": _("Proposed a case as not solvable / explained"),
    "cases.callback.explain_approve": _("Approved a case as not solvable / explained"),
    "cases.callback.explain_refuse": _("Refused a case as not solvable / explained"),
    "cases.extension.ask": _("Asked for a deadline extension"),
    "cases.extension.approve": _("Approved a deadline extension"),
    "cases.extension.refuse": _("Refused a deadline extension"),
    "cases.return.ask": _("Asked to return a case"),
    "cases.return.approve": _("Approved the return of a case"),
    "cases.return.refuse": _("Refused the return of a case"),
    "cases.hotline.export": _("Exported 12345 results"),
    "cases.join": _("Joined a case as a follower instead of reporting it again"),
    "cockpit.target.set": _("Set a cockpit target"),
    "cockpit.report.generate": _("Made a monthly cockpit report"),
    "cockpit.report.export": _("Downloaded a monthly cockpit report"),
    "consultation.propose": _("Proposed a topic"),
    "consultation.support": _("Supported a topic"),
    "consultation.comment": _("Commented on a topic"),
    "consultation.moderate": _("Moderated a comment"),
    "consultation.configure": _("Changed the consultation settings"),
    "consultation.verify": _("Verified a household"),
    "consultation.revoke": _("Revoked a household's verification"),
    "consultation.topic.accept": _("Accepted a topic"),
    "consultation.topic.merge": _("Merged a topic"),
    "consultation.topic.decline": _("Declined a topic"),
    "consultation.director.add": _("Added an honorary director"),
    "consultation.director.contribution": _("Recorded an honorary director's contribution"),
    "consultation.meeting.plan": _("Planned a consultation meeting"),
    "consultation.meeting.invite": _("Invited to a consultation meeting"),
    "consultation.meeting.publish": _("Published a consultation meeting"),
    "consultation.meeting.scan": _("Scanned a meeting sign-in code"),
    "consultation.meeting.sign_in": _("Signed in a participant"),
    "consultation.minutes.save": _("Saved meeting minutes"),
    "consultation.minutes.approve": _("Approved meeting minutes"),
    "consultation.resolution.adopt": _("Adopted a resolution"),
    "consultation.resolution.follow_case": _("Linked a resolution to a case"),
    "consultation.resolution.milestone": _("Recorded a resolution milestone"),
    "consultation.resolution.publish": _("Published a resolution"),
    "consultation.resolution.update": _("Updated a resolution"),
    "consultation.vote.open": _("Opened a vote"),
    "consultation.vote.ballot": _("Cast a ballot"),
    "consultation.vote.close": _("Closed a vote"),
    "consultation.vote.publish": _("Published vote results"),
    "notifications.contact": _("Changed contact details"),
    "notifications.mark_read": _("Marked notifications read"),
    "notifications.preferences": _("Changed notification preferences"),
    "notifications.requeue": _("Requeued a failed message"),
    "notifications.unsubscribe": _("Unsubscribed from e-mails"),
    "partybuilding.building.register": _("Registered an office building"),
    "communityaffairs.qualification.remove": _("Removed a social-worker certificate"),
    "communityaffairs.qualification.update": _("Corrected a social-worker certificate"),
    "partybuilding.chamber.building_link": _("Linked a building to a chamber of commerce"),
    "partybuilding.chamber.building_unlink": _("Unlinked a building from a chamber of commerce"),
    "partybuilding.chamber.link": _("Linked a chamber of commerce to its party organization or registry entry"),
    "partybuilding.chamber.member_add": _("Added a member enterprise to a chamber of commerce"),
    "partybuilding.chamber.member_remove": _("Removed a member enterprise from a chamber of commerce"),
    "partybuilding.chambers.export": _("Exported chambers of commerce"),
    "partybuilding.event.self_cancel": _("Cancelled one's own sign-up for a workstation event"),
    "partybuilding.event.self_signup": _("Signed up for a workstation event oneself"),
    "partybuilding.member.close_commitment": _("Closed a party member's service commitment"),
    "partybuilding.pledges.export": _("Exported 10+N pledges and their uses"),
    "partybuilding.workstation.staff_remove": _("Removed a workstation staff member"),
    "partybuilding.chamber.activity": _("Recorded a chamber of commerce activity"),
    "partybuilding.chamber.create": _("Registered a chamber of commerce"),
    "partybuilding.coverage.export": _("Exported party organization coverage"),
    "partybuilding.enterprise.register": _("Registered a non-public enterprise"),
    "partybuilding.enterprise.update": _("Changed a non-public enterprise"),
    "partybuilding.event.create": _("Announced a workstation event"),
    "partybuilding.event.signup": _("Signed up for a workstation event"),
    "partybuilding.member.commit": _("Recorded a party member's commitment"),
    "partybuilding.member.link_record": _("Counted a volunteering record as party service"),
    "partybuilding.member.register": _("Registered a party member"),
    "partybuilding.member.report": _("Recorded a party member's report to the community"),
    "partybuilding.member.service": _("Recorded a party member's service"),
    "partybuilding.members.export": _("Exported party members"),
    "partybuilding.model.name": _("Named a model enterprise"),
    "partybuilding.organization.create": _("Registered a party organization"),
    "partybuilding.partner.add": _("Added a joint-building partner"),
    "partybuilding.pledge.add": _("Recorded a resource pledge"),
    "partybuilding.pledge.use": _("Recorded the use of a pledged resource"),
    "partybuilding.project.evaluate_final": _("Made a brand project's final evaluation"),
    "partybuilding.project.evaluate_midterm": _("Made a brand project's mid-term evaluation"),
    "partybuilding.project.milestone": _("Completed a brand project milestone"),
    "partybuilding.project.promote": _("Promoted a brand project to the showcase"),
    "partybuilding.project.register": _("Registered a brand project"),
    "partybuilding.project.report": _("Reported a brand project's progress"),
    "partybuilding.request.file": _("Turned a company's request into a case"),
    "partybuilding.room.add": _("Added a bookable room"),
    "partybuilding.room.book": _("Booked a room"),
    "partybuilding.room.cancel": _("Cancelled a room booking"),
    "partybuilding.workstation.open": _("Opened a building workstation"),
    "partybuilding.workstation.staff": _("Added workstation staff"),
    "people.demo.generate": _("Generated demo residents"),
    "people.demo.staff": _("Generated demo staff"),
    "people.resident.create": _("Added a resident"),
    "people.resident.update": _("Changed a resident's record"),
    "people.resident.import": _("Imported residents"),
    "people.resident.export": _("Exported residents"),
    "people.resident.lookup": _("Looked up a resident by ID number"),
    "people.resident.reveal": _("Revealed a resident's full personal data"),
    "people.staff.create": _("Added a staff member"),
    "procurement.catalogue.add": _("Added an item to the purchase catalogue"),
    "procurement.budget.add": _("Added a purchase budget line"),
    "procurement.budget.change": _("Changed a purchase budget line"),
    "procurement.purchase.start": _("Started a purchase of services"),
    "procurement.call.publish": _("Published a purchase call"),
    "procurement.call.close": _("Closed a purchase call for review"),
    "procurement.purchase.cancel": _("Cancelled a purchase"),
    "procurement.bid.submit": _("Submitted a bid"),
    "procurement.panel.add": _("Added a reviewer to a purchase panel"),
    "procurement.panel.declare": _("Declared on conflicts of interest"),
    "procurement.bid.score": _("Scored a bid"),
    "procurement.award": _("Awarded a purchase"),
    "procurement.contract.sign": _("Signed a purchase contract"),
    "procurement.milestone.done": _("Completed a contract milestone"),
    "procurement.report.submit": _("Submitted a deliverable report"),
    "procurement.feedback": _("Answered a beneficiaries' survey"),
    "procurement.change.request": _("Asked to change a contract"),
    "procurement.change.decide": _("Decided on a contract change"),
    "procurement.evaluate": _("Evaluated a contract's performance"),
    "procurement.accept": _("Accepted a contract's deliverables"),
    "procurement.invoice": _("Sent an invoice for an instalment"),
    "procurement.pay": _("Paid an instalment"),
    "servicecircle.category.update": _("Changed a facility category"),
    "servicecircle.demo.facilities": _("Generated demo facilities"),
    "servicecircle.facility.create": _("Added a facility"),
    "servicecircle.facility.import": _("Imported facilities"),
    "servicecircle.network.store": _("Stored a walking network"),
    "servicecircle.run.create": _("Started a coverage analysis"),
    "servicecircle.run.done": _("Finished a coverage analysis"),
    "servicecircle.run.fail": _("Coverage analysis failed"),
    "servicecircle.run.recover": _("Restarted a lost coverage analysis"),
    "servicecircle.recommendation.create": _("Requested a site recommendation"),
    "servicecircle.recommendation.done": _("Finished a site recommendation"),
    "servicecircle.recommendation.fail": _("Site recommendation failed"),
    "servicecircle.recommendation.recover": _("Restarted a lost site recommendation"),
    "territory.boundaries.import": _("Imported boundaries"),
    "territory.demo.build": _("Built the demo territory"),
    "territory.divisions.import": _("Imported administrative divisions"),
    "territory.grid.create": _("Created a grid"),
    "territory.place.create": _("Added a place"),
    "territory.place.gates": _("Recorded a compound's gates"),
    "territory.streets.replace": _("Replaced the district's street names"),
    "assets.demo": _("Built the demo street assets"),
    "assets.import": _("Imported street assets"),
    "assets.state": _("Changed a street asset's state"),
    "territory.population.recount": _("Recounted population"),
    "territory.region.boundary": _("Changed a region's boundary"),
    "volunteering.volunteer.register": _("Registered as a volunteer"),
    "volunteering.volunteer.verify": _("Verified a volunteer"),
    "volunteering.team.create": _("Created a volunteer team"),
    "volunteering.team.join": _("Joined a volunteer team"),
    "volunteering.team.verify_member": _("Verified a team member"),
    "volunteering.activity.create": _("Created a volunteer activity"),
    "volunteering.shift.create": _("Added a shift"),
    "volunteering.shift.sign_up": _("Signed up for a shift"),
    "volunteering.shift.cancel": _("Cancelled a sign-up"),
    "volunteering.shift.cancel_shift": _("Cancelled a shift"),
    "volunteering.shift.check_in": _("Checked in"),
    "volunteering.shift.check_out": _("Checked out"),
    "volunteering.shift.confirm_attendance": _("Confirmed attendance"),
    "volunteering.shift.close": _("Closed a shift"),
    "volunteering.shift.remind_tomorrow": _("Sent tomorrow's shift reminders"),
    "volunteering.record.create": _("Recorded service hours"),
    "volunteering.record.confirm": _("Confirmed service hours"),
    "volunteering.record.deny": _("Refused service hours"),
    "volunteering.record.request_correction": _("Asked to correct service hours"),
    "volunteering.record.decide_correction": _("Decided on a correction"),
    "volunteering.certificate.issue": _("Issued a service certificate"),
    "volunteering.points.donate": _("Donated points"),
    "volunteering.points.expire": _("Expired points"),
    "volunteering.points.expiry_warning": _("Warned of expiring points"),
    "volunteering.points.reverse": _("Reversed points"),
    "volunteering.offer.create": _("Created a reward offer"),
    "volunteering.redemption.claim": _("Redeemed points"),
    "volunteering.redemption.confirm": _("Confirmed a redemption"),
    "volunteering.redemption.cancel": _("Cancelled a redemption"),
    "volunteering.redemption.expire": _("A redemption expired"),
    "volunteering.shop.register": _("Registered a partner shop"),
    "volunteering.shop.settle": _("Settled a partner shop's account"),
    "volunteering.help.ask": _("Asked for help"),
    "volunteering.help.accept": _("Took on a help request"),
    "volunteering.help.complete": _("Completed a help request"),
    "volunteering.help.escalate": _("Escalated a help request"),
    "organizations.register": _("Registered a social organization"),
    "organizations.profile.update": _("Updated a social organization's profile"),
    "organizations.representative": _("Changed a social organization's legal representative"),
    "organizations.rate": _("Recorded a social organization's assessment grade"),
    "organizations.status": _("Changed a social organization's status"),
    "organizations.account.link": _("Linked an account to a social organization"),
    "organizations.reveal": _("Viewed a legal representative's full personal data"),
    "organizations.export": _("Exported the social organization registry"),
    "organizations.report.submit": _("Filed a social organization's annual report"),
    "organizations.report.review": _("Reviewed a social organization's annual report"),
    "organizations.staff.add": _("Added a social organization's staff member"),
    "organizations.staff.leave": _("Recorded a social organization's staff member leaving"),
    "organizations.project.add": _("Added a social organization's project"),
    "organizations.project.update": _("Updated a social organization's project"),
    "organizations.hub.designate": _("Designated a hub organization"),
    "organizations.hub.end": _("Ended a hub organization's designation"),
    "organizations.hub.member.add": _("Added a member to a hub organization"),
    "organizations.hub.member.leave": _("Recorded a member leaving a hub organization"),
    "organizations.hub.activity": _("Recorded a hub organization's joint activity"),
    "organizations.template.create": _("Created a capacity indicator template"),
    "organizations.cohort.create": _("Opened an incubation cohort"),
    "organizations.cohort.status": _("Changed an incubation cohort's status"),
    "organizations.incubation.apply": _("Applied for incubation"),
    "organizations.incubation.admit": _("Admitted an organization to incubation"),
    "organizations.incubation.decline": _("Declined an incubation application"),
    "organizations.incubation.service": _("Logged an incubation service"),
    "organizations.incubation.milestone": _("Added an incubation milestone"),
    "organizations.incubation.milestone.done": _("Confirmed an incubation milestone"),
    "organizations.incubation.assess": _("Recorded a capacity assessment"),
    "organizations.incubation.conclude": _("Recorded an incubation outcome"),
    "organizations.training.create": _("Planned a training session"),
    "organizations.training.signin": _("Signed in at a training session"),
    "communityaffairs.charter.save": _("Saved a duty charter"),
    "communityaffairs.post.save": _("Set a post's staffing quota"),
    "communityaffairs.post.remove": _("Removed a charter post"),
    "communityaffairs.room.add": _("Added a community room"),
    "communityaffairs.room.remove": _("Removed a community room"),
    "communityaffairs.profile.save": _("Marked a community as new or existing"),
    "communityaffairs.standard.save": _("Changed a community standard"),
    "communityaffairs.qualification.add": _("Recorded a social-worker certificate"),
    "communityaffairs.course.create": _("Created a training course"),
    "communityaffairs.course.sign_in": _("Signed a worker in to a training course"),
    "communityaffairs.item.create": _("Added a one-stop service item"),
    "communityaffairs.appointment.book": _("Booked a one-stop appointment"),
    "communityaffairs.appointment.cancel": _("Cancelled a one-stop appointment"),
    "communityaffairs.handling.receive": _("Received an application at the one-stop window"),
    "communityaffairs.handling.finish": _("Finished an application at the one-stop window"),
    "communityaffairs.handling.case": _("Passed an application on as a case"),
    "communityaffairs.template.create": _("Created an assessment template"),
    "communityaffairs.assessment.start": _("Started a community self-assessment"),
    "communityaffairs.assessment.self_assess": _("Scored a self-assessment"),
    "communityaffairs.assessment.submit": _("Submitted a self-assessment for review"),
    "communityaffairs.assessment.review": _("Reviewed a community assessment"),
    "communityaffairs.demo": _("Built the demo community standardization"),
}


DETAIL_KEYS = {  # literal calls, so that makemessages keeps them
    "from": pgettext_lazy("audit detail", "from"),
    "to": pgettext_lazy("audit detail", "to"),
    "reason": pgettext_lazy("audit detail", "reason"),
    "purpose": pgettext_lazy("audit detail", "purpose"),
    "note": pgettext_lazy("audit detail", "note"),
    "count": pgettext_lazy("audit detail", "count"),
    "rows": pgettext_lazy("audit detail", "rows"),
    "fields": pgettext_lazy("audit detail", "fields"),
    "before": pgettext_lazy("audit detail", "before"),
    "after": pgettext_lazy("audit detail", "after"),
    "status": pgettext_lazy("audit detail", "status"),
    "state": pgettext_lazy("audit detail", "state"),
    "kind": pgettext_lazy("audit detail", "kind"),
    "name": pgettext_lazy("audit detail", "name"),
    "points": pgettext_lazy("audit detail", "points"),
    "amount": pgettext_lazy("audit detail", "amount"),
    "minutes": pgettext_lazy("audit detail", "minutes"),
    "error": pgettext_lazy("audit detail", "error"),
    "file": pgettext_lazy("audit detail", "file"),
    "unit": pgettext_lazy("audit detail", "unit"),
    "category": pgettext_lazy("audit detail", "category"),
    "case": pgettext_lazy("audit detail", "case"),
    "deleted": pgettext_lazy("audit detail", "deleted"),
}


def detail_parts(action: str, detail: dict) -> list[tuple[str, str, bool]]:
    """(key, value, in_words) per detail: in_words is False where the key or value is a raw code that no module
    has put into words; pages show those as machine data (<code>), not as UI text."""
    from civicgrid.core.registry import audit_value_label

    order = list(DETAIL_KEYS)  # one order on every database (PostgreSQL's jsonb reorders keys)
    keys = sorted(detail or {}, key=lambda k: (order.index(k) if k in order else len(order), k))
    parts = []
    for key in keys:
        raw = detail[key]
        value = audit_value_label(action, key, raw)
        if value is None:
            value = "—"
        elif isinstance(value, bool):
            value = str(_("yes") if value else _("no"))
        in_words = key in DETAIL_KEYS and (value != raw or not isinstance(raw, str) or not raw.isascii())
        parts.append((str(DETAIL_KEYS.get(key, key)), str(value), in_words))
    return parts


def detail_text(action: str, detail: dict, *, limit: int = 200) -> str:
    """An event's details as "key：value" in words where the key or the module's code is known (for exports)."""
    text = "；".join(f"{key}：{value}" for key, value, _words in detail_parts(action, detail))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def action_known(action: str) -> bool:
    return action in ACTIONS


def action_label(action: str) -> str:
    label = ACTIONS.get(action)
    if label is not None:
        return str(label)
    module, _dot, rest = action.partition(".")
    try:
        name = str(apps.get_app_config(module).verbose_name)
    except LookupError:
        return action
    return f"{name} · {rest}" if rest else name


def action_choices() -> list[tuple[str, str]]:
    """(action, words) for the filter, grouped by module as the codes sort."""
    return sorted(((code, str(label)) for code, label in ACTIONS.items()), key=lambda item: item[0])


def target_label(target_type: str) -> str:
    """`cases.case` → the model's own name (案件)."""
    if not target_type:
        return ""
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type


def target_known(target_type: str) -> bool:
    try:
        apps.get_model(target_type)
    except (LookupError, ValueError):
        return False
    return True
