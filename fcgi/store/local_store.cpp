#include "store/local_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

#include "base/posix_file.hpp"
#include "domain/naming.hpp"
#include "domain/variant_presets.hpp"

namespace imghost::store {
namespace fs = std::filesystem;
namespace {

using posix_file::fail;
using posix_file::Fd;
using posix_file::fsync_dir;

// mkdir that makes the new entry durable: the parent is fsynced after creating it.
void ensure_dir(const fs::path& dir) {
  if (::mkdir(dir.c_str(), 0755) == 0) {
    fsync_dir(dir.parent_path());
  } else if (errno != EEXIST) {
    fail("mkdir " + dir.string());
  }
}

std::optional<std::time_t> mtime_of(const fs::path& p) {
  struct stat st {};
  if (::lstat(p.c_str(), &st) == 0) return st.st_mtime;
  if (errno == ENOENT) return std::nullopt;
  fail("stat " + p.string());
}

// Unlinks and makes the removal durable; a file already gone is not an error.
void remove_file(const fs::path& p) {
  if (::unlink(p.c_str()) != 0) {
    if (errno == ENOENT) return;
    fail("unlink " + p.string());
  }
  fsync_dir(p.parent_path());
}

void walk_dir(const fs::path& root, const std::string& rel, const std::function<void(const Entry&)>& visit) {
  const fs::path dir = rel.empty() ? root : root / rel;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) return;  // removed while we walked
    throw std::system_error(ec, "read " + dir.string());
  }
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string leaf = it->path().filename().string();
    const std::string child = rel.empty() ? leaf : rel + "/" + leaf;
    std::error_code sec;
    const auto st = it->symlink_status(sec);
    if (sec) continue;  // gone between readdir and lstat
    if (fs::is_directory(st)) {
      // Resumable uploads being received (core/resumable_upload.hpp): not the store's,
      // their own cleanup removes them.
      if (child == ".tus") continue;
      walk_dir(root, child, visit);
      continue;
    }
    Entry e = classify_local_path(child);
    if (!fs::is_regular_file(st)) e = {Entry::Kind::foreign, child};  // symlinks, sockets: never ours
    const auto m = mtime_of(root / child);
    if (!m) continue;  // removed meanwhile
    e.mtime = *m;
    visit(e);
  }
  if (ec && ec != std::errc::no_such_file_or_directory) throw std::system_error(ec, "read " + dir.string());
}

}  // namespace

std::string shard_path(std::string_view name) {
  std::string p;
  p.reserve(name.size() + 3);
  p.append(name.substr(0, 2)).push_back('/');
  p.append(name);
  return p;
}

std::string legacy_shard_path(std::string_view name) {
  std::string p;
  p.reserve(name.size() + 6);
  p.append(name.substr(0, 2)).push_back('/');
  p.append(name.substr(2, 2)).push_back('/');
  p.append(name);
  return p;
}

Entry classify_local_path(std::string_view rel) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto slash = rel.find('/', start);
    parts.push_back(rel.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  const std::string_view leaf = parts.back();
  if (parts.size() == 4 && parts[0] == "variants") {
    const auto key = parse_variant_key(std::string(parts[1]) + "/" + std::string(leaf));
    if (key && parts[2] == key->stem.substr(0, 2)) return {Entry::Kind::variant, key->text()};
  }
  if (parts.size() == 2 && parts[0] == ".tmp" && !leaf.empty()) return {Entry::Kind::staged, std::string(leaf)};
  if (naming::is_file_name(leaf)) {
    for (const std::string& shard : {shard_path(leaf), legacy_shard_path(leaf)}) {
      if (rel == shard) return {Entry::Kind::original, std::string(leaf)};
      if (rel == "thumbs/" + shard) return {Entry::Kind::thumbnail, std::string(leaf)};
    }
  }
  return {Entry::Kind::foreign, std::string(rel)};
}

LocalStore::LocalStore(fs::path root) : root_(std::move(root)) {
  for (const auto& d : {root_, tmp_dir(), root_ / "thumbs"}) {
    std::error_code ec;
    fs::create_directories(d, ec);
    if (ec) throw std::system_error(ec, "create " + d.string());
  }
}

std::size_t LocalStore::make_shard_folders() const {
  // What was made is made durable with one fsync of its parent.
  std::size_t made = 0;
  for (const auto& top : {root_, root_ / "thumbs"}) {
    const std::size_t before = made;
    for (const char a : naming::kBase32Alphabet)
      for (const char b : naming::kBase32Alphabet) {
        const fs::path dir = top / std::string{a, b};
        if (::mkdir(dir.c_str(), 0755) == 0)
          ++made;
        else if (errno != EEXIST)
          fail("mkdir " + dir.string());
      }
    if (made > before) fsync_dir(top);
  }
  return made;
}

void walk_local_tree(const fs::path& root, const std::function<void(const Entry&)>& visit) {
  walk_dir(root, "", visit);
}

std::string LocalStore::where(Object object, std::string_view name) const {
  return object == Object::original ? shard_path(name) : "thumbs/" + shard_path(name);
}

fs::path LocalStore::path(Object object, std::string_view name) const { return root_ / where(object, name); }

fs::path LocalStore::legacy_path(Object object, std::string_view name) const {
  return root_ / (object == Object::original ? legacy_shard_path(name) : "thumbs/" + legacy_shard_path(name));
}

StagedWriter LocalStore::stage_writer() const {
  // The random suffix plus O_EXCL means two workers can never share a temporary file.
  const fs::path p = tmp_dir() / ("up-" + naming::random_base32(16));
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail("create " + tmp_dir().string());
  return StagedWriter(Staged(p), fd);  // from here on, a failure removes it
}

std::optional<Staged> LocalStore::stage_link(const fs::path& file, bool durable) const {
  const fs::path p = tmp_dir() / ("up-" + naming::random_base32(16));
  if (::link(file.c_str(), p.c_str()) != 0) {
    // Another disk, or a filesystem without hard links (or with too many on the file):
    // the caller copies.
    if (errno == EXDEV || errno == EPERM || errno == EMLINK || errno == EOPNOTSUPP) return std::nullopt;
    fail("link " + file.string() + " to " + p.string());
  }
  return Staged(p, durable);
}

Staged LocalStore::stage(std::string_view bytes, bool durable) const {
  StagedWriter w = stage_writer();
  w.write(bytes);
  return w.finish(durable);
}

void LocalStore::sync_staged(Staged& staged) const {
  if (staged.durable()) return;
  Fd fd(::open(staged.path().c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) fail("open " + staged.path().string());
  if (::fsync(fd.get()) != 0) fail("fsync " + staged.path().string());
  staged.mark_durable();
}

void LocalStore::make_parents(const fs::path& target) const {
  // A shard folder not made yet or removed by hand (or thumbs/ itself) is made instead of
  // failing every write until a restart.
  std::vector<fs::path> levels;
  for (auto d = target.parent_path(); d != root_ && d.has_relative_path(); d = d.parent_path()) levels.push_back(d);
  for (auto it = levels.rbegin(); it != levels.rend(); ++it) ensure_dir(*it);
}

void LocalStore::place_at(Staged& staged, const fs::path& target, bool durable) const {
  if (durable) sync_staged(staged);
  if (::rename(staged.path().c_str(), target.c_str()) != 0) {
    if (errno != ENOENT) fail("rename to " + target.string());
    make_parents(target);
    if (::rename(staged.path().c_str(), target.c_str()) != 0) fail("rename to " + target.string());
  }
  staged.release();
  if (durable) fsync_dir(target.parent_path());
}

void LocalStore::place(Staged& staged, std::string_view name) const {
  place_at(staged, path(Object::original, name), true);
}

void LocalStore::share(Staged& staged, std::string_view from, std::string_view name) const {
  // A hard link: no inode, no bytes, one fsync of the new name's folder.  Files are never
  // changed in place, so the names never differ; removing one leaves the others.
  const fs::path target = path(Object::original, name);
  for (const fs::path& source : {path(Object::original, from), legacy_path(Object::original, from)}) {
    bool linked = ::link(source.c_str(), target.c_str()) == 0;
    if (!linked && errno == ENOENT && ::access(source.c_str(), F_OK) == 0) {
      make_parents(target);  // the name's shard folder not made yet, or removed by hand
      linked = ::link(source.c_str(), target.c_str()) == 0;
    }
    if (linked) {
      fsync_dir(target.parent_path());
      return;
    }
    if (errno != ENOENT) fail("link " + source.string() + " to " + target.string());
  }
  // Not on this disk (in the other store of a move, or its shard folder removed by hand):
  // a copy of its own.
  place(staged, name);
}

void LocalStore::put_thumbnail(std::string_view name, std::string_view bytes) const {
  Staged staged = stage(bytes, false);
  place_at(staged, path(Object::thumbnail, name), false);
}

void LocalStore::put_original_as_thumbnail(std::string_view name, std::string_view bytes) const {
  // A second name for the original's file: no inode to allocate, no bytes to write.
  // Files are never changed in place, so the two names never differ.
  const fs::path original = path(Object::original, name), thumb = path(Object::thumbnail, name);
  auto linked = [&] { return ::link(original.c_str(), thumb.c_str()) == 0 || errno == EEXIST; };
  if (linked()) return;
  if (errno == ENOENT && ::access(original.c_str(), F_OK) == 0) {
    make_parents(thumb);
    if (linked()) return;
  }
  put_thumbnail(name, bytes);  // a legacy original: a copy
}

std::optional<Staged> LocalStore::local_copy(Object object, std::string_view name) const {
  // A hard link in the staging folder (same file system): no byte is copied, and the
  // file stays readable by path even if its image is deleted meanwhile.
  const fs::path staged = tmp_dir() / ("up-" + naming::random_base32(16));
  for (const fs::path& p : {path(object, name), legacy_path(object, name), path(object, name)}) {
    if (::link(p.c_str(), staged.c_str()) == 0) return Staged(staged);
    if (errno != ENOENT) fail("link " + p.string());
  }
  return std::nullopt;
}

std::optional<std::string> LocalStore::read(Object object, std::string_view name) const {
  // The current place, then the legacy one, then the current one again: relayout() may
  // move the file between the first two looks.
  fs::path p = path(object, name);
  int raw = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  for (const fs::path& q : {legacy_path(object, name), path(object, name)}) {
    if (raw >= 0 || errno != ENOENT) break;
    p = q;
    raw = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  }
  Fd fd(raw);
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::nullopt;
    fail("open " + p.string());
  }
  return posix_file::read_all(fd, p.string());
}

std::optional<std::time_t> LocalStore::mtime(Object object, std::string_view name) const {
  if (auto m = mtime_of(path(object, name))) return m;
  if (auto m = mtime_of(legacy_path(object, name))) return m;
  return mtime_of(path(object, name));  // moved by relayout() meanwhile
}

void LocalStore::remove(Object object, std::string_view name) const {
  // Both places: relayout() may be moving it.  Each removal is durable on its own.
  remove_file(legacy_path(object, name));
  remove_file(path(object, name));
  remove_file(legacy_path(object, name));
}

void LocalStore::remove_staged(std::string_view staged_name) const {
  if (staged_name.empty() || staged_name.find('/') != std::string_view::npos || staged_name == "." ||
      staged_name == "..")
    throw std::system_error(EINVAL, std::generic_category(), "not a staged file: " + std::string(staged_name));
  remove_file(tmp_dir() / staged_name);
}

void LocalStore::walk(const std::function<void(const Entry&)>& visit) const { walk_local_tree(root_, visit); }

fs::path LocalStore::variant_path(std::string_view key) const {
  const auto slash = key.find('/');
  const auto leaf = key.substr(slash + 1);
  return root_ / "variants" / std::string(key.substr(0, slash)) / std::string(leaf.substr(0, 2)) / std::string(leaf);
}

void LocalStore::put_variant(std::string_view key, std::string_view bytes) const {
  // As an original: synced, renamed into place, its folder synced (the folders of a new
  // preset or shard are made durably by place_at).
  Staged staged = stage(bytes, true);
  place_at(staged, variant_path(key), true);
}

std::optional<std::string> LocalStore::read_variant(std::string_view key) const {
  const fs::path p = variant_path(key);
  Fd fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::nullopt;
    fail("open " + p.string());
  }
  return posix_file::read_all(fd, p.string());
}

void LocalStore::remove_variant(std::string_view key) const { remove_file(variant_path(key)); }

void LocalStore::remove_variants(std::string_view name) const {
  const std::string stem(stem_of(name));
  std::error_code ec;
  fs::directory_iterator it(root_ / "variants", ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) return;  // no variant made yet
    throw std::system_error(ec, "read " + (root_ / "variants").string());
  }
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string preset = it->path().filename().string();
    if (!is_preset_name(preset)) continue;
    for (const auto f : kVariantFormats) remove_variant(VariantKey{preset, stem, f}.text());
  }
  if (ec) throw std::system_error(ec, "read " + (root_ / "variants").string());
}

void LocalStore::walk_variants(const std::function<void(const VariantFile&)>& visit) const {
  walk_dir(root_ / "variants", "", [&](const Entry& e) {
    // e.name is "<preset>/ab/<stem>.<ext>" below variants/: classified as a whole path.
    const Entry whole = classify_local_path("variants/" + e.name);
    if (whole.kind != Entry::Kind::variant) return;  // the repair check reports it as foreign
    struct stat st {};
    if (::lstat(variant_path(whole.name).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;  // removed meanwhile
    visit({whole.name, static_cast<std::uint64_t>(st.st_size), std::max(st.st_atime, st.st_mtime)});
  });
}

std::size_t LocalStore::relayout() const {
  std::size_t moved = 0;
  for (const fs::path& top : {root_, root_ / "thumbs"}) {
    for (const char a : naming::kBase32Alphabet)
      for (const char b : naming::kBase32Alphabet) {
        const fs::path shard = top / std::string{a, b};
        std::error_code ec;
        fs::directory_iterator level2(shard, ec);
        if (ec) {
          if (ec == std::errc::no_such_file_or_directory) continue;
          throw std::system_error(ec, "read " + shard.string());
        }
        std::vector<fs::path> legacy_dirs;
        for (; !ec && level2 != fs::directory_iterator(); level2.increment(ec)) {
          const std::string sub = level2->path().filename().string();
          std::error_code sec;
          if (sub.size() == 2 && naming::is_base32(sub) && fs::is_directory(level2->symlink_status(sec)))
            legacy_dirs.push_back(level2->path());
        }
        if (ec) throw std::system_error(ec, "read " + shard.string());
        for (const fs::path& dir : legacy_dirs) {
          bool moved_here = false, foreign_left = false;
          fs::directory_iterator files(dir, ec);
          std::vector<std::string> names;
          for (; !ec && files != fs::directory_iterator(); files.increment(ec))
            names.push_back(files->path().filename().string());
          if (ec) throw std::system_error(ec, "read " + dir.string());
          for (const std::string& leaf : names) {
            const std::string rel = fs::relative(dir / leaf, root_).string();
            const Entry e = classify_local_path(rel);
            if (e.kind == Entry::Kind::foreign) {
              foreign_left = true;
              continue;
            }
            // Names are never reused: a file already at the new place is this one, moved
            // there by an earlier run that was cut short before removing this link.
            if (::rename((dir / leaf).c_str(), (shard / leaf).c_str()) != 0 && errno != ENOENT)
              fail("rename " + (dir / leaf).string());
            moved_here = true;
            ++moved;
          }
          // The moves are durable before the old folder goes.
          if (moved_here) fsync_dir(shard);
          if (!foreign_left) {
            if (::rmdir(dir.c_str()) == 0)
              fsync_dir(shard);
            else if (errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST)
              fail("rmdir " + dir.string());
          }
        }
      }
  }
  return moved;
}

bool LocalStore::writable() const noexcept {
  try {
    Staged probe = stage("ok");
    return true;
  } catch (...) { return false; }
}

}  // namespace imghost::store
