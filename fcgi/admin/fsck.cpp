#include "admin/fsck.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <optional>
#include <unordered_set>
#include <vector>

#include "base/crypto.hpp"
#include "db/images_repo.hpp"
#include "db/locks.hpp"
#include "domain/image_format.hpp"
#include "domain/variant_presets.hpp"
#include "image/magick_setup.hpp"
#include "image/thumbnail.hpp"
#include "image/video.hpp"

namespace imghost::admin {
namespace {

using store::Entry;
using store::Object;
using FileRow = db::ImagesRepo::FileRow;

// What the store holds, from one walk.
struct Inventory {
  std::vector<Entry> staged;
  std::unordered_set<std::string> originals;  // stored names
  std::unordered_set<std::string> thumbs;     // stored names that have a thumbnail
  std::vector<std::string> foreign;           // what the store did not make
  std::vector<Entry> variants;                // named by their keys
};

Inventory take_inventory(const store::Store& store) {
  Inventory inv;
  store.walk([&](const Entry& e) {
    switch (e.kind) {
      case Entry::Kind::original: inv.originals.insert(e.name); break;
      case Entry::Kind::thumbnail: inv.thumbs.insert(e.name); break;
      case Entry::Kind::staged: inv.staged.push_back(e); break;
      case Entry::Kind::foreign: inv.foreign.push_back(e.name); break;
      case Entry::Kind::variant: inv.variants.push_back(e); break;
    }
  });
  std::sort(inv.staged.begin(), inv.staged.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
  std::sort(inv.foreign.begin(), inv.foreign.end());
  return inv;
}

std::vector<std::string> sorted(const std::unordered_set<std::string>& s) {
  std::vector<std::string> v(s.begin(), s.end());
  std::sort(v.begin(), v.end());
  return v;
}

std::string plural(std::size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

// One run of the check: the store, the database, what was found, and the report.
class Check {
 public:
  Check(const store::Store& store, db::Connection& conn, AppLog& log, const image::Limits& limits,
        const FsckOptions& opt, std::FILE* out)
      : store_(store),
        conn_(conn),
        repo_(conn),
        log_(log),
        limits_(limits),
        opt_(opt),
        out_(out),
        now_(std::time(nullptr)) {}

  FsckResult run();

 private:
  void staged_files();
  void originals_without_rows();
  void rows_without_originals();
  void thumbnails_without_rows();
  void missing_thumbnails();
  void variants_without_rows();

  bool young(std::time_t mtime) const { return now_ - mtime < opt_.grace.count(); }
  // Does an image row still name this file, with its original gone?  Asked under the
  // content lock: a delete or a repair may have removed the row meanwhile, an upload
  // may have placed the file.
  bool still_missing(const FileRow& row) {
    return repo_.image_named(row.name) && !store_.mtime(Object::original, row.name);
  }

  void found(const std::string& what) {
    ++r_.problems;
    std::fprintf(out_, "%s\n", what.c_str());
  }
  void not_fixed(const std::string& what, const std::string& why) {
    ++r_.problems;
    std::fprintf(out_, "%s: NOT fixed: %s\n", what.c_str(), why.c_str());
  }
  void note(const std::string& what) { std::fprintf(out_, "%s\n", what.c_str()); }
  void note_queued(const std::string& where) {
    note("queued for removal: " + where + " (its rows are gone; imghost-admin expire removes it)");
  }
  // Reports `what`, and with --fix runs `repair`, whose result says what it did.  A
  // failure of the store makes it an unfixed finding; the database going away ends the
  // whole check.
  template <typename Repair>
  void repair(const std::string& what, Repair&& repair) {
    if (!opt_.fix) return found(what);
    try {
      const std::string done = repair();
      ++r_.problems;
      ++r_.fixed;
      std::fprintf(out_, "%s: %s\n", what.c_str(), done.c_str());
    } catch (const db::DbError&) { throw; } catch (const std::exception& e) {
      not_fixed(what, e.what());
    }
  }

  const store::Store& store_;
  db::Connection& conn_;
  db::ImagesRepo repo_;
  AppLog& log_;
  const image::Limits& limits_;
  const FsckOptions& opt_;
  std::FILE* out_;
  const std::time_t now_;
  FsckResult r_;

  std::vector<FileRow> rows_;
  std::unordered_set<std::string> row_names_;
  // Names in the `removals` queue: their rows are gone, and `imghost-admin expire`
  // removes their files (a cleanup or an album's delete was cut short).  Not orphans.
  std::unordered_set<std::string> queued_;
  Inventory inv_;
  std::unordered_set<std::string> rows_deleted_;  // files whose rows this run deleted (their thumbnails go too)
  bool magick_ready_ = false;
};

FsckResult Check::run() {
  // Rows first, then the walk: a row committed after this load has its file in the
  // store before the walk starts (file first, then row), and anything that changes
  // while we look is checked again under its lock before it is called a problem.
  rows_ = repo_.all_files();
  for (const auto& row : rows_) row_names_.insert(row.name);
  for (auto& name : repo_.queued_removals()) queued_.insert(std::move(name));
  inv_ = take_inventory(store_);

  staged_files();
  originals_without_rows();
  rows_without_originals();
  thumbnails_without_rows();
  missing_thumbnails();
  variants_without_rows();
  for (const auto& f : inv_.foreign) {
    ++r_.ignored;
    note("ignored: " + f + " (not a file imghost makes; left alone)");
  }

  std::string line = summary(r_).in("en");
  if (r_.young > 0)
    line += fmt::format(" {} younger than {} s not checked.", plural(r_.young, "file"), opt_.grace.count());
  note(line);
  if (r_.remaining() == 0)
    log_.success(summary(r_));
  else
    log_.error(summary(r_));
  return r_;
}

// A killed worker's upload, never placed.
void Check::staged_files() {
  for (const auto& e : inv_.staged) {
    if (young(e.mtime)) {
      ++r_.young;
      continue;
    }
    repair("staged file left behind: " + store_.where_staged(e.name), [&] {
      store_.remove_staged(e.name);
      return std::string("removed");
    });
  }
}

void Check::originals_without_rows() {
  for (const auto& name : sorted(inv_.originals)) {
    if (row_names_.count(name)) continue;
    if (queued_.count(name)) {
      note_queued(store_.where(Object::original, name));
      continue;
    }
    const auto m = store_.mtime(Object::original, name);
    if (!m) continue;
    if (young(*m)) {
      ++r_.young;
      continue;
    }
    const auto bytes = store_.read(Object::original, name);
    if (!bytes) continue;
    // Under the content lock an upload of these bytes is either committed (its row is
    // visible now) or has not placed its file yet; a delete has removed its file.
    db::SessionLock lock(conn_, crypto::sha256(*bytes));
    if (repo_.image_named(name) || !store_.mtime(Object::original, name)) continue;
    repair("file without a row: " + store_.where(Object::original, name), [&] {
      store_.remove(Object::original, name);
      return std::string("removed");
    });
  }
}

void Check::rows_without_originals() {
  std::vector<const FileRow*> missing;
  for (const auto& row : rows_) {
    if (inv_.originals.count(row.name) || store_.mtime(Object::original, row.name)) continue;
    db::SessionLock lock(conn_, row.sha256);
    if (still_missing(row)) missing.push_back(&row);
  }
  const bool refuse = looks_unmounted(missing.size(), rows_.size()) && !opt_.force;
  for (const FileRow* row : missing) {
    const std::string what = fmt::format("row without a file: image file {} (sha256 {}) has no {}", row->name,
                                         crypto::to_hex(row->sha256), store_.where(Object::original, row->name));
    if (opt_.fix && refuse) {
      not_fixed(what,
                fmt::format("{} of {} image files are missing: is the store at {} there? (--force deletes the rows)",
                            missing.size(), rows_.size(), store_.location()));
      continue;
    }
    db::SessionLock lock(conn_, row->sha256);
    if (opt_.fix && !still_missing(*row)) continue;
    repair(what, [&] {
      std::vector<std::string> ids;
      {
        db::Transaction tx(conn_);
        ids = repo_.delete_images_named(row->sha256, row->name);
        tx.commit();
      }
      rows_deleted_.insert(row->name);
      std::string thumb_note;
      try {
        store_.remove(Object::thumbnail, row->name);
      } catch (const std::exception& e) {
        thumb_note = fmt::format(" (its thumbnail stays for the next check: {})", e.what());
      }
      std::string id_list;
      for (const auto& id : ids) id_list += (id_list.empty() ? "" : ", ") + id;
      if (id_list.empty()) id_list = "none";
      log_.error(
          fmt::format("image file {} was missing from the store: the repair check deleted "
                      "{} ({}); the bytes are lost.",
                      row->name, plural(ids.size(), "image row"), id_list));
      return fmt::format("deleted {} ({}){}", plural(ids.size(), "image row"), id_list, thumb_note);
    });
  }
}

// Names are never reused, so no lock is needed: a row named so either exists now or
// never will again.
void Check::thumbnails_without_rows() {
  for (const auto& name : sorted(inv_.thumbs)) {
    const bool deleted_here = rows_deleted_.count(name) > 0;
    if (row_names_.count(name) && !deleted_here) continue;
    if (queued_.count(name) && !deleted_here) {
      note_queued(store_.where(Object::thumbnail, name));
      continue;
    }
    const auto m = store_.mtime(Object::thumbnail, name);
    if (!m) continue;
    if (young(*m) && !deleted_here) {
      ++r_.young;
      continue;
    }
    if (repo_.image_named(name)) continue;
    repair("thumbnail without a row: " + store_.where(Object::thumbnail, name), [&] {
      store_.remove(Object::thumbnail, name);
      return std::string("removed");
    });
  }
}

// Thumbnails of images whose original is there, made again from the original.
void Check::missing_thumbnails() {
  for (const auto& row : rows_) {
    if (!inv_.originals.count(row.name) || inv_.thumbs.count(row.name)) continue;
    const auto m = store_.mtime(Object::original, row.name);
    if (!m) continue;
    if (young(*m)) {
      ++r_.young;
      continue;
    }  // the worker writes it right after answering
    if (store_.mtime(Object::thumbnail, row.name)) continue;
    // Under the lock a delete cannot remove the original while the thumbnail is made,
    // which would leave the new thumbnail behind.
    std::optional<db::SessionLock> lock;
    if (opt_.fix) {
      lock.emplace(conn_, row.sha256);
      if (!repo_.image_named(row.name) || store_.mtime(Object::thumbnail, row.name)) continue;
    }
    repair("missing thumbnail: " + store_.where(Object::thumbnail, row.name), [&] {
      if (!magick_ready_) {
        image::configure_magick(limits_);
        magick_ready_ = true;
      }
      const auto dot = row.name.rfind('.');
      const auto format = image::parse_format(std::string_view(row.name).substr(dot + 1));
      if (format && image::is_video(*format)) {
        // A video's poster, made again by FFmpeg from the file by path (image/video.hpp).
        const auto copy = store_.local_copy(Object::original, row.name);
        if (!copy) throw std::runtime_error("the original is gone");
        image::Limits poster_limits = limits_;
        poster_limits.accepted = {image::Format::jpeg};
        store_.put_thumbnail(row.name, image::thumbnail_from_bytes(
                                           image::make_poster(copy->path(), *format, opt_.video), poster_limits));
        return std::string("made again");
      }
      const auto bytes = store_.read(Object::original, row.name);
      if (!bytes) throw std::runtime_error("the original is gone");
      store_.put_thumbnail(row.name, image::thumbnail_from_bytes(*bytes, limits_));
      return std::string("made again");
    });
  }
}

// Variants whose image is gone (a delete whose store failed after COMMIT, a store copied
// back from a backup): derived files nobody can ask for any more.  Names are never
// reused, so no lock is needed; a variant being written as its image is deleted is
// removed by its writer (core/variants.cpp).  A variant is not a problem when missing:
// it is made on its next request.
void Check::variants_without_rows() {
  std::unordered_set<std::string> live_stems;
  for (const auto& row : rows_)
    if (!rows_deleted_.count(row.name)) live_stems.insert(std::string(stem_of(row.name)));
  for (const auto& e : inv_.variants) {
    const auto key = parse_variant_key(e.name);
    if (!key || live_stems.count(key->stem)) continue;
    bool named = false;
    for (const auto f : {image::Format::jpeg, image::Format::png, image::Format::gif, image::Format::webp,
                         image::Format::mp4, image::Format::webm})
      named = named || repo_.image_named(key->stem + "." + std::string(image::extension(f)));
    if (named) continue;
    if (young(e.mtime)) {
      ++r_.young;
      continue;
    }
    repair("variant without an image: variants/" + e.name, [&] {
      store_.remove_variant(e.name);
      return std::string("removed");
    });
  }
}

}  // namespace

bool looks_unmounted(std::size_t missing, std::size_t total) {
  // One or two lost files are plausible on their own; most of the store at once is not.
  return missing >= 3 && missing * 2 > total;
}

i18n::Message summary(const FsckResult& r) {
  const auto n = static_cast<long>(r.problems);
  const auto found =
      i18n::msgn("repair check found {} problem, fixed {}", "repair check found {} problems, fixed {}", n, n, r.fixed);
  if (r.remaining() == 0) return i18n::msg("{}.", found);
  const auto left = static_cast<long>(r.remaining());
  return i18n::msg("{}; {}.", found, i18n::msgn("{} remains", "{} remain", left, left));
}

FsckResult fsck(const store::Store& store, db::Connection& conn, AppLog& log, const image::Limits& limits,
                const FsckOptions& options, std::FILE* out) {
  db::SessionLock one_at_a_time(conn, db::NamedLock::repair_check);
  return Check(store, conn, log, limits, options, out).run();
}

}  // namespace imghost::admin
