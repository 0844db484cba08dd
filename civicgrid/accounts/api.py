from ninja import Router, Schema

from civicgrid.accounts import services
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
