// The image store in an S3-compatible bucket:
//   <prefix>originals/<name>   originals
//   <prefix>thumbs/<name>      thumbnails
//   <prefix>variants/<stem>/<preset>.<ext>   variants (one folder per image, so that
//                              removing an image's variants is one listing)
//   <spool>/                   staged uploads, on local disk (store_dir/.tmp)
// An upload is staged on local disk, outside any lock, and place() PUTs it: the bucket
// answers 200 only once the object is durable, so the row that commits after place()
// never names a missing object.  A thumbnail is a PUT too: S3 never shows an object
// half-written.  Keys hold only generated names (flat: no sharding, S3 needs none).
//
// nginx serves the objects from the bucket (nginx/s3-serving.conf.in): through its own
// cache, or by redirecting to a CDN.  Every request the workers make is signed
// (store/s3_client.hpp); errors are std::system_error as for the local store.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "store/local_store.hpp"
#include "store/nginx_cache.hpp"
#include "store/s3_client.hpp"
#include "store/store.hpp"

namespace imghost::store {

class S3Store final : public Store {
 public:
  // `prefix` is "" or ends in '/'.  `spool_root` gets a .tmp/ folder for staged uploads
  // (created if missing; throws std::system_error).  `nginx_cache_dir`, unless empty, is
  // this machine's nginx cache of the bucket, from which remove() takes the object's
  // entry.  No request is made here, so a worker starts while the bucket is away and
  // serves as soon as it is back.
  S3Store(S3Options options, S3Credentials credentials, std::string prefix, std::filesystem::path spool_root,
          const std::filesystem::path& nginx_cache_dir = {});

  // "<prefix>originals/<name>" or "<prefix>thumbs/<name>".
  std::string key(Object object, std::string_view name) const;
  const S3Client& client() const { return client_; }

  std::string location() const override { return client_.location() + "/" + prefix_; }
  std::string where(Object object, std::string_view name) const override { return key(object, name); }
  std::string where_staged(std::string_view staged_name) const override { return spool_.where_staged(staged_name); }
  // Staged files are not synced: the durable copy is the one in the bucket.
  Staged stage(std::string_view bytes, bool durable = true) const override;
  // In this machine's spool, as stage(); place() PUTs it.
  StagedWriter stage_writer() const override { return spool_.stage_writer(); }
  std::optional<Staged> stage_link(const std::filesystem::path& file, bool) const override {
    return spool_.stage_link(file, false);
  }
  void place(Staged& staged, std::string_view name) const override;
  void put_thumbnail(std::string_view name, std::string_view bytes) const override;
  std::optional<std::string> read(Object object, std::string_view name) const override;
  // Streamed from the bucket into a staged file of the spool, never whole in memory.
  std::optional<Staged> local_copy(Object object, std::string_view name) const override;
  std::optional<std::time_t> mtime(Object object, std::string_view name) const override;
  // The object from the bucket, then its entry from this machine's nginx cache (if one
  // is known): a removed image is a 404 here at once.
  void remove(Object object, std::string_view name) const override;
  void remove_staged(std::string_view staged_name) const override { spool_.remove_staged(staged_name); }
  // The bucket's listing below the prefix (keys that are not <prefix>originals/<name> or
  // <prefix>thumbs/<name> are foreign), then the staged files of this machine's spool.
  void walk(const std::function<void(const Entry&)>& visit) const override;
  // A staged file can be written and the bucket answers a signed request.
  bool writable() const noexcept override;
  void put_variant(std::string_view key, std::string_view bytes) const override;
  std::optional<std::string> read_variant(std::string_view key) const override;
  // From the bucket, then from this machine's nginx cache, as remove().
  void remove_variant(std::string_view key) const override;
  void remove_variants(std::string_view name) const override;
  // last_used is when it was made: the bucket cannot tell when nginx last served it.
  void walk_variants(const std::function<void(const VariantFile&)>& visit) const override;

 private:
  S3Client client_;
  std::string prefix_;
  LocalStore spool_;  // only its .tmp/ is used
  std::optional<NginxCache> nginx_cache_;
};

// What a key below the prefix is: "originals/<name>" and "thumbs/<name>" with a
// generated name, and "variants/<stem>/<preset>.<ext>" are objects of the store,
// anything else foreign.  Exposed for tests.
Entry classify_s3_key(std::string_view key_below_prefix);

// The Content-Type an object is stored with, from its name's extension.
std::string content_type_of(std::string_view name);

}  // namespace imghost::store
