#include "store/s3_store.hpp"

#include "domain/image_format.hpp"
#include "domain/naming.hpp"

namespace imghost::store {
namespace fs = std::filesystem;

Entry classify_s3_key(std::string_view rel) {
  for (const auto& [folder, kind] : {std::pair<std::string_view, Entry::Kind>{"originals/", Entry::Kind::original},
                                     std::pair<std::string_view, Entry::Kind>{"thumbs/", Entry::Kind::thumbnail}}) {
    if (rel.substr(0, folder.size()) == folder && naming::is_file_name(rel.substr(folder.size())))
      return {kind, std::string(rel.substr(folder.size()))};
  }
  return {Entry::Kind::foreign, std::string(rel)};
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
  const std::string bytes = staged.read();
  const std::string k = key(Object::original, name);
  try {
    client_.put(k, bytes, content_type_of(name));
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
