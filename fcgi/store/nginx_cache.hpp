// This machine's nginx cache of bucket objects (nginx/s3-http.conf.in), seen from the
// workers and imghost-admin: so that a delete or an expiry carried out here is a 404
// here at once, rather than after s3_cache_validity seconds.
//
// Open-source nginx cannot purge an entry, but its cache is plain files: an entry's key
// is "<kind>/<name>" (proxy_cache_key in nginx/s3_proxy.conf.in: "originals/<name>" or
// "thumbs/<name>"), its file is named by the key's MD5 in hex, below the folders of
// `levels=1:2`: the last hex digit, then the two before it.  nginx treats an entry
// whose file is gone as a miss and asks the bucket, which then answers 404.  (An entry
// it is writing at that very moment, from a GET that reached the bucket before the
// DELETE, can still land: the validity bounds that case, as on the other machines.)
//
// Removing needs write access to the cache's folders, which nginx creates 0700 for its
// own user: docs/deploy.md creates them group-writable for imghost.  Holds no state:
// several processes may remove entries at once.
#pragma once

#include <filesystem>
#include <string_view>

#include "store/store.hpp"

namespace imghost::store {

class NginxCache {
 public:
  // `dir` is proxy_cache_path's folder (the setting s3_cache_dir).
  explicit NginxCache(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // The file of an object's entry, whether it exists or not.
  std::filesystem::path entry(Object object, std::string_view name) const;
  // Removes that file; one that is not there is not an error.  Throws
  // std::system_error otherwise (EACCES: the folders are not writable by this user).
  void forget(Object object, std::string_view name) const;
  // The same for a variant (its cache key is "variants/<stem>/<preset>.<ext>", its
  // object in the bucket, see store/s3_store.hpp).
  void forget_variant(std::string_view object) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace imghost::store
