"""Helpers for the account tests: signups, logins through the real forms, sessions kept
as a cookie jar of one cookie, CSRF tokens read from the pages, uploads with a token or a
session, and imghost-admin's account commands."""

import json
import os
import re
import subprocess
import uuid
from urllib.parse import urlencode

import fixtures as fx
from stack import ROOT, env, multipart, request

BUILD = os.environ.get("IMGHOST_BUILD", str(ROOT / "build"))
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def fresh_name(prefix="u"):
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def api_signup(username, password="correct horse battery"):
    return request("POST", "/api/v1/users", body=json.dumps({"username": username, "password": password}),
                   headers={"Content-Type": "application/json"})


def api_token(username, password="correct horse battery", name="tests"):
    r = request("POST", "/api/v1/tokens", headers={"Content-Type": "application/json"},
                body=json.dumps({"username": username, "password": password, "name": name}))
    assert r.status == 201, r.text
    return r.json()


def account(prefix="u", password="correct horse battery"):
    """A new account and an API token of it: (username, token secret)."""
    name = fresh_name(prefix)
    r = api_signup(name, password)
    assert r.status == 201, r.text
    return name, api_token(name, password)["token"]


def bearer(token, **extra):
    return {"Authorization": f"Bearer {token}", **extra}


def form(path, fields, cookie=None, headers=None):
    h = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    if cookie:
        h["Cookie"] = cookie
    return request("POST", path, body=urlencode(fields), headers=h)


def cookie_of(r, name):
    """'name=...' from a response's Set-Cookie, or None."""
    sc = r.header("Set-Cookie") or ""
    m = re.match(rf"({name}=[^;]*)", sc)
    return m.group(1) if m else None


def session_cookie_of(r):
    """'imghost_session=...' from a response's Set-Cookie, or None."""
    return cookie_of(r, "imghost_session")


def login_form_key(page="/login", port=None):
    """What a browser gets with the login or signup form: the Cookie header value of its
    form key, and the token the form echoes in its hidden field `csrf` (each None when
    the page has none: the tests that need them say so)."""
    r = request("GET", page, port=port)
    assert r.status == 200, (r.status, r.text[:300])
    m = CSRF.search(r.text)
    return cookie_of(r, "imghost_form_key"), m.group(1) if m else None


def page_form(path, fields, headers=None):
    """Posts the login or signup form as a browser does: loaded first, then sent with
    its form key cookie and token."""
    cookie, csrf = login_form_key(path)
    return form(path, {**fields, **({"csrf": csrf} if csrf else {})}, cookie=cookie, headers=headers)


def login(username, password="correct horse battery"):
    """Logs in through the form; returns the Cookie header value of the session."""
    r = page_form("/login", {"username": username, "password": password})
    assert r.status == 303, r.text
    cookie = session_cookie_of(r)
    assert cookie, r.headers
    return cookie


def csrf_of(cookie, page="/account"):
    r = request("GET", page, headers={"Cookie": cookie})
    assert r.status == 200, (r.status, r.text[:300])
    m = CSRF.search(r.text)
    assert m, "the page has a CSRF field"
    return m.group(1)


def upload_as(data, name="x.png", token=None, cookie=None, csrf=None, path="/api/v1/images", extra_headers=None):
    fields = [("file", name, data, "image/png")]
    if csrf is not None:
        fields.insert(0, ("csrf", None, csrf, None))
    body, ctype = multipart(fields)
    h = {"Content-Type": ctype, "Accept": "application/json", **(extra_headers or {})}
    if token:
        h["Authorization"] = f"Bearer {token}"
    if cookie:
        h["Cookie"] = cookie
    return request("POST", path, body=body, headers=h)


def admin(*args, password=None):
    """imghost-admin with the test stack's configuration; the password on stdin."""
    from stack import VAR
    return subprocess.run([f"{BUILD}/imghost-admin", "--config", str(VAR / "imghost.conf"), *args],
                          input=(password + "\n") if password is not None else "", capture_output=True, text=True,
                          env=env(), timeout=60)


def png(i):
    return fx.unique_png(30000 + i)
