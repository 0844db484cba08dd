"""The /api/v1/ root: authentication, error envelope and the routers of every module."""

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from civicgrid.accounts.services import user_for_token
from civicgrid.core.errors import DomainError, NotAuthenticated, ValidationFailed


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token, request=request)
        if user is not None:
            request.user = user
            request.api_token_auth = True
        return user


api = NinjaAPI(
    title="civicgrid API",
    version="1.0.0",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=[BearerToken(), django_auth],
    description="Grassroots social governance: territory, people, cases. Errors share one envelope "
                "`{code, message, field?, details?}` with a stable `code`.",
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc: NinjaValidationError):
    return domain_error(request, ValidationFailed(details=list(exc.errors)))


@api.exception_handler(OverflowError)
def number_out_of_range(request, exc: OverflowError):
    """A number too large for the database's integers (SQLite raises this while binding it): the caller's input."""
    return domain_error(request, ValidationFailed(_("A number in the request is out of range."),
                                                  code="number_out_of_range"))


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return domain_error(request, NotAuthenticated())


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, {"code": "http_error", "message": str(exc)}, status=exc.status_code)


def _register_routers() -> None:
    from civicgrid.accounts.api import router as accounts_router
    from civicgrid.assets.api import router as assets_router
    from civicgrid.cases.api import router as cases_router
    from civicgrid.cases.api_loop import router as cases_loop_router
    from civicgrid.communityaffairs.api import router as communityaffairs_router
    from civicgrid.consultation.api import router as consultation_router
    from civicgrid.notifications.api import router as notifications_router
    from civicgrid.organizations.api import router as organizations_router
    from civicgrid.partybuilding.api import router as partybuilding_router
    from civicgrid.people.api import router as people_router
    from civicgrid.procurement.api import router as procurement_router
    from civicgrid.servicecircle.api import router as servicecircle_router
    from civicgrid.territory.api import router as territory_router
    from civicgrid.volunteering.api import router as volunteering_router

    api.add_router("/auth", accounts_router)
    api.add_router("/", territory_router)
    api.add_router("/", people_router)
    api.add_router("/", notifications_router)
    api.add_router("/", assets_router)
    api.add_router("/", cases_router)
    api.add_router("/", cases_loop_router)
    api.add_router("/", volunteering_router)
    api.add_router("/", servicecircle_router)
    api.add_router("/", consultation_router)
    api.add_router("/", organizations_router)
    api.add_router("/", partybuilding_router)
    api.add_router("/", procurement_router)
    api.add_router("/", communityaffairs_router)


_register_routers()
