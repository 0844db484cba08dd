from datetime import datetime

from django.utils import timezone
from ninja import Router, Schema, Status

from civicgrid.accounts import selectors, services
from civicgrid.accounts.models import ApiToken
from civicgrid.core.schemas import errors

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str
    name: str = "api"


class UserOut(Schema):
    username: str
    role: str
    region_code: str
    display_name: str


class TokenOut(Schema):
    token: str
    user: UserOut


@router.post("/token", auth=None, response={200: TokenOut, **errors(400, 401, 403, 422)},
             summary="Exchange a username and password for an API token")
def create_token(request, payload: TokenIn):
    user = services.authenticate_or_fail(request=request, username=payload.username, password=payload.password)
    return {"token": services.issue_token(user=user, name=payload.name), "user": user}


@router.get("/me", response={200: UserOut, **errors(401)}, summary="The signed-in user")
def me(request):
    return request.auth


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    revoked_at: datetime | None
    active: bool


def _token_out(token: ApiToken, now: datetime) -> dict:
    expires_at = token.expires(services.token_lifetime())
    return {"id": token.pk, "name": token.name, "prefix": token.prefix, "created_at": token.created_at,
            "last_used_at": token.last_used_at, "expires_at": expires_at, "revoked_at": token.revoked_at,
            "active": token.revoked_at is None and expires_at > now}


@router.get("/tokens", response={200: list[ApiTokenOut], **errors(401)}, summary="The signed-in user's API tokens")
def list_tokens(request):
    now = timezone.now()
    return [_token_out(token, now) for token in selectors.tokens_of(user=request.auth)]


@router.delete("/tokens/{token_id}", response={204: None, **errors(401, 403, 404)},
               summary="Revoke one of the signed-in user's API tokens")
def revoke_token(request, token_id: int):
    services.revoke_token(actor=request.auth, token_id=token_id)
    return Status(204, None)
