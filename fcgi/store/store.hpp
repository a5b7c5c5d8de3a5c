// The image store: where originals and thumbnails live, behind one interface that every
// caller goes through (the upload and delete flows, the thumbnail paths, the repair
// check).  leveldb's Env is the model: the rest of imghost never touches a file of the
// store itself, so a second implementation (an S3 bucket) is a new class, not a change
// to the callers.
//
// Objects are named by generated file names (domain/naming.hpp); each name may have an
// original and a thumbnail.  Incoming bytes are staged on local disk first (Staged) and
// then placed, so the slow part of an upload happens outside any lock.
//
// Failures throw std::system_error (carrying errno where there is one: ENOSPC, EACCES,
// ...), which the worker answers with 503.  Instances are not thread-safe; several
// processes (and machines, for shared stores) may use one store at once.
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace imghost::store {

// What a store holds under a name.
enum class Object { original, thumbnail };

// A file on local disk with bytes on their way into the store, owned: the destructor
// removes it unless Store::place() took it.
class Staged {
 public:
  Staged() = default;
  explicit Staged(std::filesystem::path p, bool durable = false) : path_(std::move(p)), durable_(durable) {}
  Staged(Staged&& o) noexcept : path_(std::move(o.path_)), durable_(o.durable_) { o.path_.clear(); }
  Staged& operator=(Staged&& o) noexcept;
  ~Staged();
  Staged(const Staged&) = delete;
  Staged& operator=(const Staged&) = delete;

  const std::filesystem::path& path() const { return path_; }
  bool empty() const { return path_.empty(); }
  // Whether its bytes are already synced to disk (place() then does not sync them again).
  bool durable() const { return durable_; }
  // Gives up ownership (the file has been moved or removed by its store).
  void release() { path_.clear(); }
  // Its bytes have been synced to disk since it was finished (Store::sync_staged).
  void mark_durable() { durable_ = true; }
  // Its bytes, read whole; throws std::system_error.
  std::string read() const;

 private:
  std::filesystem::path path_;
  bool durable_ = false;
};

// A staged file being written piece by piece (an upload streamed from the request body),
// open until finish().  Destroyed unfinished, it closes and removes the file.  Not
// thread-safe.
class StagedWriter {
 public:
  // Adopts `staged` and `fd`, the file opened for writing.
  StagedWriter(Staged staged, int fd) : staged_(std::move(staged)), fd_(fd) {}
  StagedWriter(StagedWriter&& o) noexcept
      : staged_(std::move(o.staged_)), fd_(std::exchange(o.fd_, -1)), size_(o.size_) {}
  StagedWriter& operator=(StagedWriter&&) = delete;
  StagedWriter(const StagedWriter&) = delete;
  StagedWriter& operator=(const StagedWriter&) = delete;
  ~StagedWriter();

  // Appends; throws std::system_error (ENOSPC, EIO...).
  void write(std::string_view bytes);
  std::uint64_t size() const { return size_; }
  // Closes the file (fsync first when `durable`) and hands it over; throws
  // std::system_error, the file then removed.
  Staged finish(bool durable);

 private:
  Staged staged_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

// A variant file (API.md, "Variants"), as Store::walk_variants() finds it.  Variants are
// derived from an original: any may be removed at any time and is made again on its next
// request.  `key` is "<preset>/<stem>.<ext>" (domain/variant_presets.hpp, VariantKey).
struct VariantFile {
  std::string key;
  std::uint64_t bytes = 0;
  // When it was last served, as far as the store can tell (the local disk: the file's
  // access time, which relatime updates at least once a day; a bucket: when it was made).
  std::time_t last_used = 0;
};

// What Store::walk() finds, for the repair check.
struct Entry {
  enum class Kind {
    original,   // `name` is a stored file name
    thumbnail,  // `name` is a stored file name
    staged,     // `name` is the staged file's own name (an upload that never finished)
    variant,    // `name` is its variant key, "<preset>/<stem>.<ext>"
    foreign,    // `name` is a path the store did not make (left alone)
  };
  Kind kind;
  std::string name;
  std::time_t mtime = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Where the store is, for messages: a folder, or a bucket's address.
  virtual std::string location() const = 0;
  // Where an object or a staged file is inside the store, for messages: "ab/<name>"
  // below a folder, a key in a bucket.
  virtual std::string where(Object object, std::string_view name) const = 0;
  virtual std::string where_staged(std::string_view staged_name) const = 0;

  // Writes `bytes` to a new staged file, synced to disk unless `durable` is false.
  virtual Staged stage(std::string_view bytes, bool durable = true) const = 0;
  // A new, empty staged file open for writing in pieces.
  virtual StagedWriter stage_writer() const = 0;
  // A new staged file that is a second name of `file` (a hard link: its bytes, not a
  // copy), marked durable when `durable` (the caller synced `file`); std::nullopt when
  // it cannot be linked there (another disk, no hard links): the caller then copies.
  // Throws std::system_error.
  virtual std::optional<Staged> stage_link(const std::filesystem::path& file, bool durable) const = 0;
  // Makes a staged file the original of `name` (syncing its bytes first unless
  // staged.durable()).  When this returns the original survives a crash; on failure
  // nothing is under `name` and the staged file is still the caller's.
  virtual void place(Staged& staged, std::string_view name) const = 0;
  // Makes `name` a new original with the same bytes as the stored original `from`
  // (`staged` holds those bytes too): a second name for bytes stored once.  The default
  // places `staged` as a copy of its own; the local store makes a hard link to `from`'s
  // file instead, and places `staged` only when `from` is not on its disk.  Durable and
  // failing as place(); on success `staged` may still be the caller's (unused).
  virtual void share(Staged& staged, std::string_view from, std::string_view name) const {
    (void)from;
    place(staged, name);
  }
  // Syncs a staged file's bytes to disk ahead of place(), which then has only the rename
  // left: for a caller with a wait to fill (the upload syncs while its database round
  // trip runs).  A store whose place() copies the bytes elsewhere (a bucket) has nothing
  // to do here.
  virtual void sync_staged(Staged&) const {}
  // Writes a thumbnail atomically: never seen half-written, but not necessarily
  // durable (derived data: one lost in a crash is made again on demand).
  virtual void put_thumbnail(std::string_view name, std::string_view bytes) const = 0;
  // The same, when the thumbnail is the original itself (a small image that already
  // fits, image::thumbnail_of): `bytes` are the original's, which is in place.  Writes
  // them as the thumbnail unless the store can share the stored object (the local store
  // hard-links it: no new file).
  virtual void put_original_as_thumbnail(std::string_view name, std::string_view bytes) const {
    put_thumbnail(name, bytes);
  }

  // Variants.  `key` is a well-formed variant key (precondition).  put_variant writes it
  // crash-safely (never seen half-written, durable when it returns); read_variant gives
  // its bytes or nullopt.  remove_variants removes every variant of stored name `name`
  // (every preset found, every format): after it, none answers.  walk_variants visits
  // every variant file.  The defaults are a store without variants.
  virtual void put_variant(std::string_view key, std::string_view bytes) const;
  virtual std::optional<std::string> read_variant(std::string_view key) const;
  virtual void remove_variant(std::string_view key) const;
  virtual void remove_variants(std::string_view name) const;
  virtual void walk_variants(const std::function<void(const VariantFile&)>& visit) const;

  // The whole object, or nullopt when there is none.
  virtual std::optional<std::string> read(Object object, std::string_view name) const = 0;
  // The object as a file on local disk, for a tool that reads it by path (a video's
  // poster made again by FFmpeg): a staged file, removed with the Staged; nullopt when
  // there is none.  The default stages what read() returns (the whole object in memory
  // for a moment); a store on local disk links its file instead.
  virtual std::optional<Staged> local_copy(Object object, std::string_view name) const;
  // When the object was written, or nullopt when there is none.
  virtual std::optional<std::time_t> mtime(Object object, std::string_view name) const = 0;
  // Removes the object durably; one that is already gone is not an error.
  virtual void remove(Object object, std::string_view name) const = 0;
  // Removes a staged file that walk() reported.
  virtual void remove_staged(std::string_view staged_name) const = 0;

  // Calls `visit` once for every original, thumbnail, staged file and foreign entry.
  // Entries added or removed during the walk may or may not be seen.
  virtual void walk(const std::function<void(const Entry&)>& visit) const = 0;

  // True when an original could be written and made durable right now.
  virtual bool writable() const noexcept = 0;
};

// Removes a name's variants and thumbnail, then its original.
void remove_both(const Store& store, std::string_view name);

}  // namespace imghost::store
