// The image store on a local disk (the default):
//   <root>/ab/<name>          originals, sharded by the name's first two characters
//   <root>/thumbs/ab/<name>   thumbnails, same name
//   <root>/.tmp/              staged uploads (same filesystem, so placing is a rename)
//   <root>/variants/<preset>/ab/<stem>.<ext>   variants (API.md, "Variants"), written
//                             durably like originals; their folders are made on demand
// The 1,024 shard folders of each are made once, when the store is made or migrated
// (make_shard_folders(), run by `imghost-admin migrate` before the workers start), so an
// upload does not create a folder: an original costs one fsync of the file and one of
// its folder, the floor for a durable write.  A shard folder that is missing all the same
// (removed by hand, a store wiped for a restore) is made by the write that needs it.
// Opening a store touches only its root, .tmp/ and thumbs/: the cleanup opens it on
// every run, and a restore copies into it meanwhile.  At a million
// files a folder holds about a thousand, which ext4's hashed directories look up in
// constant time.  A thumbnail is renamed into place atomically but not synced.
// nginx serves both straight from these folders (nginx/imghost-site.conf.in knows the
// layout).
//
// Stores written before this layout (the legacy one: <root>/ab/cd/<name>, two levels) keep
// working: read, mtime and remove also look there, walk() reports those files as
// originals and thumbnails, and nginx tries both places.  relayout() moves them.
#pragma once

#include <filesystem>

#include "store/store.hpp"

namespace imghost::store {

class LocalStore final : public Store {
 public:
  // Creates root, root/.tmp and root/thumbs where missing; throws std::system_error.
  explicit LocalStore(std::filesystem::path root);

  // Makes every shard folder that is missing, durably (one fsync of each parent that
  // gained one); one that appears meanwhile (another process made it) is not an error.
  // Returns how many it made; throws std::system_error.
  std::size_t make_shard_folders() const;

  const std::filesystem::path& root() const { return root_; }
  // Where an object of `name` lives.  Precondition: naming::is_file_name(name).
  std::filesystem::path path(Object object, std::string_view name) const;

  std::string location() const override { return root_.string(); }
  std::string where(Object object, std::string_view name) const override;
  std::string where_staged(std::string_view staged_name) const override { return ".tmp/" + std::string(staged_name); }
  Staged stage(std::string_view bytes, bool durable = true) const override;
  StagedWriter stage_writer() const override;
  std::optional<Staged> stage_link(const std::filesystem::path& file, bool durable) const override;
  void place(Staged& staged, std::string_view name) const override;
  void share(Staged& staged, std::string_view from, std::string_view name) const override;
  void sync_staged(Staged& staged) const override;
  void put_thumbnail(std::string_view name, std::string_view bytes) const override;
  void put_original_as_thumbnail(std::string_view name, std::string_view bytes) const override;
  std::optional<std::string> read(Object object, std::string_view name) const override;
  std::optional<Staged> local_copy(Object object, std::string_view name) const override;
  std::optional<std::time_t> mtime(Object object, std::string_view name) const override;
  void remove(Object object, std::string_view name) const override;
  void remove_staged(std::string_view staged_name) const override;
  void walk(const std::function<void(const Entry&)>& visit) const override;
  bool writable() const noexcept override;
  void put_variant(std::string_view key, std::string_view bytes) const override;
  std::optional<std::string> read_variant(std::string_view key) const override;
  void remove_variant(std::string_view key) const override;
  // Looks in every preset folder under variants/, configured or not any more.
  void remove_variants(std::string_view name) const override;
  void walk_variants(const std::function<void(const VariantFile&)>& visit) const override;
  // Where a variant lives.  Precondition: a well-formed key.
  std::filesystem::path variant_path(std::string_view key) const;

  // Moves every file of the legacy layout (ab/cd/<name>, thumbs/ab/cd/<name>) to its
  // place in this one, then removes the emptied legacy folders.  Crash-safe and
  // idempotent: each move is one rename, made durable (fsync of the new folder) before
  // its old folder is removed; a run cut short leaves every file in one of the two
  // places, where readers find it, and the next run finishes the job.  Safe while
  // workers serve.  Foreign files are left where they are (their folder then stays).
  // Returns how many files were moved; throws std::system_error.
  std::size_t relayout() const;

 private:
  std::filesystem::path tmp_dir() const { return root_ / ".tmp"; }
  std::filesystem::path legacy_path(Object object, std::string_view name) const;
  // Makes the folders between root and `target` that are missing, durably.
  void make_parents(const std::filesystem::path& target) const;
  void place_at(Staged& staged, const std::filesystem::path& target, bool durable) const;
  std::filesystem::path root_;
};

// What a path below a local store's root is, from its shape alone: only a generated
// name at exactly its shard path (or its legacy shard path) is an original or a
// thumbnail; a file directly in .tmp/ is staged; anything else is foreign.  Exposed for
// tests.
Entry classify_local_path(std::string_view relative_path);

// Calls `visit` for every file below `root` (a store's folder, or a backup's snapshot of
// one), classified by classify_local_path; folders and files that vanish meanwhile are
// skipped.  Only reads.  Throws std::system_error.
void walk_local_tree(const std::filesystem::path& root, const std::function<void(const Entry&)>& visit);

// "ab/abcd....jpg": where a name lives below the originals' (or thumbnails') root.
std::string shard_path(std::string_view name);
// "ab/cd/abcd....jpg": where the legacy layout kept it.
std::string legacy_shard_path(std::string_view name);

}  // namespace imghost::store
