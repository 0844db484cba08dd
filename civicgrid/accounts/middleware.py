import time

from django.conf import settings
from django.contrib.auth import logout

_LOGIN_AT = "civicgrid_login_at"
_SEEN_AT = "civicgrid_seen_at"
_TOUCH_EVERY = 60  # seconds: avoid a session write on every request


class SessionTimeoutMiddleware:
    """Ends a signed-in session after SESSION_IDLE_TIMEOUT of inactivity or SESSION_ABSOLUTE_TIMEOUT in all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not getattr(request, "api_token_auth", False):
            now = time.time()
            session = request.session
            login_at = session.setdefault(_LOGIN_AT, now)
            seen_at = session.get(_SEEN_AT, now)
            if now - seen_at > settings.SESSION_IDLE_TIMEOUT or now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                request.session_timed_out = True
            elif now - seen_at >= _TOUCH_EVERY or _SEEN_AT not in session:
                session[_SEEN_AT] = now
        return self.get_response(request)
