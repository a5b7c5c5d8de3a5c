#include "store/local_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

#include "core/naming.hpp"

namespace imghost::store {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { if (fd_ >= 0) ::close(fd_); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // close() can report a delayed write error: check it on the success path.
  void close_checked(const std::string& what) {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("close " + what);
  }

 private:
  int fd_;
};

void fsync_dir(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) fail("open " + dir.string());
  if (::fsync(fd.get()) != 0) fail("fsync " + dir.string());
}

// mkdir that makes the new entry durable: the parent is fsynced after creating it.
void ensure_dir(const fs::path& dir) {
  if (::mkdir(dir.c_str(), 0755) == 0) {
    fsync_dir(dir.parent_path());
  } else if (errno != EEXIST) {
    fail("mkdir " + dir.string());
  }
}

void write_all(int fd, std::string_view bytes, const fs::path& p) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write " + p.string());
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

Staged& Staged::operator=(Staged&& o) noexcept {
  if (this != &o) {
    if (!path_.empty()) ::unlink(path_.c_str());
    path_ = std::move(o.path_);
    o.path_.clear();
  }
  return *this;
}

Staged::~Staged() {
  if (!path_.empty()) ::unlink(path_.c_str());
}

FileStore::FileStore(fs::path root) : root_(std::move(root)) {
  for (const auto& d : {root_, tmp_dir(), root_ / "thumbs"}) {
    std::error_code ec;
    fs::create_directories(d, ec);
    if (ec) throw std::system_error(ec, "create " + d.string());
  }
}

fs::path FileStore::image_path(std::string_view name) const {
  return root_ / naming::shard_path(name);
}

fs::path FileStore::thumb_path(std::string_view name) const {
  return root_ / "thumbs" / naming::shard_path(name);
}

Staged FileStore::stage(std::string_view bytes, bool durable) const {
  // The random suffix plus O_EXCL means two workers can never share a temporary file.
  Staged staged(tmp_dir() / ("up-" + naming::random_base32(16)));
  Fd fd(::open(staged.path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (fd.get() < 0) {
    const int err = errno;
    staged.path_.clear();  // not ours: nothing to unlink
    errno = err;
    fail("create " + tmp_dir().string());
  }
  write_all(fd.get(), bytes, staged.path_);
  if (durable && ::fsync(fd.get()) != 0) fail("fsync " + staged.path_.string());
  fd.close_checked(staged.path_.string());
  return staged;
}

void FileStore::place_at(Staged& staged, const fs::path& target, bool durable) const {
  // Every level from the root down (thumbs/ too), so a folder removed by hand is made
  // again instead of failing every write until a restart.
  std::vector<fs::path> levels;
  for (auto d = target.parent_path(); d != root_ && d.has_relative_path(); d = d.parent_path()) levels.push_back(d);
  for (auto it = levels.rbegin(); it != levels.rend(); ++it) ensure_dir(*it);
  if (::rename(staged.path_.c_str(), target.c_str()) != 0) fail("rename to " + target.string());
  staged.path_.clear();
  if (durable) fsync_dir(target.parent_path());
}

void FileStore::place(Staged& staged, std::string_view name) const {
  place_at(staged, image_path(name), true);
}

void FileStore::write_thumbnail(std::string_view name, std::string_view bytes) const {
  Staged staged = stage(bytes, false);
  place_at(staged, thumb_path(name), false);
}

void FileStore::remove(std::string_view name) const {
  for (const auto& p : {thumb_path(name), image_path(name)}) {
    if (::unlink(p.c_str()) != 0) {
      if (errno == ENOENT) continue;
      fail("unlink " + p.string());
    }
    fsync_dir(p.parent_path());
  }
}

bool FileStore::writable() const noexcept {
  try {
    Staged probe = stage("ok");
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace imghost::store
