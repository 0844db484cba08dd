"""Page middleware that machine interfaces skip.

Machine interfaces are not pages: no session, no sign-in, no messages, no HTML. Open311 clients send an api_key
(checked by the view) and get JSON or XML, so a page's middleware only costs them time (about half the CPU of an
Open311 read of one case). MIDDLEWARE names the wrappers below instead of the originals. (Not in core.middleware:
the logging configuration imports that module before the apps are loaded.)"""

import importlib

MACHINE_PREFIXES = ("/open311/",)


def pages_only(middleware_class):
    """A subclass of `middleware_class` (so Django's and admin's checks still find it) that lets requests under
    MACHINE_PREFIXES go straight past it. Only for middleware without `process_view`, `process_exception` or
    `process_template_response` hooks: Django would still call those."""
    hooks = [name for name in ("process_view", "process_exception", "process_template_response")
             if hasattr(middleware_class, name)]
    if hooks:
        raise TypeError(f"{middleware_class.__name__} has {hooks}: it cannot be skipped by path")

    def __call__(self, request):
        if request.path_info.startswith(MACHINE_PREFIXES):
            return self.get_response(request)
        return middleware_class.__call__(self, request)

    name = f"{middleware_class.__name__}ForPages"
    return type(name, (middleware_class,), {"__call__": __call__, "__qualname__": name, "__module__": __name__})


def _pages_only(path: str):
    module, name = path.rsplit(".", 1)
    return pages_only(getattr(importlib.import_module(module), name))


SessionMiddleware = _pages_only("django.contrib.sessions.middleware.SessionMiddleware")
AuthenticationMiddleware = _pages_only("django.contrib.auth.middleware.AuthenticationMiddleware")
SessionTimeoutMiddleware = _pages_only("civicgrid.accounts.middleware.SessionTimeoutMiddleware")
MessageMiddleware = _pages_only("django.contrib.messages.middleware.MessageMiddleware")
CSPMiddleware = _pages_only("csp.middleware.CSPMiddleware")
