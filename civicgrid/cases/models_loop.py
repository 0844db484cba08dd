"""Closing the loop of a case: the call-back to the caller after closing, and a handling unit's requests to the
dispatcher (extension of the deadline, return of a case it is not responsible for). Imported by models.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicgrid.core.scoping import ScopedManager


class RequestKind(models.TextChoices):
    EXTENSION = "extension", pgettext_lazy("case request", "Extension")
    RETURN = "return", pgettext_lazy("case request", "Return")


class RequestState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("case request", "Pending")
    APPROVED = "approved", pgettext_lazy("case request", "Approved")
    REFUSED = "refused", pgettext_lazy("case request", "Refused")
    LAPSED = "lapsed", pgettext_lazy("case request", "Lapsed (the case left the unit)")


class CaseRequest(models.Model):
    """A handling unit asks the dispatcher for a later deadline (延期) or to take a case back (退单)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    unit = models.ForeignKey("cases.HandlingUnit", on_delete=models.PROTECT, related_name="case_requests",
                             verbose_name=_("handling unit"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    old_deadline = models.DateTimeField(_("deadline before"), null=True, blank=True)
    new_deadline = models.DateTimeField(_("requested deadline"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=RequestState.choices, default=RequestState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("asked at"), db_index=True)

    objects = ScopedManager(through="case")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("extension or return request")
        verbose_name_plural = _("extension and return requests")
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(state="pending"), name="one_pending_case_request"),
            models.CheckConstraint(condition=~Q(kind="extension") | Q(new_deadline__isnull=False),
                                   name="case_extension_has_date"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.case_id}"


class CallBackState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("call-back", "To call")
    REACHED = "reached", pgettext_lazy("call-back", "Reached")
    UNREACHED = "unreached", pgettext_lazy("call-back", "Not reached")
    CANCELLED = "cancelled", pgettext_lazy("call-back", "Cancelled")


class FollowUp(models.TextChoices):
    """What happens after a dissatisfied call-back: rework, or 'not solvable / explained' for the subdistrict."""

    NONE = "", "—"
    REWORK = "rework", _("Reopened for rework")
    EXPLAIN_PENDING = "explain_pending", _("Explanation awaiting approval")
    EXPLAINED = "explained", _("Not solvable / explained (approved)")
    EXPLAIN_REFUSED = "explain_refused", _("Explanation refused")


class CallBack(models.Model):
    """The call-back (回访) after a case closed: attempts on different working days, then the caller's answer."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="callbacks")
    state = models.CharField(_("state"), max_length=10, choices=CallBackState.choices,
                             default=CallBackState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_attempt_on = models.DateField(_("last attempt"), null=True, blank=True)
    next_attempt_on = models.DateField(_("next attempt from"), null=True, blank=True)
    caller = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("called by"))
    resolved = models.BooleanField(_("resolved"), null=True, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, blank=True,
                                    choices=[("satisfied", _("Satisfied")), ("basic", _("Basically satisfied")),
                                             ("unsatisfied", _("Unsatisfied"))])
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    followup = models.CharField(_("follow-up"), max_length=16, choices=FollowUp.choices, blank=True)
    followup_reason = models.CharField(_("follow-up reason"), max_length=500, blank=True)
    followup_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(through="case")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")
        permissions = [("call_back", _("Can call callers back (shows their phone on the call-back screen)"))]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(state="pending"), name="one_open_callback"),
            models.CheckConstraint(condition=~Q(state="reached") | ~Q(satisfaction=""),
                                   name="callback_reached_has_answer"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.state}"

    @property
    def dissatisfied(self) -> bool:
        return self.state == CallBackState.REACHED and (self.satisfaction == "unsatisfied" or self.resolved is False)
