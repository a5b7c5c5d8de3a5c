#include "admin/restore_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <system_error>

#include "store/local_store.hpp"

namespace imghost::admin {
namespace {

[[noreturn]] void fail(const std::string& what) { throw std::system_error(errno, std::generic_category(), what); }

// Streams the file at `path` into a new staged file of `target`, synced: an original may
// be as large as the request limit, so it is never held whole.
store::Staged stage_copy(const store::Store& target, const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) fail("open " + path.string());
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  store::StagedWriter writer = target.stage_writer();
  std::string buf(1 << 20, '\0');
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("read " + path.string());
    }
    if (n == 0) break;
    writer.write(std::string_view(buf.data(), static_cast<std::size_t>(n)));
  }
  return writer.finish(true);
}

// A thumbnail, read whole: it is small, and put_thumbnail takes bytes.
std::string read_whole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  if (!in || !(bytes << in.rdbuf())) fail("read " + path.string());
  return std::move(bytes).str();
}

}  // namespace

RestoreFilesResult restore_files(const std::filesystem::path& snapshot, const store::Store& target, std::FILE* out) {
  if (!std::filesystem::is_directory(snapshot))
    throw std::system_error(ENOTDIR, std::generic_category(), "no store snapshot at " + snapshot.string());
  RestoreFilesResult r;
  // Uploads of the same bytes are names (hard links) of one file in the snapshot: the
  // first name restored of each file, by its inode, so that the others share it again.
  std::map<std::pair<dev_t, ino_t>, std::string> restored_as;
  store::walk_local_tree(snapshot, [&](const store::Entry& e) {
    if (e.kind != store::Entry::Kind::original && e.kind != store::Entry::Kind::thumbnail) {
      ++r.skipped;
      return;
    }
    const auto object = e.kind == store::Entry::Kind::original ? store::Object::original : store::Object::thumbnail;
    // The snapshot's own path of this name: its current or its legacy shard path.
    std::filesystem::path source;
    for (const auto& rel : {store::shard_path(e.name), store::legacy_shard_path(e.name)}) {
      source = snapshot / (object == store::Object::thumbnail ? "thumbs/" + rel : rel);
      if (std::filesystem::is_regular_file(source)) break;
    }
    if (object == store::Object::thumbnail) {
      if (target.mtime(object, e.name)) {
        ++r.present;
        return;
      }
      target.put_thumbnail(e.name, read_whole(source));
      ++r.copied;
      return;
    }
    struct stat st {};
    if (::stat(source.c_str(), &st) != 0) fail("stat " + source.string());
    const auto [first, fresh] = restored_as.try_emplace({st.st_dev, st.st_ino}, e.name);
    if (target.mtime(object, e.name)) {
      ++r.present;
      return;
    }
    store::Staged staged = stage_copy(target, source);
    if (fresh)
      target.place(staged, e.name);
    else
      target.share(staged, first->second, e.name);
    ++r.copied;
  });
  std::fprintf(out, "restore-files: %zu files copied into %s, %zu already there, %zu not the store's left out\n",
               r.copied, target.location().c_str(), r.present, r.skipped);
  return r;
}

}  // namespace imghost::admin
