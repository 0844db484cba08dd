"""E-mail through Django's mail framework (SMTP settings from the environment), with an unsubscribe link."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext, override

from civicgrid.notifications.content import DeliveryError


class SmtpAdapter:
    def send(self, message, address, content) -> str:
        message_id = f"<{message.key[:32]}@{settings.NOTIFY_MAIL_DOMAIN}>"
        with override(message.language):
            body = content.text
            if content.url:
                body += "\n\n" + content.url
            if content.unsubscribe_url:
                body += "\n\n" + gettext("Stop these e-mails: %(url)s") % {"url": content.unsubscribe_url}
            elif content.must_receive:
                body += "\n\n" + gettext("You receive this because it concerns your own request: "
                                           "these messages cannot be switched off.")
        headers = {"Message-ID": message_id}
        if content.unsubscribe_url:
            headers["List-Unsubscribe"] = f"<{content.unsubscribe_url}>"
        mail = EmailMessage(subject=content.subject, body=body, to=[address], headers=headers)
        try:
            mail.send(fail_silently=False)
        except OSError as exc:  # smtplib's errors are OSErrors: the server refused or was unreachable
            permanent = getattr(exc, "smtp_code", 0) >= 500
            raise DeliveryError(f"SMTP: {type(exc).__name__} {getattr(exc, 'smtp_code', '')}".strip(),
                                permanent=permanent, code="smtp") from None
        return message_id

    def was_sent(self, message) -> None:
        return None  # an SMTP server cannot be asked afterwards
