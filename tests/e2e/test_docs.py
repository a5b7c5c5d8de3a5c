"""The documents say what the code does.  docs/api.md's route tables hold exactly the rows
of the workers' route table (`imghost-admin routes`: method, pattern, flags) and exactly
the paths nginx answers itself (the locations of nginx/imghost-site.conf.in that neither
pass to a worker nor are internal); its error table holds exactly the codes the worker
knows (fcgi/domain/error.hpp) with their statuses (fcgi/http/status.cpp); its /api/ rows
are exactly the operations of docs/openapi.yaml.  README.md opens with its title.
Reads files and runs imghost-admin; needs nothing of the running stack."""

import re
import unittest

from stack import ROOT
from test_openapi import DOC as OPENAPI, ERROR_CODES, operations, read_yaml, route_table

API_MD = ROOT / "docs" / "api.md"
README = ROOT / "README.md"
SITE_CONF = ROOT / "nginx" / "imghost-site.conf.in"

# A value of the right shape for each placeholder of docs/api.md's nginx rows, so that
# nginx's own location regexes can be tried on them.
EXAMPLES = {
    "<name>": "abcdefghijklmnopqrst.png",
    "<asset>": "site",
    "<digest>": "0123456789",
    "<ext>": "css",
    "<anything else>": "anything-else",
    "<preset>": "m",
    "<stem>": "abcdefghijklmnopqrst",
    "<fmt>": "webp",
}


def section(text, title):
    """The lines of `## title` up to the next `## ` heading."""
    lines = text.splitlines()
    start = lines.index(f"## {title}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start + 1:end]


def table_rows(lines, first_header):
    """{column: cell} for every row of every table (in `lines`) whose header starts with
    `first_header`."""
    rows, header = [], None
    for line in lines:
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells if cells[0] == first_header else []
        elif header and not set(line) <= set("|-: "):
            if len(cells) != len(header):
                raise ValueError(f"{len(header)} cells expected: {line!r}")
            rows.append(dict(zip(header, cells)))
    return rows


def code(cell):
    """`x` -> x; anything else in the cell is an error of the document."""
    m = re.fullmatch(r"`([^`]+)`", cell)
    if not m:
        raise ValueError(f"expected one `code` span, got {cell!r}")
    return m.group(1)


def documented_routes():
    """(worker rows {(method, pattern, frozenset(flags))}, nginx rows {(method, path)})
    of docs/api.md's route tables: | method | path | served by | flags | what it does |.
    A row whose "served by" begins with "nginx" is one nginx answers itself."""
    workers, nginx = set(), set()
    for row in table_rows(section(API_MD.read_text(encoding="utf-8"), "Routes"), "method"):
        path, flags = code(row["path"]), row.get("flags", "")
        names = frozenset(code(f.strip()) for f in flags.split(",")) if flags else frozenset()
        for method in row["method"].split(", "):
            if row["served by"].startswith("nginx"):
                nginx.add((method, path))
            else:
                workers.add((method, path, names))
    return workers, nginx


def documented_errors():
    """{code: status} of docs/api.md's error table (| status | code | when |)."""
    out = {}
    for row in table_rows(section(API_MD.read_text(encoding="utf-8"), "Errors"), "status"):
        name = code(row["code"])
        if name in out:
            raise ValueError(f"{name} has two rows")
        out[name] = int(row["status"])
    return out


def worker_error_codes():
    """{code: status}: the enum of fcgi/domain/error.hpp, each with the status
    fcgi/http/status.cpp gives it."""
    header = (ROOT / "fcgi" / "domain" / "error.hpp").read_text(encoding="utf-8")
    enum = re.search(r"enum class ErrorCode \{(.*?)\};", header, re.S).group(1)
    names = re.findall(r"^\s*(\w+),", enum, re.M)
    status = (ROOT / "fcgi" / "http" / "status.cpp").read_text(encoding="utf-8")
    statuses = dict(re.findall(r"case ErrorCode::(\w+): return (\d+);", status))
    return {n: int(statuses[n]) for n in names}


def public_locations():
    """[(modifier, pattern, body)] of the `location` blocks of the public server of
    nginx/imghost-site.conf.in (the first `server {`), in order; modifier is "=", "^~",
    "~" or "" (a plain prefix)."""
    text = re.sub(r"#[^\n]*", "", SITE_CONF.read_text(encoding="utf-8"))
    start = text.index("server {") + len("server {")
    depth, i, out = 1, start, []
    location = re.compile(r'location\s+(?:(=|\^~|~\*?)\s+)?("[^"]*"|\S+)\s*\{')
    while depth:
        m = location.match(text, i) if depth == 1 else None
        if m:
            body_start = j = m.end()
            inner = 1
            while inner:
                inner += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            out.append((m.group(1) or "", m.group(2).strip('"'), text[body_start:j - 1]))
            i = j
            continue
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
    return out


def nginx_location(locations, path):
    """The location nginx picks for `path`: an exact match, else the longest prefix if
    it is ^~, else the first matching regex, else the longest prefix."""
    for loc in locations:
        if loc[0] == "=" and loc[1] == path:
            return loc
    prefixes = [loc for loc in locations if loc[0] in ("", "^~") and path.startswith(loc[1])]
    longest = max(prefixes, key=lambda loc: len(loc[1]), default=None)
    if longest and longest[0] == "^~":
        return longest
    for loc in locations:
        # PCRE's (?<name>...) is Python's (?P<name>...).
        regex = re.sub(r"\(\?<(?=\w)", "(?P<", loc[1])
        if loc[0].startswith("~") and re.search(regex, path, re.I if loc[0] == "~*" else 0):
            return loc
    return longest


def answered_by_nginx(loc):
    return "fastcgi_pass" not in loc[2] and not re.search(r"(^|[;{\s])internal;", loc[2])


def example(path):
    for placeholder, value in EXAMPLES.items():
        path = path.replace(placeholder, value)
    if "<" in path:
        raise ValueError(f"no example value for a placeholder of {path}")
    return path


class ApiGuideRoutes(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.workers, cls.nginx = documented_routes()
        cls.table = {(m, p, frozenset(f)) for m, p, f in route_table()}

    def test_every_worker_route_is_a_row_of_the_guide(self):
        missing = sorted(self.table - self.workers, key=str)
        self.assertEqual(missing, [], "in `imghost-admin routes`, not in docs/api.md (method, pattern, flags)")

    def test_every_worker_row_of_the_guide_is_a_route(self):
        extra = sorted(self.workers - self.table, key=str)
        self.assertEqual(extra, [], "in docs/api.md as a worker's route, not in `imghost-admin routes`")

    def test_every_path_nginx_answers_itself_is_a_row_of_the_guide(self):
        locations = public_locations()
        own = [loc for loc in locations if loc[1][0] != "@" and answered_by_nginx(loc)]
        self.assertTrue(own)
        rows_at = {nginx_location(locations, example(path))[:2] for _, path in self.nginx}
        for loc in own:
            with self.subTest(location=f"{loc[0]} {loc[1]}".strip()):
                self.assertIn(loc[:2], rows_at, "no row of docs/api.md's nginx routes reaches it")

    def test_every_nginx_row_of_the_guide_is_answered_by_nginx(self):
        locations = public_locations()
        self.assertTrue(self.nginx)
        for method, path in sorted(self.nginx):
            with self.subTest(f"{method} {path}"):
                self.assertEqual(method, "GET", "nginx's own locations serve GET (and HEAD)")
                loc = nginx_location(locations, example(path))
                self.assertIsNotNone(loc)
                self.assertTrue(answered_by_nginx(loc), f"location {loc[0]} {loc[1]} is a worker's or internal")

    def test_openapi_yaml_has_every_api_route_and_the_guide_every_operation_of_it(self):
        ops = set(operations(read_yaml(OPENAPI.read_text(encoding="utf-8"))))
        rows = {(p, m.lower()) for m, p, _ in self.workers} | {(p, m.lower()) for m, p in self.nginx}
        api_rows = {r for r in rows if r[0].startswith("/api/")}
        api_ops = {op for op in ops if op[0].startswith("/api/")}
        self.assertEqual(sorted(api_rows - api_ops), [], "in docs/api.md, not in docs/openapi.yaml")
        self.assertEqual(sorted(ops - rows), [], "in docs/openapi.yaml, not in docs/api.md")
        api_routes = {(p, m.lower()) for m, p, _ in self.table if p.startswith("/api/")}
        self.assertEqual(sorted(api_routes - api_ops), [], "routed, not in docs/openapi.yaml")


class ApiGuideErrors(unittest.TestCase):
    def test_the_error_table_is_every_code_the_worker_knows_with_its_status(self):
        worker = worker_error_codes()
        self.assertGreaterEqual(len(worker), 14)
        self.assertEqual(documented_errors(), worker)

    def test_openapi_test_knows_the_same_codes(self):
        self.assertEqual(ERROR_CODES, worker_error_codes(), "tests/e2e/test_openapi.py's ERROR_CODES")


class Readme(unittest.TestCase):
    def test_readme_begins_with_its_title(self):
        self.assertEqual(README.read_text(encoding="utf-8").splitlines()[0], "# imghost")

    def test_the_layout_names_every_folder_of_the_worker_and_each_of_its_layers(self):
        text = README.read_text(encoding="utf-8")
        layout = text[text.index("## Layout\n") : text.index("\n## ", text.index("## Layout\n") + 1)]
        picture = layout.split("```")[1]
        for folder in sorted(p.name for p in (ROOT / "fcgi").iterdir() if p.is_dir()):
            with self.subTest(folder):
                self.assertIn(f"| `fcgi/{folder}/` |", layout)
                self.assertRegex(picture, rf"(?<![\w/]){folder}/", "the picture of the layers")

    def test_no_document_sends_the_reader_outside_the_repository(self):
        for doc in [README, *sorted((ROOT / "docs").glob("*.md"))]:
            with self.subTest(doc.name):
                self.assertNotRegex(doc.read_text(encoding="utf-8"), r"\.\./shared/|\bshared/API\.md")


if __name__ == "__main__":
    unittest.main()
