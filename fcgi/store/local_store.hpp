// The image store on a local disk (the default):
//   <root>/ab/cd/<name>          originals, sharded by the name's first four characters
//   <root>/thumbs/ab/cd/<name>   thumbnails, same name
//   <root>/.tmp/                 staged uploads (same filesystem, so placing is a rename)
// An original is written crash-safely: temporary file (O_EXCL), write, fsync, rename,
// fsync of the folder.  A thumbnail is renamed into place atomically but not synced.
// nginx serves both straight from these folders (nginx/imghost-site.conf.in knows the
// layout).
#pragma once

#include <filesystem>

#include "store/store.hpp"

namespace imghost::store {

class LocalStore final : public Store {
 public:
  // Creates root, root/.tmp and root/thumbs if missing; throws std::system_error.
  explicit LocalStore(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  // Where an object of `name` lives.  Precondition: naming::is_file_name(name).
  std::filesystem::path path(Object object, std::string_view name) const;

  std::string location() const override { return root_.string(); }
  std::string where(Object object, std::string_view name) const override;
  std::string where_staged(std::string_view staged_name) const override { return ".tmp/" + std::string(staged_name); }
  Staged stage(std::string_view bytes, bool durable = true) const override;
  void place(Staged& staged, std::string_view name) const override;
  void put_thumbnail(std::string_view name, std::string_view bytes) const override;
  std::optional<std::string> read(Object object, std::string_view name) const override;
  std::optional<std::time_t> mtime(Object object, std::string_view name) const override;
  void remove(Object object, std::string_view name) const override;
  void remove_staged(std::string_view staged_name) const override;
  void walk(const std::function<void(const Entry&)>& visit) const override;
  bool writable() const noexcept override;

 private:
  std::filesystem::path tmp_dir() const { return root_ / ".tmp"; }
  void place_at(Staged& staged, const std::filesystem::path& target, bool durable) const;
  std::filesystem::path root_;
};

// What a path below a local store's root is, from its shape alone: only a generated
// name at exactly its shard path is an original or a thumbnail; a file directly in
// .tmp/ is staged; anything else is foreign.  Exposed for tests.
Entry classify_local_path(std::string_view relative_path);

// "ab/cd/abcd....jpg": where a name lives below the originals' (or thumbnails') root.
std::string shard_path(std::string_view name);

}  // namespace imghost::store
