// The languages: choosing a request's language (http/language), the catalogs and
// Russian's plural forms (domain/translate), and the words pages are made of in
// Russian (render/units, render/html).  The catalogs are the ones `make` compiled into
// build/locale (the tests run from the project's root, after `make all`).
#include <boost/test/unit_test.hpp>

#include "domain/config.hpp"
#include "domain/error.hpp"
#include "domain/log.hpp"
#include "domain/static_assets.hpp"
#include "domain/translate.hpp"
#include "http/language.hpp"
#include "render/pages.hpp"
#include "render/units.hpp"

namespace i18n = imghost::i18n;
using imghost::http::choose_language;
using imghost::http::preferred_language;

namespace {

// Loads the catalogs once for the whole suite (load() is meant to run once).
struct Catalogs {
  Catalogs() { i18n::load(imghost::Config::from("", {}).locale_dir, {"en", "ru"}); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(language)

BOOST_AUTO_TEST_CASE(accept_language_honours_q_values_and_primary_subtags) {
  const std::vector<std::string> site{"en", "ru"};
  struct Case {
    const char* header;
    const char* want;  // "" for none
  };
  const Case cases[] = {
      {"ru", "ru"},
      {"ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", "ru"},
      {"en-US,en;q=0.9,ru;q=0.8", "en"},
      {"de-DE, ru;q=0.5, en;q=0.4", "ru"},  // German is not spoken: the next best
      {"en;q=0.3, ru;q=0.8", "ru"},         // the q-value, not the order
      {"ru;q=0.5, en;q=0.5", "ru"},         // a tie: the header's order
      {"ru;q=0, en;q=0.1", "en"},           // q=0: "not this one"
      {"RU-ru", "ru"},                      // case does not matter
      {"ru;q=1.5, en", "en"},               // a malformed q-value loses
      {"ru; q = 0.9 , en ; q=0.2", "ru"},   // spaces
      {"*", ""},                            // anything: left to the default
      {"de, fr;q=0.9", ""},                 // nothing the site speaks
      {"", ""},
      {";;,,;q=", ""},
  };
  for (const auto& c : cases) {
    const auto got = preferred_language(c.header, site);
    BOOST_TEST(got.value_or("") == c.want, c.header);
  }
  BOOST_TEST(preferred_language("pt-BR", {"en", "pt_BR"}).value_or("") == "pt_BR");
  BOOST_TEST(preferred_language("pt-PT", {"en", "pt"}).value_or("") == "pt");
}

BOOST_AUTO_TEST_CASE(the_switcher_beats_the_cookie_which_beats_the_header) {
  const std::vector<std::string> site{"en", "ru"};
  BOOST_TEST(choose_language("ru", "en", "en", site, "en") == "ru");
  BOOST_TEST(choose_language("", "ru", "en", site, "en") == "ru");
  BOOST_TEST(choose_language("de", "xx", "ru;q=0.5", site, "en") == "ru", "unknown choices are ignored");
  BOOST_TEST(choose_language("", "", "", site, "ru") == "ru", "the configured default");
}

BOOST_AUTO_TEST_CASE(configuration_of_languages) {
  const auto d = imghost::Config::from("", {});
  BOOST_TEST(d.default_language == "en");
  BOOST_TEST(d.log_language == "en");
  BOOST_TEST(*d.get("languages") == "en,ru");
  const auto c = imghost::Config::from("languages = ru, en, ru\ndefault_language = ru\nlog_language = ru\n", {});
  BOOST_TEST(*c.get("languages") == "ru,en");
  BOOST_CHECK_THROW(imghost::Config::from("default_language = de", {}), imghost::ConfigError);
  BOOST_CHECK_THROW(imghost::Config::from("log_language = de", {}), imghost::ConfigError);
  BOOST_CHECK_THROW(imghost::Config::from("languages = en, ../x", {}), imghost::ConfigError);
  BOOST_CHECK_THROW(imghost::Config::from("languages = ,", {}), imghost::ConfigError);
}

BOOST_FIXTURE_TEST_CASE(russian_plurals_and_units, Catalogs) {
  const i18n::Scope russian("ru");
  BOOST_TEST(i18n::language() == "ru");
  struct Case {
    long n;
    const char* text;
  };
  const Case files[] = {{1, "1 файл"},   {2, "2 файла"},   {5, "5 файлов"},     {11, "11 файлов"},
                        {21, "21 файл"}, {22, "22 файла"}, {112, "112 файлов"}, {0, "0 файлов"}};
  for (const auto& c : files) BOOST_TEST(i18n::trnf("{} file", "{} files", c.n, c.n) == c.text, c.n);
  BOOST_TEST(i18n::trnf("{} image", "{} images", 21, 21) == "21 изображение");
  BOOST_TEST(imghost::units::human_size(2'600'000) == "2,5 МБ");
  BOOST_TEST(imghost::units::human_size(12 * 1024) == "12 КБ");
  BOOST_TEST(imghost::units::human_size(3ull << 30) == "3 ГБ");
  BOOST_TEST(imghost::units::human_size(3) == "3 байта");
  BOOST_TEST(imghost::units::expires_in(600) == "удалится через 10 минут");
  BOOST_TEST(imghost::units::expires_in(3600) == "удалится через 1 час");
  BOOST_TEST(imghost::units::expires_in(2 * 86400) == "удалится через 2 дня");
  const auto config = imghost::Config::from("max_files = 21\nformats = png, gif", {});
  BOOST_TEST(imghost::units::upload_limits(config) ==
             "PNG или GIF, до 5 МБ каждый; за одну загрузку — максимум 21 файл");
}

BOOST_FIXTURE_TEST_CASE(english_stays_the_sources_own, Catalogs) {
  const i18n::Scope english("en");
  BOOST_TEST(i18n::trnf("{} file", "{} files", 21, 21) == "21 files");
  BOOST_TEST(imghost::units::human_size(2'600'000) == "2.5 MiB");
  const i18n::Scope unknown("de");  // no catalog: English
  BOOST_TEST(i18n::language() == "en");
}

BOOST_FIXTURE_TEST_CASE(a_scope_restores_the_language_before_it, Catalogs) {
  BOOST_TEST(i18n::language() == "en");
  {
    const i18n::Scope russian("ru");
    BOOST_TEST(i18n::tr("Copied") == "Скопировано");
  }
  BOOST_TEST(i18n::language() == "en");
  BOOST_TEST(i18n::tr("Copied") == "Copied");
}

BOOST_FIXTURE_TEST_CASE(an_error_is_shown_in_the_request_s_language_and_kept_in_english, Catalogs) {
  const i18n::Scope russian("ru");
  const imghost::Error e = imghost::errors::too_large(
      i18n::msg("{} is over the limit of {} per file", "cat.png", i18n::msgn("{} minute", "{} minutes", 5, 5)));
  BOOST_TEST(std::string(e.what()) == "cat.png is over the limit of 5 minutes per file");
  BOOST_TEST(e.message().str() == "cat.png больше предела в 5 минут на файл");
  BOOST_TEST(e.message().in("en") == e.what());
  // A plain string (a message not yet marked for translation) is said as it is.
  BOOST_TEST(imghost::errors::not_found("plain words").message().in("ru") == "plain words");
}

BOOST_FIXTURE_TEST_CASE(a_russian_log_reads_like_the_seed_project_s, Catalogs) {
  // "[2025-01-24 14:00:00] Успех: изображение img1.jpg загружено как …"
  const auto line =
      imghost::format_log_line(1737727200, i18n::msg("Success").in("ru"),
                               i18n::msgn("image {} uploaded as {} ({} byte).", "image {} uploaded as {} ({} bytes).",
                                          2048, "img1.jpg", "abc.jpg", 2048)
                                   .in("ru"));
  BOOST_TEST(line == "[2025-01-24 14:00:00] Успех: изображение img1.jpg загружено как abc.jpg (2048 байт).\n");
  BOOST_TEST(i18n::msg("Error").in("ru") == "Ошибка");
}

BOOST_FIXTURE_TEST_CASE(a_page_says_its_language_and_offers_the_other, Catalogs) {
  const auto config = imghost::Config::from("", {});
  const auto assets = imghost::StaticAssets::load("static");
  const imghost::pages::Site site{config, assets};
  {
    const i18n::Scope russian("ru");
    const auto page = imghost::pages::home(site);
    BOOST_TEST(page.find("<html lang=\"ru\">") != std::string::npos);
    BOOST_TEST(page.find("Делитесь изображениями за секунды") != std::string::npos);
    BOOST_TEST(page.find("href=\"?lang=en\" hreflang=\"en\" lang=\"en\">English</a>") != std::string::npos);
    BOOST_TEST(page.find("data-messages=") != std::string::npos, "the script's words");
  }
  const auto page = imghost::pages::home(site);
  BOOST_TEST(page.find("<html lang=\"en\">") != std::string::npos);
  BOOST_TEST(page.find("href=\"?lang=ru\" hreflang=\"ru\" lang=\"ru\">Русский</a>") != std::string::npos);
  BOOST_TEST(page.find("data-messages=") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
