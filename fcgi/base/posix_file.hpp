// The few POSIX file steps the store and the resumable uploads share: an owned
// descriptor, a failure that carries errno, a folder's fsync, reading a file whole.
#pragma once

#include <filesystem>
#include <string>

namespace imghost::posix_file {

// Throws std::system_error with the current errno and `what` ("open /x/y").
[[noreturn]] void fail(const std::string& what);

// An owned file descriptor (-1: none), closed by the destructor.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd();
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // close() can report a delayed write error: check it on the success path.
  void close_checked(const std::string& what);

 private:
  int fd_;
};

// fsync of a folder, so that a rename or unlink in it survives a crash.
void fsync_dir(const std::filesystem::path& dir);

// Everything `fd` reads until its end (`what` names it in an error).
std::string read_all(const Fd& fd, const std::string& what);

}  // namespace imghost::posix_file
