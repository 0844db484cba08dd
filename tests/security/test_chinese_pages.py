"""Every page, as each kind of user sees it in Chinese: no untranslated English UI words and no ASCII
punctuation in Chinese text.

The pages come from the URL resolver (every named route outside the JSON API and Django's admin) and are filled
with community A's records from world.py, as the route test does; each is opened by a signed-in user of every role
that has pages (district, community and grid workers, the reporting resident, a volunteer, a partner shop and the
handling unit of the case). What a page says is its text and the attributes people read (placeholder, title,
aria-label, alt, button values); record data (names made by world.py, user names, codes) is not UI."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.test_routes import fill, page_routes, world  # noqa: F401 - the module-scoped world fixture

pytestmark = [pytest.mark.xdist_group("security-routes"), pytest.mark.django_db]

# world keys of the users; the reporting resident's key was taken by the people register's resident record
ROLES = ("district", "community_a", "grid_a", "resident-1", "volunteer_user", "shop_user", "unit_y", "org_user",
         "proc_reviewer")
# Words that are not English UI: names of formats, standards and products, and the brand.
ALLOWED = {
    "civicgrid", "PDF", "CSV", "QR", "ID", "API", "GeoJSON", "JSON", "XML", "OpenStreetMap", "OSM", "Open311",
    "GeoReport", "xlsx", "Excel", "SMS", "WeChat", "URL", "HTTPS", "UTC", "CSRF", "English", "Leaflet", "WGS",
    "GB", "SM4", "HMAC", "SM3", "NUL", "FeatureCollection", "Point", "Polygon", "CC", "BY", "km",
}
# Field names of the file formats a page documents: typed as written, not translated.
FORMAT_FIELDS = {
    "/cases/import/": {"order_no", "received_at", "description", "phone", "lon", "lat", "address", "category",
                       "urgent"},
    "/assets/import/": {"code", "kind", "name", "lon", "lat", "address", "state", "owner_unit", "owner_name"},
    "/servicecircle/facilities/": {"category", "name", "lon", "lat", "capacity", "opening_hours", "operator",
                                   "external_id", "amenity", "shop", "healthcare"},
}
CJK = r"[\u3400-\u9fff]"
ASCII_PUNCTUATION_IN_CHINESE = re.compile(rf"{CJK}[,:;?!]|[,:;?!]{CJK}|{CJK}\(|\){CJK}")
SKIPPED_TAGS = {"script", "style", "template", "svg", "code", "pre"}
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self._skipping += 1
        attributes = dict(attrs)
        self.parts += [value for name, value in attrs if name in READ_ATTRIBUTES and value]
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.parts.append(data.strip())


def page_text(html: str, data_words: set[str]) -> str:
    parser = _Text()
    parser.feed(html)
    text = re.sub(r"https?://\S+", " ", "\n".join(parser.parts))
    for word in sorted(data_words, key=len, reverse=True):
        text = text.replace(word, " ")
    return text


def english_words(text: str) -> set[str]:
    words = set(re.findall(r"(?<![\w.@/-])[A-Za-z][A-Za-z'’]+(?![\w@/-])", text))
    return {w for w in words if w not in ALLOWED and not w.startswith("ZQX")}


def _data_words(built) -> set[str]:
    """User names and record names of the world: data, not UI."""
    names = {user.username for user in built.values() if hasattr(user, "username")}
    names |= {getattr(built[key], "name", "") for key in ("team", "shop", "place", "api_token") if key in built}
    return {name for name in names if name}


def _user(built, role):
    from django.contrib.auth import get_user_model

    return built[role] if role in built else get_user_model().objects.get(username=role)


def _pages():
    skipped = ("admin:", "api:", "open311")
    return [(name, params) for name, params in page_routes() if not name.startswith(skipped)]


@pytest.fixture(scope="module")
def rendered(world, django_db_blocker):  # noqa: F811
    """Every page as every role gets it (an HTML answer with status 200), in zh-Hans."""
    with django_db_blocker.unblock():
        return _render_all(world)


def _render_all(built) -> dict:
    data_words = _data_words(built)
    found = {}
    for role in ROLES:
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", raise_request_exception=False)
        client.force_login(_user(built, role))
        for name, params in _pages():
            try:
                url = reverse(name, kwargs=fill(built, name, params))
            except AssertionError:
                continue  # a parameter only the admin has
            response = client.get(url)
            if response.status_code >= 500:
                found[(role, url)] = f"ANSWERED {response.status_code}"
            elif response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                found[(role, url)] = page_text(response.content.decode(), data_words)
    return found


def test_the_scan_sees_pages_of_every_role(rendered):
    assert {role for role, _url in rendered} == set(ROLES)
    assert len(rendered) > 60


def test_chinese_pages_have_no_untranslated_english(rendered):
    found = {f"{role} {url}": sorted(words) for (role, url), text in rendered.items()
             if (words := english_words(text) - FORMAT_FIELDS.get(url, set()))}
    assert not found, "untranslated English on Chinese pages:\n" + "\n".join(f"{k}: {v}" for k, v in found.items())


def test_chinese_pages_use_chinese_punctuation(rendered):
    found = {}
    for (role, url), text in rendered.items():
        hits = {line.strip()[:60] for line in text.splitlines()
                if ASCII_PUNCTUATION_IN_CHINESE.search(re.sub(r"“[^”]*”", "x", line))}  # “经度,纬度”: typed
        if hits:
            found[f"{role} {url}"] = sorted(hits)
    assert not found, "ASCII punctuation in Chinese text:\n" + "\n".join(f"{k}: {v}" for k, v in found.items())


def test_the_scan_finds_english_and_ascii_punctuation():
    text = page_text('<p>提交</p><button title="Sign up">报名</button><p>余额: 30</p><script>var a="Hidden"</script>',
                     set())
    assert english_words(text) == {"Sign", "up"}
    assert ASCII_PUNCTUATION_IN_CHINESE.search(text)
