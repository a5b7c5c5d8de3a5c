// The image store on disk:
//   <root>/ab/cd/<name>          originals, sharded by naming::shard_path
//   <root>/thumbs/ab/cd/<name>   thumbnails, same name
//   <root>/.tmp/                 staged uploads (same filesystem, so rename is atomic)
// Every write is crash-safe: temporary file (O_EXCL), write, fsync, rename, fsync of the
// folder.  All failures throw std::system_error carrying errno (ENOSPC, EACCES, ...).
// Not thread-safe per instance; several processes may share one store.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace imghost::store {

class FileStore;

// A file written durably under .tmp/ and not yet placed.  Owns it: the destructor
// unlinks it unless FileStore::place() moved it into the store.
class Staged {
 public:
  Staged() = default;
  Staged(Staged&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  Staged& operator=(Staged&& o) noexcept;
  ~Staged();
  Staged(const Staged&) = delete;
  Staged& operator=(const Staged&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  friend class FileStore;
  explicit Staged(std::filesystem::path p) : path_(std::move(p)) {}
  std::filesystem::path path_;
};

class FileStore {
 public:
  // Creates root, root/.tmp and root/thumbs if missing.
  explicit FileStore(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path image_path(std::string_view name) const;
  std::filesystem::path thumb_path(std::string_view name) const;
  std::filesystem::path tmp_dir() const { return root_ / ".tmp"; }

  // Writes `bytes` to a new file in .tmp/ and fsyncs it (unless `durable` is false).
  Staged stage(std::string_view bytes, bool durable = true) const;
  // Renames a staged file to image_path(name) (creating shard folders) and fsyncs the
  // folder: once this returns the file survives a crash.
  void place(Staged& staged, std::string_view name) const;
  // Atomic write of a thumbnail (stage + rename into thumbs/): never seen half-written,
  // but not fsynced.  A thumbnail is derived data: one lost in a crash is made again on
  // demand (nginx's fallback) or by the repair check, so it does not pay two fsyncs per
  // upload.
  void write_thumbnail(std::string_view name, std::string_view bytes) const;
  // Removes the original and its thumbnail (either may already be gone) and fsyncs the
  // folders.
  void remove(std::string_view name) const;
  // True when a file can be created, written and synced in .tmp/ right now.
  bool writable() const noexcept;

 private:
  void place_at(Staged& staged, const std::filesystem::path& target, bool durable) const;
  std::filesystem::path root_;
};

}  // namespace imghost::store
