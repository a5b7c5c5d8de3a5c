"""The site in English and Russian through the real stack: the language negotiated from
the switcher's ?lang=, the cookie, Accept-Language (q-values) and the default; the headers
that tell caches so; error messages in the asking language with their codes unchanged;
and the log kept in its own language (log_language, English here) whatever the request's."""

import http.client
import re
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import fixtures as fx
from stack import PORT, ROOT, VAR, env, get, log_lines, request, upload


def vary_of(path, headers=None):
    """Every Vary header of the answer, joined (nginx adds its own for compression)."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        r.read()
        return ", ".join(v for k, v in r.getheaders() if k.lower() == "vary")
    finally:
        conn.close()


def lang_of(html):
    m = re.search(r'<html lang="([^"]+)"', html)
    return m.group(1) if m else None


class Languages(unittest.TestCase):
    def test_english_without_a_preference(self):
        r = get("/")
        self.assertEqual(r.status, 200)
        self.assertEqual(lang_of(r.text), "en")
        self.assertEqual(r.header("Content-Language"), "en")
        self.assertIn("Accept-Language, Cookie", vary_of("/", {"Accept-Encoding": "gzip"}))
        self.assertIn('href="?lang=ru" hreflang="ru" lang="ru">Русский</a>', r.text, "the switcher")

    def test_accept_language_with_q_values(self):
        r = get("/upload", headers={"Accept-Language": "de-DE,de;q=0.9,ru;q=0.8,en;q=0.7"})
        self.assertEqual(lang_of(r.text), "ru")
        self.assertIn("Загрузка изображений", r.text)
        self.assertIn("за одну загрузку — максимум 20 файлов", r.text, "the limits, with Russian plurals")
        r = get("/upload", headers={"Accept-Language": "ru;q=0.2, en;q=0.9"})
        self.assertEqual(lang_of(r.text), "en")

    def test_the_switcher_sets_a_cookie_that_wins_over_the_header(self):
        r = get("/images/?lang=ru", headers={"Accept-Language": "en"})
        self.assertEqual(lang_of(r.text), "ru")
        cookie = r.header("Set-Cookie") or ""
        self.assertTrue(cookie.startswith("lang=ru;"), cookie)
        self.assertIn("Max-Age=31536000", cookie)
        r = get("/images/", headers={"Accept-Language": "en", "Cookie": "lang=ru"})
        self.assertEqual(lang_of(r.text), "ru")
        self.assertIn("Открытый каталог", r.text)
        self.assertIsNone(r.header("Set-Cookie"), "only a choice sets the cookie")
        r = get("/images/?lang=xx", headers={"Cookie": "lang=ru"})
        self.assertEqual(lang_of(r.text), "ru", "an unknown choice changes nothing")

    def test_errors_in_the_asking_language_codes_unchanged_log_in_english(self):
        r = request("GET", "/api/v1/images/aaaaaaaaaaaaaaaaaaaa", headers={"Accept-Language": "ru"})
        self.assertEqual(r.status, 404)
        self.assertEqual(r.json()["error"], {"code": "not_found", "message": "такого изображения нет"})
        self.assertIn("Accept-Language, Cookie", vary_of("/api/v1/images/aaaaaaaaaaaaaaaaaaaa"))
        page = get("/i/aaaaaaaaaaaaaaaaaaaa", headers={"Cookie": "lang=ru"})
        self.assertEqual(page.status, 404)
        self.assertIn("Ошибка 404", page.text)
        self.assertIn("Не найдено", page.text)

        before = len(log_lines())
        r = request("POST", "/api/v1/images", body=b"", headers={"Accept-Language": "ru",
                                                                  "Content-Type": "multipart/form-data; boundary=x"})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["error"]["code"], "bad_request")
        self.assertNotRegex(r.json()["error"]["message"], r"[a-z]{5} [a-z]{5}", "said in Russian")
        new = log_lines()[before:]
        self.assertTrue(new and all(re.search(r"\] Error: ", l) for l in new), new)
        self.assertFalse(any(re.search(r"[а-я]", l) for l in new), "log_language is English: " + repr(new))

    def test_nginx_own_errors_speak_the_asking_language(self):
        # An album's JSON may be 64 KiB: nginx refuses a bigger body itself (413), from
        # the maps imghost-admin made of the catalogs, the worker never asked.
        body = b"{" + b" " * 70000 + b"}"
        cases = [
            ({"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"}, "ru"),
            ({"Accept-Language": "de, ru;q=0.5"}, "ru"),
            ({"Accept-Language": "ru;q=0, en"}, "en"),
            ({"Accept-Language": "fr"}, "en"),
            ({}, "en"),
            ({"Accept-Language": "ru", "Cookie": "lang=en"}, "en"),
            ({"Accept-Language": "en", "Cookie": "theme=dark; lang=ru"}, "ru"),
        ]
        messages = {"ru": "тело запроса больше предела для загрузки", "en": "the request body is over the upload limit"}
        for headers, language in cases:
            with self.subTest(headers=headers):
                r = request("POST", "/api/v1/albums", body=body, headers={"Content-Type": "application/json", **headers})
                self.assertEqual(r.status, 413)
                self.assertEqual(r.json()["error"], {"code": "too_large", "message": messages[language]})
                self.assertEqual(r.header("Content-Language"), language)
                self.assertIn("Accept-Language, Cookie", r.header("Vary") or "")

    def test_an_upload_refused_in_russian_names_the_file(self):
        r = upload([("пусто.png", b"")], accept="application/json")
        self.assertEqual(r.status, 415)
        r = request("POST", "/api/v1/images", body=b"--x\r\nContent-Disposition: form-data; name=\"file\"; "
                    b"filename=\"a.png\"\r\n\r\nnot an image\r\n--x--\r\n",
                    headers={"Accept-Language": "ru", "Content-Type": "multipart/form-data; boundary=x"})
        self.assertEqual(r.status, 415)
        self.assertEqual(r.json()["error"]["code"], "unsupported_format")
        self.assertEqual(r.json()["error"]["message"], "a.png не является изображением JPEG, PNG, GIF или WebP")

    def test_a_russian_upload_page_uses_russian_sizes(self):
        data = fx.jpeg(320, 200, seed=3)
        r = upload([("кот.jpg", data)])
        self.assertEqual(r.status, 201, r.text)
        page = get(f"/i/{r.json()['id']}", headers={"Cookie": "lang=ru"})
        self.assertIn("КБ", page.text)
        self.assertIn("320 × 200 пикселей", page.text)


ROOT = Path(__file__).resolve().parents[2]


class TranslationCheck(unittest.TestCase):
    """scripts/i18n check, as make check and make test run it, on a copy of the tree."""

    def check(self, edit):
        with tempfile.TemporaryDirectory() as tmp:
            for d in ("fcgi", "po", "scripts"):
                shutil.copytree(ROOT / d, Path(tmp) / d)
            edit(Path(tmp))
            return subprocess.run([str(Path(tmp) / "scripts/i18n"), "check"], capture_output=True, text=True)

    def test_the_tree_passes(self):
        r = self.check(lambda t: None)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_a_new_message_without_its_translation_fails(self):
        def add(t):
            f = t / "fcgi/render/pages.cpp"
            f.write_text(f.read_text() + '\nstd::string x() { return imghost::i18n::tr("A brand new text"); }\n')
            subprocess.run([str(t / "scripts/i18n"), "update"], check=True, capture_output=True)
        r = self.check(add)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('A brand new text', r.stdout)
        self.assertIn("untranslated", r.stdout)

    def test_a_fuzzy_translation_or_a_stale_template_fails(self):
        def fuzzy(t):
            po = t / "po/ru.po"
            po.write_text(po.read_text().replace('msgid "Copied"', '#, fuzzy\nmsgid "Copied"', 1))
        r = self.check(fuzzy)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("fuzzy", r.stdout)

        def stale(t):
            f = t / "fcgi/render/pages.cpp"
            f.write_text(f.read_text().replace('i18n::tr("Upload more")', 'i18n::tr("Upload even more")'))
        r = self.check(stale)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("not up to date", r.stdout)


if __name__ == "__main__":
    unittest.main()


class RussianLog(unittest.TestCase):
    """A stack of its own with log_language = ru: app.log's lines in the seed's form
    ("Успех: изображение img1.jpg загружено ..."), whatever language the requests speak."""

    @classmethod
    def setUpClass(cls):
        cls.folder = VAR / "ru-log"
        shutil.rmtree(cls.folder, ignore_errors=True)
        cls.port = PORT + 21
        cls.env = env()
        cls.env.update(IMGHOST_VAR=str(cls.folder), IMGHOST_PORT=str(cls.port), IMGHOST_LOGS=str(cls.folder / "logs"),
                       IMGHOST_LOG_LANGUAGE="ru")
        cls.env.pop("IMGHOST_CONFIG", None)
        # Its output to a file: the processes it starts keep their standard output open.
        (cls.folder / "logs").mkdir(parents=True)
        with open(cls.folder / "logs" / "start.out", "wb") as out:
            subprocess.run([str(ROOT / "scripts" / "stack"), "start"], env=cls.env, check=True, stdout=out,
                           stderr=subprocess.STDOUT)

    @classmethod
    def tearDownClass(cls):
        subprocess.run([str(ROOT / "scripts" / "stack"), "stop"], env=cls.env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    def lines(self):
        return (self.folder / "logs" / "app.log").read_text(encoding="utf-8").splitlines()

    def test_the_log_speaks_russian(self):
        start = self.lines()
        # The repair check at the start of the stack.
        self.assertTrue(any(re.search(r"\] Успех: проверка нашла 0 проблем, исправлено: 0\.$", l) for l in start), start)
        r = upload([("img1.jpg", fx.jpeg(seed=7))], accept="application/json", port=self.port)
        self.assertEqual(r.status, 201, r.text)
        image = r.json()
        r = request("GET", "/api/v1/images/aaaaaaaaaaaaaaaaaaaa", headers={"Accept-Language": "en"}, port=self.port)
        self.assertEqual(r.json()["error"]["message"], "no such image", "the asker still gets English")
        r = request("DELETE", f"/api/v1/images/{image['id']}", headers={"X-Delete-Token": image["delete_token"]},
                    port=self.port)
        self.assertEqual(r.status, 204)
        new = self.lines()[len(start):]
        stored = image["filename"]
        self.assertRegex(new[0], r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] Успех: изображение img1\.jpg загружено как "
                         + re.escape(stored) + r" \(\d+ байт(а)?\)\.$")
        self.assertRegex(new[1], r"\] Ошибка: такого изображения нет \(404 not_found, GET /api/v1/images/a+\)\.$")
        self.assertRegex(new[2], r"\] Успех: изображение " + re.escape(stored) + r" удалено\.$")
        self.assertFalse(any(re.search(r"\] [A-Z][a-z]+: ", l) for l in new), new)
