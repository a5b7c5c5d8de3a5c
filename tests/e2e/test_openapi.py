"""docs/openapi.yaml against the real stack: nginx serves it byte for byte, every operation
it documents answers with a status it documents, and every /api/ route of the contract
(API.md) is in it.  The document is read with a small block-YAML reader (no PyYAML)."""

import re
import unittest

import fixtures as fx
from stack import ROOT, get, request, upload

DOC = ROOT / "docs" / "openapi.yaml"

# API.md's route table, the /api/ rows (path, method), plus the document itself.
CONTRACT_ROUTES = [
    ("/api/v1/images", "post"),
    ("/api/v1/images", "get"),
    ("/api/v1/images/{id}", "get"),
    ("/api/v1/images/{id}/file", "get"),
    ("/api/v1/images/{id}", "delete"),
    ("/api/v1/health", "get"),
    # Accounts and tokens
    ("/api/v1/users", "post"),
    ("/api/v1/tokens", "post"),
    ("/api/v1/tokens", "get"),
    ("/api/v1/tokens/{id}", "delete"),
    ("/api/v1/me", "get"),
    ("/api/v1/me/images", "get"),
    ("/api/v1/images/{id}", "patch"),
    ("/api/v1/sharex", "get"),
    # Albums (upload sessions)
    ("/api/v1/albums", "post"),
    ("/api/v1/albums", "get"),
    ("/api/v1/albums/{id}", "get"),
    ("/api/v1/albums/{id}", "patch"),
    ("/api/v1/albums/{id}", "delete"),
    ("/api/v1/albums/{id}/images", "get"),
    ("/api/v1/albums/{id}/images", "post"),
    # Link previews
    ("/api/oembed", "get"),
]
ERROR_CODES = {
    "bad_request": 400, "unauthorized": 401, "forbidden": 403, "quota_exceeded": 403, "not_found": 404,
    "method_not_allowed": 405, "album_full": 409, "conflict": 409, "expired": 410, "too_large": 413, "unsupported_format": 415, "invalid_image": 422,
    "rate_limited": 429, "unavailable_for_legal_reasons": 451, "blocked": 451, "not_implemented": 501,
    "unavailable": 503,
}
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
KEY = re.compile(r"""^('(?:[^']|'')*'|"[^"]*"|[^\s'"#][^#]*?)\s*:(?:\s+(.*))?$""")


def _scalar(v):
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] == "'":
        return v[1:-1].replace("''", "'")
    if len(v) >= 2 and v[0] == v[-1] == '"':
        return v[1:-1]
    return v


def read_yaml(text):
    """Just enough of block YAML for this document: nested mappings (`key:` and
    `key: value`), lists of scalars (`- value`), folded/literal block scalars (kept as
    ""), comments.  A list item that is itself a mapping becomes {} (its content is
    skipped).  No anchors, flow collections or multi-line plain scalars.  A duplicate
    key is an error: a second `/api/v1/images:` would silently hide the first."""
    root = {}
    stack = [(-1, root)]  # (indent of the owning key, its container)
    pending = None        # (indent, parent, key) of a `key:` whose children are not seen yet
    skip_deeper = None
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if "\t" in raw[:indent + 1]:
            raise ValueError(f"line {number}: tab in indentation")
        if skip_deeper is not None:
            if indent > skip_deeper:
                continue
            skip_deeper = None
        while stack[-1][0] >= indent:
            stack.pop()
        if pending is not None:
            p_indent, p_parent, p_key = pending
            pending = None
            if indent > p_indent:
                node = [] if stripped.startswith("-") else {}
                p_parent[p_key] = node
                stack.append((p_indent, node))
        container = stack[-1][1]
        if stripped == "-" or stripped.startswith("- "):
            if not isinstance(container, list):
                raise ValueError(f"line {number}: list item outside a list")
            item = stripped[1:].strip()
            if KEY.match(item):
                container.append({})
                skip_deeper = indent
            else:
                container.append(_scalar(item))
            continue
        m = KEY.match(stripped)
        if not m:
            raise ValueError(f"line {number}: not a `key: value` line: {raw!r}")
        if not isinstance(container, dict):
            raise ValueError(f"line {number}: mapping key inside a list")
        key, value = _scalar(m.group(1)), m.group(2)
        if key in container:
            raise ValueError(f"line {number}: duplicate key {key!r}")
        if value is None or value.startswith("#"):
            container[key] = None
            pending = (indent, container, key)
        elif value[0] in "|>":
            container[key] = ""
            skip_deeper = indent
        elif value[0] in "[{&*!":
            raise ValueError(f"line {number}: flow collections, anchors and tags are not read here")
        else:
            container[key] = _scalar(value.split(" #")[0])
    return root


def operations(doc):
    """{(path, method): [status, ...]} of every operation in `paths:`."""
    out = {}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                out[(path, method)] = sorted(op["responses"])
    return out


def tiny(i):
    return fx.unique_png(2000 + i)


class Document(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.text = DOC.read_text(encoding="utf-8")
        cls.doc = read_yaml(cls.text)

    def test_reader_reads_the_document(self):
        self.assertEqual(self.doc["openapi"], "3.0.3")
        self.assertTrue(self.doc["info"]["title"])
        self.assertNotIn("\t", self.text)
        self.assertNotRegex(self.text, r"(?m)^\s*[^#\n]*:\s+[&*]", "no anchors or aliases")
        for line in self.text.splitlines():
            indent = len(line) - len(line.lstrip(" "))
            self.assertEqual(indent % 2, 0, f"two-space indent: {line!r}")

    def test_every_contract_route_is_documented(self):
        ops = operations(self.doc)
        for route in CONTRACT_ROUTES:
            with self.subTest(route):
                self.assertIn(route, ops)

    def test_statuses_and_error_codes_are_those_of_the_contract(self):
        ops = operations(self.doc)
        for (path, method), statuses in ops.items():
            with self.subTest(path=path, method=method):
                self.assertTrue(statuses)
                for s in statuses:
                    self.assertRegex(s, r"^[1-5]\d\d$")
                    if s >= "400":
                        self.assertIn(int(s), ERROR_CODES.values())
                self.assertEqual(len([s for s in statuses if s < "300"]), 1, "one success status")
        self.assertEqual(ops[("/api/v1/images/{id}", "delete")][0], "204")
        self.assertIn("403", ops[("/api/v1/images/{id}", "delete")])
        self.assertEqual(ops[("/api/v1/images", "post")][0], "201")
        code = self.doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]
        self.assertEqual(sorted(code["enum"]), sorted(ERROR_CODES))

    def test_schemas_and_parameters(self):
        c = self.doc["components"]
        for name in ["Image", "UploadedImage", "ImageList", "Error"]:
            self.assertIn(name, c["schemas"])
        self.assertEqual(sorted(c["schemas"]["ImageList"]["required"]), ["items", "next_cursor"])
        limit = c["parameters"]["Limit"]
        self.assertEqual((limit["name"], limit["in"]), ("limit", "query"))
        self.assertEqual((limit["schema"]["minimum"], limit["schema"]["maximum"], limit["schema"]["default"]),
                         ("1", "100", "20"))
        self.assertEqual((c["parameters"]["Cursor"]["name"], c["parameters"]["Cursor"]["schema"]["type"]),
                         ("cursor", "string"))
        token = c["parameters"]["DeleteToken"]
        self.assertEqual((token["name"], token["in"], token["required"]), ("X-Delete-Token", "header", "false"), "the owner deletes without it")
        form = c["requestBodies"]["Upload"]["content"]["multipart/form-data"]["schema"]["properties"]
        self.assertEqual((form["file"]["type"], form["file"]["items"]["format"]), ("array", "binary"))
        self.assertEqual(form["description"]["maxLength"], "1000")

    def test_every_ref_resolves(self):
        refs = set(re.findall(r"\$ref: '#/([^']+)'", self.text))
        self.assertTrue(refs)
        for ref in refs:
            with self.subTest(ref):
                node = self.doc
                for part in ref.split("/"):
                    self.assertIsInstance(node, dict)
                    self.assertIn(part, node)
                    node = node[part]

    def test_nginx_serves_the_same_bytes(self):
        r = get("/api/v1/openapi.yaml")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, DOC.read_bytes())
        self.assertIn("yaml", r.header("Content-Type"))


class EveryDocumentedOperationAnswers(unittest.TestCase):
    """For each (path, method) of the document: a valid request answers its documented
    success status, an invalid one a documented error status with the matching code."""

    @classmethod
    def setUpClass(cls):
        cls.doc = read_yaml(DOC.read_text(encoding="utf-8"))
        cls.ops = operations(cls.doc)

    def check(self, r, statuses, expect=None):
        self.assertIn(str(r.status), statuses, f"{r.status} is not documented: {r.text[:300]}")
        if expect is not None:
            self.assertEqual(r.status, expect, r.text[:300])
        if r.status >= 400:
            self.assertEqual(r.header("Content-Type"), "application/json")
            self.assertEqual(ERROR_CODES[r.json()["error"]["code"]], r.status)

    def image(self, i):
        r = upload([(f"openapi-{i}.png", tiny(i))])
        self.assertEqual(r.status, 201, r.text)
        return r.json()

    def exercise(self, path, method, statuses):
        ok = int(next(s for s in statuses if s < "300"))
        image_schema_keys = set(self.doc["components"]["schemas"]["Image"]["required"])
        if (path, method) == ("/api/v1/images", "get"):
            r = get("/api/v1/images?limit=3")
            self.check(r, statuses, ok)
            self.assertEqual(set(r.json()), set(self.doc["components"]["schemas"]["ImageList"]["required"]))
            for item in r.json()["items"]:
                self.assertEqual(set(item), image_schema_keys)
            self.check(get("/api/v1/images?limit=0"), statuses, 400)
            self.check(get("/api/v1/images?cursor=abc"), statuses, 400)
        elif (path, method) in (("/api/v1/images", "post"), ("/upload", "post")):
            accept = {"accept": "application/json"} if path == "/upload" else {}
            r = upload([("doc.png", tiny(10 if path == "/upload" else 11))], path=path, **accept)
            self.check(r, statuses, ok)
            self.assertEqual(set(r.json()), image_schema_keys | {"delete_token", "delete_url"})
            self.check(upload([("doc.txt", fx.TEXT)], path=path, **accept), statuses, 415)
            self.check(request("POST", path, body=b"x", headers={"Content-Type": "text/plain", **accept}),
                       statuses, 400)
        elif (path, method) == ("/api/v1/images/{id}", "get"):
            obj = self.image(1)
            r = get(path.replace("{id}", obj["id"]))
            self.check(r, statuses, ok)
            self.assertEqual(set(r.json()), image_schema_keys)
            self.check(get(path.replace("{id}", "abcdefghijklmnopqrst")), statuses, 404)
        elif (path, method) == ("/api/v1/images/{id}", "delete"):
            obj = self.image(2)
            target = path.replace("{id}", obj["id"])
            self.check(request("DELETE", target, headers={"X-Delete-Token": "a" * 32}), statuses, 403)
            self.check(request("DELETE", target), statuses, 403)
            self.check(request("DELETE", target, headers={"X-Delete-Token": obj["delete_token"]}), statuses, ok)
            self.check(request("DELETE", target, headers={"X-Delete-Token": obj["delete_token"]}), statuses, 404)
        elif (path, method) == ("/api/v1/images/{id}/file", "get"):
            obj = self.image(3)
            r = get(path.replace("{id}", obj["id"]))
            self.check(r, statuses, ok)
            self.assertEqual(r.body, tiny(3))
            self.check(get(path.replace("{id}", "abcdefghijklmnopqrst")), statuses, 404)
        elif (path, method) == ("/api/v1/health", "get"):
            r = get(path)
            self.check(r, statuses, ok)
            self.assertEqual(r.json(), {"status": "ok"})
        elif (path, method) == ("/api/v1/openapi.yaml", "get"):
            self.check(get(path), statuses, ok)
        elif path.startswith("/api/v1/users") or path.startswith("/api/v1/tokens") or path.startswith("/api/v1/me") \
                or path == "/api/v1/sharex" or (path, method) == ("/api/v1/images/{id}", "patch"):
            self.exercise_account_route(path, method, statuses, ok, image_schema_keys)
        elif path.startswith("/api/v1/albums"):
            self.exercise_album_route(path, method, statuses, ok, image_schema_keys)
        elif path.startswith("/api/v1/uploads"):
            self.exercise_resumable_route(path, method, statuses, ok, image_schema_keys)
        elif path == "/api/v1/reports" or path.startswith("/api/v1/admin/"):
            self.exercise_moderation_route(path, method, statuses, ok)
        elif (path, method) == ("/api/oembed", "get"):
            # This stack has no public_base_url, so it knows no link of its own: its 200s
            # (and 410s) are test_previews.py's, on a stack that has one.
            page = "http%3A%2F%2F127.0.0.1%2Fi%2F" + self.image(4)["id"]
            self.check(get("/api/oembed?url=" + page), statuses, 404)
            self.check(get("/api/oembed?url=" + page + "&format=xml"), statuses, 501)
            self.check(get("/api/oembed?url=" + page + "&maxwidth=0"), statuses, 400)
            self.check(get("/api/oembed"), statuses, 400)
        else:
            self.fail(f"the document has {method.upper()} {path}, which this test does not know how to call")

    def exercise_moderation_route(self, path, method, statuses, ok):
        import json

        import accounts_client as ac
        headers = {"Content-Type": "application/json"}
        if not hasattr(self, "admin_token"):
            name = ac.fresh_name("openapi-admin")
            r = ac.admin("user", "add", name, "--admin", password="correct horse battery")
            self.assertEqual(r.returncode, 0, r.stderr)
            type(self).admin_token = ac.api_token(name)["token"]
        admin = {**headers, "Authorization": f"Bearer {self.admin_token}"}
        target = self.image(5)["id"]
        if (path, method) == ("/api/v1/reports", "post"):
            self.check(request("POST", path, body=json.dumps({"target": target, "reason": "spam"}), headers=headers),
                       statuses, ok)
            self.check(request("POST", path, body=json.dumps({"target": target, "reason": "no"}), headers=headers),
                       statuses, 400)
            return
        # Everyone but an admin: 404, as if the route did not exist.
        body = json.dumps({"sha256": "1" * 64, "reason": "openapi"})
        self.check(request(method.upper(), path.replace("{id}", "1"), body=body if method == "post" else None,
                           headers=headers), statuses, 404)
        if (path, method) in (("/api/v1/admin/reports", "get"), ("/api/v1/admin/audit", "get")):
            self.check(get(path, headers=admin), statuses, ok)
            self.check(get(path + "?limit=0", headers=admin), statuses, 400)
        elif (path, method) == ("/api/v1/admin/takedowns", "post"):
            self.check(request("POST", path, body=json.dumps({"target": target}), headers=admin), statuses, 400)
            self.check(request("POST", path, body=json.dumps({"target": "a" * 20, "reason": "r"}), headers=admin),
                       statuses, 404)
        elif (path, method) == ("/api/v1/admin/blocks", "post"):
            r = request("POST", path, body=body, headers=admin)
            self.check(r, statuses, ok)
            self.check(request("POST", path, body=json.dumps({"reason": "r"}), headers=admin), statuses, 400)
            type(self).block_id = r.json()["id"]
        elif (path, method) == ("/api/v1/admin/blocks/{id}", "delete"):
            self.check(request("DELETE", path.replace("{id}", "999999999") + "?reason=r", headers=admin), statuses, 404)
        else:
            self.fail(f"no exercise for {method.upper()} {path}")

    def exercise_album_route(self, path, method, statuses, ok, image_keys):
        import json
        album_keys = set(self.doc["components"]["schemas"]["Album"]["required"])
        headers = {"Content-Type": "application/json"}

        def new_album(**fields):
            r = request("POST", "/api/v1/albums", body=json.dumps(fields), headers=headers)
            self.assertEqual(r.status, 201, r.text[:300])
            return r.json()

        if (path, method) == ("/api/v1/albums", "post"):
            r = request("POST", path, body=json.dumps({"title": "doc", "max_items": 2}), headers=headers)
            self.check(r, statuses, ok)
            self.assertEqual(set(r.json()), album_keys | {"manage_token"})
            self.check(request("POST", path, body=json.dumps({"max_items": 0}), headers=headers), statuses, 400)
        elif (path, method) == ("/api/v1/albums/{id}", "get"):
            album = new_album()
            r = get(path.replace("{id}", album["id"]))
            self.check(r, statuses, ok)
            self.assertEqual(set(r.json()), album_keys)
            self.check(get(path.replace("{id}", "abcdefghijklmnopqrst")), statuses, 404)
        elif (path, method) == ("/api/v1/albums/{id}", "delete"):
            album = new_album()
            target = path.replace("{id}", album["id"])
            self.check(request("DELETE", target), statuses, 403)
            self.check(request("DELETE", target, headers={"X-Manage-Token": "a" * 32}), statuses, 403)
            self.check(request("DELETE", target, headers={"X-Manage-Token": album["manage_token"]}), statuses, ok)
            self.check(request("DELETE", target, headers={"X-Manage-Token": album["manage_token"]}), statuses, 404)
        elif (path, method) == ("/api/v1/albums", "get"):
            new_album(visibility="public")
            r = get(path + "?limit=1")
            self.check(r, statuses, ok)
            self.assertEqual(set(r.json()), set(self.doc["components"]["schemas"]["AlbumList"]["required"]))
            self.assertEqual(set(r.json()["items"][0]), album_keys)
            self.check(get(path + "?limit=0"), statuses, 400)
            self.check(get(path + "?cursor=abc"), statuses, 400)
            self.check(get(path + "?mine=1"), statuses, 401)
        elif (path, method) == ("/api/v1/albums/{id}", "patch"):
            album = new_album()
            target = path.replace("{id}", album["id"])
            manage = {**headers, "X-Manage-Token": album["manage_token"]}
            r = request("PATCH", target, body=json.dumps({"title": "patched", "status": "closed"}), headers=manage)
            self.check(r, statuses, ok)
            self.assertEqual(set(r.json()), album_keys)
            self.assertEqual((r.json()["title"], r.json()["status"]), ("patched", "closed"))
            self.check(request("PATCH", target, body=json.dumps({"status": "open"}), headers=manage), statuses, 400)
            self.check(request("PATCH", target, body=json.dumps({"title": "x"}), headers=headers), statuses, 403)
            self.check(request("PATCH", path.replace("{id}", "abcdefghijklmnopqrst"), body="{}", headers=manage),
                       statuses, 404)
        elif (path, method) == ("/api/v1/albums/{id}/images", "get"):
            from stack import multipart
            album = new_album()
            target = path.replace("{id}", album["id"])
            body, ctype = multipart([("file", "a.png", tiny(43), "application/octet-stream")])
            up = request("POST", target, body=body,
                         headers={"Content-Type": ctype, "X-Manage-Token": album["manage_token"]})
            self.assertEqual(up.status, 201, up.text[:300])
            r = get(target)
            self.check(r, statuses, ok)
            self.assertEqual(set(r.json()), set(self.doc["components"]["schemas"]["ImageList"]["required"]))
            self.assertEqual([i["id"] for i in r.json()["items"]], [up.json()["id"]])
            self.assertEqual(set(r.json()["items"][0]), image_keys)
            self.check(get(target + "?limit=0"), statuses, 400)
            self.check(get(path.replace("{id}", "abcdefghijklmnopqrst")), statuses, 404)
        elif (path, method) == ("/api/v1/albums/{id}/images", "post"):
            from stack import multipart

            def into(target, name, data, token=None):
                body, ctype = multipart([("file", name, data, "application/octet-stream")])
                h = {"Content-Type": ctype, **({"X-Manage-Token": token} if token else {})}
                return request("POST", target, body=body, headers=h)

            album = new_album(max_items=1)
            target = path.replace("{id}", album["id"])
            self.check(into(target, "a.png", tiny(40)), statuses, 403)
            r = into(target, "a.png", tiny(40), album["manage_token"])
            self.check(r, statuses, ok)
            self.assertEqual(set(r.json()), image_keys | {"delete_token", "delete_url"})
            full = into(target, "b.png", tiny(41), album["manage_token"])
            self.check(full, statuses, 409)
            self.assertEqual(full.json()["error"]["code"], "album_full")
            self.check(into(path.replace("{id}", "abcdefghijklmnopqrst"), "c.png", tiny(42)), statuses, 404)

    def exercise_resumable_route(self, path, method, statuses, ok, image_keys):
        import base64
        tus = {"Tus-Resumable": "1.0.0"}
        data = tiny(60 + len(method))

        def new_upload():
            r = request("POST", "/api/v1/uploads", headers={
                **tus, "Upload-Length": str(len(data)), "Upload-Metadata": "filename " + base64.b64encode(b"d.png").decode()})
            self.assertEqual(r.status, 201, r.text[:300])
            loc = r.header("Location")
            return loc[loc.index("/api/v1/uploads/"):]

        def append(target, offset, body):
            return request("PATCH", target, body=body, headers={
                **tus, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"})

        unknown = "/api/v1/uploads/" + "a" * 32
        if method == "options":
            self.check(request("OPTIONS", path), statuses, ok)
        elif method == "post":
            self.check(request("POST", path, headers={**tus, "Upload-Length": "10"}), statuses, ok)
            self.check(request("POST", path, headers={**tus, "Upload-Length": "ten"}), statuses, 400)
            self.check(request("POST", path, headers={**tus, "Upload-Length": str(1 << 40)}), statuses, 413)
        elif method == "get":
            target = new_upload()
            self.check(get(target), statuses, 409)
            self.assertEqual(append(target, 0, data).status, 204)
            r = get(target)
            self.check(r, statuses, ok)
            self.assertEqual(set(r.json()), image_keys)
            self.check(get(unknown), statuses, 404)
        elif method == "patch":
            target = new_upload()
            self.check(append(target, 1, data), statuses, 409)
            self.check(append(target, 0, data + b"x"), statuses, 413)
            self.check(append(target, 0, data), statuses, ok)
            self.check(append(unknown, 0, data), statuses, 404)
        elif method == "delete":
            target = new_upload()
            self.check(request("DELETE", target, headers=tus), statuses, ok)
            self.check(request("DELETE", target, headers=tus), statuses, 404)
        else:
            self.fail(f"no exercise for {method.upper()} {path}")

    def exercise_account_route(self, path, method, statuses, ok, image_keys):
        import json
        import accounts_client as ac
        schemas = self.doc["components"]["schemas"]
        name, token = ac.account("openapi")
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if (path, method) == ("/api/v1/users", "post"):
            fresh = ac.fresh_name("doc")
            r = ac.api_signup(fresh)
            self.check(r, statuses, ok)
            self.assertEqual(set(r.json()), set(schemas["User"]["required"]))
            self.check(ac.api_signup(fresh), statuses, 409)
            self.check(ac.api_signup("x"), statuses, 400)
        elif (path, method) == ("/api/v1/tokens", "post"):
            r = request("POST", path, body=json.dumps({"username": name, "password": "correct horse battery"}),
                        headers={"Content-Type": "application/json"})
            self.check(r, statuses, ok)
            self.assertEqual(set(r.json()), set(schemas["NewToken"]["required"]))
            self.check(request("POST", path, body=json.dumps({"name": "second"}), headers=auth), statuses, ok)
            self.check(request("POST", path, body=json.dumps({"username": name, "password": "wrong password"}),
                               headers={"Content-Type": "application/json"}), statuses, 401)
            self.check(request("POST", path, body="[]", headers=auth), statuses, 400)
        elif (path, method) == ("/api/v1/tokens", "get"):
            r = get(path, headers=auth)
            self.check(r, statuses, ok)
            self.assertEqual(set(r.json()["items"][0]), set(schemas["Token"]["required"]))
            self.check(get(path), statuses, 401)
        elif (path, method) == ("/api/v1/tokens/{id}", "delete"):
            second = ac.api_token(name, name="to revoke")
            target = path.replace("{id}", second["id"])
            self.check(request("DELETE", target), statuses, 401)
            self.check(request("DELETE", target, headers=auth), statuses, ok)
            self.check(request("DELETE", target, headers=auth), statuses, 404)
        elif (path, method) == ("/api/v1/me", "get"):
            r = get(path, headers=auth)
            self.check(r, statuses, ok)
            self.assertEqual(set(r.json()), set(schemas["User"]["required"]))
            self.check(get(path), statuses, 401)
        elif (path, method) == ("/api/v1/me/images", "get"):
            ac.upload_as(ac.png(900), token=token)
            r = get(path + "?limit=1", headers=auth)
            self.check(r, statuses, ok)
            self.assertEqual(set(r.json()["items"][0]), image_keys)
            self.check(get(path + "?limit=0", headers=auth), statuses, 400)
            self.check(get(path), statuses, 401)
        elif (path, method) == ("/api/v1/images/{id}", "patch"):
            obj = ac.upload_as(ac.png(901), token=token).json()
            target = path.replace("{id}", obj["id"])
            r = request("PATCH", target, body=json.dumps({"description": "patched"}), headers=auth)
            self.check(r, statuses, ok)
            self.assertEqual(set(r.json()), image_keys)
            self.check(request("PATCH", target, body="{}"), statuses, 401)
            _, other = ac.account("openapi-other")
            self.check(request("PATCH", target, body="{}", headers={"Authorization": f"Bearer {other}"}), statuses, 403)
            self.check(request("PATCH", target, body='{"width": 1}', headers=auth), statuses, 400)
            self.check(request("PATCH", path.replace("{id}", "abcdefghijklmnopqrst"), body="{}", headers=auth),
                       statuses, 404)
        elif (path, method) == ("/api/v1/sharex", "get"):
            r = get(path, headers=auth)
            self.check(r, statuses, ok)
            self.assertTrue(set(schemas["ShareX"]["required"]) <= set(r.json()))
            self.check(get(path), statuses, 401)
        else:
            self.fail(f"no exercise for {method.upper()} {path}")

    def test_every_documented_operation_answers_a_documented_status(self):
        self.assertGreaterEqual(len(self.ops), len(CONTRACT_ROUTES))
        for (path, method), statuses in sorted(self.ops.items()):
            with self.subTest(f"{method.upper()} {path}"):
                self.exercise(path, method, statuses)

    def test_undocumented_methods_are_405_json(self):
        for path in sorted({p for p, _ in self.ops if p.startswith("/api/")}):
            documented = {m for p, m in self.ops if p == path}
            concrete = path.replace("{id}", "abcdefghijklmnopqrst")
            for method in ["PUT", "PATCH", "POST", "DELETE"]:
                if method.lower() in documented or path == "/api/v1/openapi.yaml":
                    continue
                with self.subTest(f"{method} {path}"):
                    r = request(method, concrete)
                    self.assertEqual(r.status, 405, r.text[:200])
                    self.assertEqual(r.json()["error"]["code"], "method_not_allowed")


if __name__ == "__main__":
    unittest.main()


# --- the workers' route table, nginx's site and the document agree -------------------------

def route_table():
    """[(method, pattern, {flags})] from `imghost-admin routes`: the table the workers use."""
    import os
    import subprocess
    build = os.environ.get("IMGHOST_BUILD", str(ROOT / "build"))
    out = subprocess.run([f"{build}/imghost-admin", "routes"], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        method, pattern, flags = line.split()
        rows.append((method, pattern, set() if flags == "-" else set(flags.split(","))))
    return rows


# Served by nginx itself: in the document, not in the workers' table.
NGINX_OPERATIONS = {("/api/v1/openapi.yaml", "get")}
NGINX_DEFAULT_PAGE = "<center>nginx</center>"


def concrete(pattern):
    """A path for a pattern, with a value of the right shape in each {name}."""
    return pattern.replace("{id}", "abcdefghijklmnopqrst").replace("{name}", "abcdefghijklmnopqrst.png")


class RouteTableAgrees(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.table = route_table()
        cls.ops = operations(read_yaml(DOC.read_text(encoding="utf-8")))

    def test_every_api_route_is_documented_and_every_documented_operation_is_routed(self):
        api = {(p, m.lower()) for m, p, _ in self.table if p.startswith("/api/")}
        documented = {op for op in self.ops if op[0].startswith("/api/")} - NGINX_OPERATIONS
        self.assertEqual(sorted(api - documented), [], "routed but not in docs/openapi.yaml")
        self.assertEqual(sorted(documented - api), [], "documented but not routed")

    def test_every_route_reaches_a_worker_through_nginx(self):
        for method, pattern, flags in self.table:
            if "fallback" in flags or "internal" in flags:
                continue
            if "private" in flags:
                with self.subTest(f"{method} {pattern} is not public"):
                    self.assertEqual(request(method, concrete(pattern)).status, 404)
                continue
            with self.subTest(f"{method} {pattern}"):
                r = request(method, concrete(pattern), headers={"Accept": "application/json"})
                self.assertNotIn(NGINX_DEFAULT_PAGE, r.text, f"nginx answered {r.status} itself")
                self.assertNotEqual(r.status, 405, r.text)

    def test_internal_routes_are_not_reachable_from_outside(self):
        internal = [(m, p) for m, p, flags in self.table if "internal" in flags]
        self.assertTrue(internal, "the error pages' route is internal")
        for method, pattern in internal:
            with self.subTest(pattern):
                r = request(method, pattern.replace("{status}", "413"))
                self.assertEqual(r.status, 404, "nginx refuses it (location ... internal)")
                self.assertNotIn(NGINX_DEFAULT_PAGE, r.text, "and shows the site's 404 page")

    def test_exactly_the_upload_routes_take_an_upload_sized_body(self):
        body = b"x" * (1 << 20)  # over nginx's 64 KiB everywhere else, under the upload limit
        headers = {"Content-Type": "multipart/form-data; boundary=nothing-here", "Accept": "application/json"}
        for method, pattern, flags in self.table:
            if method != "POST":
                continue
            paths = [concrete(pattern)] + ([concrete(pattern) + "/"] if "slash-twin" in flags else [])
            for path in paths:
                with self.subTest(path):
                    r = request("POST", path, body=body, headers=headers)
                    if "upload-body" in flags:
                        # The worker answered: it found no multipart part (400), or, for
                        # an upload into an album that does not exist, refused it before
                        # reading the body (404).  Never nginx's 413.
                        expected = 404 if "{id}" in pattern else 400
                        self.assertEqual(r.status, expected, r.text)
                    else:
                        self.assertEqual(r.status, 413, "nginx refused the body")
