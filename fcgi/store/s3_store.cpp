#include "store/s3_store.hpp"

#include "domain/image_format.hpp"
#include "domain/naming.hpp"
#include "domain/variant_presets.hpp"

#include <fmt/format.h>
#include <vector>

namespace imghost::store {
namespace fs = std::filesystem;

Entry classify_s3_key(std::string_view rel) {
  for (const auto& [folder, kind] : {std::pair<std::string_view, Entry::Kind>{"originals/", Entry::Kind::original},
                                     std::pair<std::string_view, Entry::Kind>{"thumbs/", Entry::Kind::thumbnail}}) {
    if (rel.substr(0, folder.size()) == folder && naming::is_file_name(rel.substr(folder.size())))
      return {kind, std::string(rel.substr(folder.size()))};
  }
  if (rel.substr(0, 9) == "variants/") {
    // "<stem>/<preset>.<ext>" → the variant key "<preset>/<stem>.<ext>".
    const auto object = rel.substr(9);
    const auto slash = object.find('/');
    if (slash != std::string_view::npos) {
      const auto key =
          parse_variant_key(std::string(object.substr(slash + 1, object.rfind('.') - slash - 1)) + "/" +
                            std::string(object.substr(0, slash)) + std::string(object.substr(object.rfind('.'))));
      if (key) return {Entry::Kind::variant, key->text()};
    }
  }
  return {Entry::Kind::foreign, std::string(rel)};
}

namespace {
// The variant key "<preset>/<stem>.<ext>" as its object below <prefix>variants/:
// "<stem>/<preset>.<ext>".  Precondition: a well-formed key.
std::string variant_object(std::string_view key) {
  const auto k = *parse_variant_key(key);
  return fmt::format("{}/{}.{}", k.stem, k.preset, variant_extension(k.format));
}
}  // namespace

void S3Store::put_variant(std::string_view key, std::string_view bytes) const {
  const auto k = *parse_variant_key(key);
  client_.put(prefix_ + "variants/" + variant_object(key), bytes, std::string(variant_content_type(k.format)));
}

std::optional<std::string> S3Store::read_variant(std::string_view key) const {
  return client_.get(prefix_ + "variants/" + variant_object(key));
}

void S3Store::remove_variant(std::string_view key) const {
  const std::string object = variant_object(key);
  client_.remove(prefix_ + "variants/" + object);
  if (nginx_cache_) nginx_cache_->forget_variant(object);
}

void S3Store::remove_variants(std::string_view name) const {
  std::vector<std::string> keys;
  client_.list(prefix_ + "variants/" + std::string(stem_of(name)) + "/", [&](const S3Object& o) {
    const Entry e = classify_s3_key(std::string_view(o.key).substr(prefix_.size()));
    if (e.kind == Entry::Kind::variant) keys.push_back(e.name);
  });
  for (const auto& k : keys) remove_variant(k);
}

void S3Store::walk_variants(const std::function<void(const VariantFile&)>& visit) const {
  client_.list(prefix_ + "variants/", [&](const S3Object& o) {
    const Entry e = classify_s3_key(std::string_view(o.key).substr(prefix_.size()));
    if (e.kind == Entry::Kind::variant) visit({e.name, o.size, o.last_modified});
  });
}

std::string content_type_of(std::string_view name) {
  const auto dot = name.rfind('.');
  const auto f = dot == std::string_view::npos ? std::nullopt : image::parse_format(name.substr(dot + 1));
  return f ? std::string(image::content_type(*f)) : "application/octet-stream";
}

S3Store::S3Store(S3Options options, S3Credentials credentials, std::string prefix, fs::path spool_root,
                 const fs::path& nginx_cache_dir)
    : client_(std::move(options), std::move(credentials)), prefix_(std::move(prefix)), spool_(std::move(spool_root)) {
  if (!nginx_cache_dir.empty()) nginx_cache_.emplace(nginx_cache_dir);
}

std::string S3Store::key(Object object, std::string_view name) const {
  return prefix_ + (object == Object::original ? "originals/" : "thumbs/") + std::string(name);
}

Staged S3Store::stage(std::string_view bytes, bool) const { return spool_.stage(bytes, false); }

void S3Store::place(Staged& staged, std::string_view name) const {
  const std::string k = key(Object::original, name);
  try {
    // From the file: a video may be hundreds of megabytes.
    client_.put_file(k, staged.path(), content_type_of(name));
  } catch (...) {
    // A PUT that timed out may still have landed: take it back so nothing is under the
    // name.  If that fails too, the object is one without a row for the repair check.
    try {
      client_.remove(k);
    } catch (...) {}
    throw;
  }
  ::unlink(staged.path().c_str());
  staged.release();
}

void S3Store::put_thumbnail(std::string_view name, std::string_view bytes) const {
  client_.put(key(Object::thumbnail, name), bytes, content_type_of(name));
}

std::optional<std::string> S3Store::read(Object object, std::string_view name) const {
  return client_.get(key(object, name));
}

std::optional<Staged> S3Store::local_copy(Object object, std::string_view name) const {
  StagedWriter writer = spool_.stage_writer();
  if (!client_.get_pieces(key(object, name), [&](std::string_view piece) { writer.write(piece); })) return std::nullopt;
  return writer.finish(false);
}

std::optional<std::time_t> S3Store::mtime(Object object, std::string_view name) const {
  return client_.head(key(object, name));
}

void S3Store::remove(Object object, std::string_view name) const {
  client_.remove(key(object, name));
  // Only after the bucket's DELETE: a request between the two would otherwise fetch
  // the object into the cache again.
  if (nginx_cache_) nginx_cache_->forget(object, name);
}

void S3Store::walk(const std::function<void(const Entry&)>& visit) const {
  client_.list(prefix_, [&](const S3Object& o) {
    Entry e = classify_s3_key(std::string_view(o.key).substr(prefix_.size()));
    if (e.kind == Entry::Kind::foreign) e.name = o.key;
    e.mtime = o.last_modified;
    visit(e);
  });
  spool_.walk([&](const Entry& e) {
    if (e.kind == Entry::Kind::staged) visit(e);
  });
}

bool S3Store::writable() const noexcept {
  try {
    Staged probe = spool_.stage("ok", false);
    client_.check_bucket();
    return true;
  } catch (...) { return false; }
}

}  // namespace imghost::store
