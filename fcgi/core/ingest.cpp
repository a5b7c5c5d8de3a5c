#include "core/ingest.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "base/crypto.hpp"
#include "core/accounts.hpp"
#include "core/error.hpp"
#include "core/naming.hpp"
#include "core/save_thumbnail.hpp"
#include "db/locks.hpp"
#include "db/users_repo.hpp"
#include "metrics/metrics.hpp"

namespace imghost {
namespace {

// One distinct content of the request (the same bytes twice in one upload share it).
struct Content {
  crypto::Sha256 sha;
  const Candidate* first = nullptr;
  store::Staged staged;
  std::string name;     // the blob's file name once known
  bool placed = false;  // we renamed a new file into the store in this request
};

// Inside the upload's transaction: the account's row stays locked until COMMIT, so the
// next upload of the same account sees these bytes.
void charge_quota(App& app, long long account_id, const std::vector<Candidate>& files) {
  db::UsersRepo users(app.db());
  const auto user = users.lock_for_update(account_id);
  if (!user || user->disabled) throw errors::unauthorized("the account is disabled");
  long long bytes = 0;
  for (const auto& f : files) bytes += static_cast<long long>(f.bytes.size());
  const long long quota = accounts::quota_of(app.config(), *user);
  if (user->used_bytes + bytes > quota)
    throw errors::quota_exceeded(
        fmt::format("this upload ({} bytes) would exceed the account's quota: {} of {} bytes used", bytes,
                    user->used_bytes, quota));
  users.add_used_bytes(account_id, bytes);
}

}  // namespace

std::vector<Stored> ingest(App& app, const std::vector<Candidate>& files, const std::optional<std::string>& description,
                           Visibility visibility, const Uploader& uploader) {
  // Hash and stage outside any lock or transaction: that is the slow, disk-bound part.
  std::map<crypto::Sha256, Content> contents;  // ordered by hash: the lock order
  std::vector<crypto::Sha256> sha_of(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    sha_of[i] = crypto::sha256(files[i].bytes);
    auto [it, inserted] = contents.try_emplace(sha_of[i]);
    if (inserted) {
      it->second.sha = sha_of[i];
      it->second.first = &files[i];
    }
  }

  auto& conn = app.db();
  db::ImagesRepo repo(conn);
  std::vector<Stored> out;
  bool committing = false;
  try {
    db::Transaction tx(conn);
    for (auto& [sha, c] : contents) {
      db::lock_content(conn, sha);
      if (auto existing = repo.blob_name(sha)) {
        c.name = std::move(*existing);
        continue;
      }
      {
        metrics::Timer t(metrics::Histogram::store_write);
        c.staged = app.store().stage(c.first->bytes);
        c.name = naming::new_file_name(c.first->inspected.format);
        app.store().place(c.staged, c.name);
      }
      c.placed = true;
      const auto& in = c.first->inspected;
      repo.insert_blob({sha, c.name, static_cast<long long>(c.first->bytes.size()), std::string(image::name(in.format)),
                        static_cast<int>(in.width), static_cast<int>(in.height)});
    }
    if (uploader.account_id) charge_quota(app, *uploader.account_id, files);
    for (std::size_t i = 0; i < files.size(); ++i) {
      Stored s;
      s.delete_token = naming::new_delete_token();
      s.record = repo.insert_image({naming::new_image_id(), sha_of[i], files[i].original_filename, description,
                                    crypto::sha256(s.delete_token), visibility, uploader.account_id});
      out.push_back(std::move(s));
    }
    committing = true;
    tx.commit();
  } catch (...) {
    // Before COMMIT the rows cannot exist, so no one can refer to the files placed here:
    // remove them now.  If COMMIT itself failed (a lost connection) the rows may or may
    // not exist, so the files stay and the repair check decides.
    for (auto& [sha, c] : contents) {
      if (committing) break;
      if (!c.placed) continue;
      try {
        store::remove_both(app.store(), c.name);
      } catch (...) {}
    }
    throw;
  }

  std::uint64_t stored = 0, uploaded = 0;
  for (const auto& [sha, c] : contents)
    if (c.placed) stored += c.first->bytes.size();
  for (const auto& f : files) uploaded += f.bytes.size();
  metrics::add_stored_bytes(stored, uploaded);

  for (auto& [sha, c] : contents) {
    if (!c.placed) continue;
    app.after_response([&app, name = c.name, inspected = c.first->inspected] {
      save_thumbnail(app, name, image::make_thumbnail(inspected, app.config().image.thumb_size));
    });
  }
  return out;
}

}  // namespace imghost
