// Staged and StagedWriter: files on local disk on their way into a store (store.hpp).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "store/store.hpp"

namespace imghost::store {
namespace {

[[noreturn]] void fail(const std::string& what) { throw std::system_error(errno, std::generic_category(), what); }

}  // namespace

Staged& Staged::operator=(Staged&& o) noexcept {
  if (this != &o) {
    if (!path_.empty()) ::unlink(path_.c_str());
    path_ = std::move(o.path_);
    durable_ = o.durable_;
    o.path_.clear();
  }
  return *this;
}

Staged::~Staged() {
  if (!path_.empty()) ::unlink(path_.c_str());
}

std::string Staged::read() const {
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) fail("open " + path_.string());
  std::string out;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) out.reserve(static_cast<std::size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw std::system_error(err, std::generic_category(), "read " + path_.string());
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

StagedWriter::~StagedWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void StagedWriter::write(std::string_view bytes) {
  if (fd_ < 0) throw std::system_error(EBADF, std::generic_category(), "write to a finished staged file");
  size_ += bytes.size();
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write " + staged_.path().string());
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

Staged StagedWriter::finish(bool durable) {
  if (fd_ < 0) throw std::system_error(EBADF, std::generic_category(), "finish a finished staged file");
  if (durable && ::fsync(fd_) != 0) fail("fsync " + staged_.path().string());
  // close() can report a delayed write error: check it.
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) fail("close " + staged_.path().string());
  Staged out(staged_.path(), durable);
  staged_.release();
  return out;
}

std::optional<Staged> Store::local_copy(Object object, std::string_view name) const {
  auto bytes = read(object, name);
  if (!bytes) return std::nullopt;
  return stage(*bytes, false);
}

void Store::put_variant(std::string_view key, std::string_view) const {
  throw std::system_error(ENOTSUP, std::generic_category(), "this store keeps no variants: " + std::string(key));
}
std::optional<std::string> Store::read_variant(std::string_view) const { return std::nullopt; }
void Store::remove_variant(std::string_view) const {}
void Store::remove_variants(std::string_view) const {}
void Store::walk_variants(const std::function<void(const VariantFile&)>&) const {}

void remove_both(const Store& store, std::string_view name) {
  store.remove_variants(name);
  store.remove(Object::thumbnail, name);
  store.remove(Object::original, name);
}

}  // namespace imghost::store
