#include "core/ingest.hpp"

#include <fmt/format.h>

#include <map>

#include "base/crypto.hpp"
#include "core/accounts.hpp"
#include "db/albums_repo.hpp"
#include "db/images_repo.hpp"
#include "db/locks.hpp"
#include "db/users_repo.hpp"
#include "domain/error.hpp"
#include "domain/naming.hpp"
#include "metrics/metrics.hpp"

namespace imghost {
namespace {

// One distinct content of the request (the same bytes twice in one upload share it).
struct Content {
  Candidate* first = nullptr;
  std::string name;  // the name a new blob of it gets: its first image's own name
};

// Inside the upload's transaction: the account's row stays locked until COMMIT, so the
// next upload of the same account sees these bytes.
void charge_quota(App& app, long long account_id, const std::vector<Candidate>& files) {
  db::UsersRepo users(app.db());
  const auto user = users.lock_for_update(account_id);
  if (!user || user->disabled) throw errors::unauthorized(i18n::msg("the account is disabled"));
  long long bytes = 0;
  for (const auto& f : files) bytes += static_cast<long long>(f.size);
  const long long quota = accounts::quota_of(app.config(), *user);
  if (user->used_bytes + bytes > quota)
    throw errors::quota_exceeded(
        i18n::msg("this upload ({} bytes) would exceed the account's quota: {} of {} bytes used", bytes,
                  user->used_bytes, quota));
  users.add_used_bytes(account_id, bytes);
}

// Inside the upload's transaction, after the quota: the album's row stays locked until
// COMMIT, so the next upload into it counts these items.  An album that expires lowers
// the images' expires_at; `stored` then carries the rows' values for the answer.
void enter_album(App& app, long long album_seq, std::vector<Stored>& stored) {
  db::AlbumsRepo albums(app.db());
  const auto gate = albums.lock_row(album_seq);
  if (!gate || gate->status == "deleting") throw errors::not_found(i18n::msg("no such album"));
  if (gate->expired) throw errors::expired(i18n::msg("this album has expired"));
  if (gate->status != "open") throw errors::conflict(i18n::msg("this album is closed: it takes no more uploads"));
  std::vector<long long> seqs;
  seqs.reserve(stored.size());
  for (const auto& s : stored) seqs.push_back(s.record.seq);
  const auto appended = albums.append_items(album_seq, seqs);
  if (gate->max_items && appended.item_count > *gate->max_items)
    throw errors::album_full(i18n::msg("this album holds at most {} images; {} more would make {}", *gate->max_items,
                                       stored.size(), appended.item_count));
  for (const auto& [seq, expires_at] : appended.expires_at)
    for (auto& s : stored)
      if (s.record.seq == seq) s.record.expires_at = expires_at;
}

}  // namespace

std::vector<Stored> ingest(App& app, std::vector<Candidate>& files, const std::optional<std::string>& description,
                           Visibility visibility, const Uploader& uploader, const Placement& placement) {
  std::map<crypto::Sha256, Content> contents;  // ordered by hash: the lock order
  std::vector<Stored> out(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    // Every upload has a name of its own, even for bytes stored already.
    out[i].record.name = naming::new_file_name(files[i].format);
    auto [it, inserted] = contents.try_emplace(files[i].sha256);
    if (inserted) {
      it->second.first = &files[i];
      it->second.name = out[i].record.name;
    }
  }

  std::vector<db::Statement> statements;
  if (contents.size() > 1)
    for (const auto& [sha, c] : contents) statements.push_back(db::lock_content_statement(sha));
  const std::size_t first_upload = statements.size();
  for (std::size_t i = 0; i < files.size(); ++i) {
    const Candidate& f = files[i];
    out[i].delete_token = naming::new_delete_token();
    auto& r = out[i].record;
    r.id = naming::new_image_id();
    r.original_filename = f.original_filename;
    r.format = std::string(image::name(f.format));
    r.size = static_cast<long long>(f.size);
    r.width = static_cast<int>(f.width);
    r.height = static_cast<int>(f.height);
    r.sha256 = crypto::to_hex(f.sha256);
    r.description = description;
    r.visibility = visibility;
    r.owner_id = uploader.account_id;
    r.owner = uploader.username;
    r.kind = f.duration ? "video" : "image";
    r.duration = f.duration;
    r.video_codec = f.video_codec;
    r.audio_codec = f.audio_codec;
    statements.push_back(db::ImagesRepo::upload_statement(
        {f.sha256, contents.at(f.sha256).name, r.size, r.format, r.width, r.height, f.duration, f.video_codec,
         f.audio_codec},
        {r.id, r.name, f.sha256, r.original_filename, description, crypto::sha256(out[i].delete_token), visibility,
         uploader.account_id, placement.expires_in}));
  }

  auto& conn = app.db();
  bool committing = false;
  std::vector<const std::string*> placed;  // names given a file in this request
  std::uint64_t stored = 0;                // bytes that were new to the store
  try {
    db::Transaction tx(conn, db::Transaction::kBegunByStatements);
    // While the server runs them, the staged files are synced to disk: a new content's
    // file must be durable before its row commits, and the wait for the answer is the
    // time to do it (the sync of a file whose bytes turn out to be stored already is the
    // only one wasted).
    const auto results = conn.begin_and_run(statements, [&] {
      for (auto& [sha, c] : contents) app.store().sync_staged(c.first->staged);
    });
    // The account's row is locked after the content locks, in the order a delete takes
    // them; concurrent uploads of one account queue on it until COMMIT.
    if (uploader.account_id) charge_quota(app, *uploader.account_id, files);
    std::vector<std::string> sources(files.size());  // the file each image's name is to share
    for (std::size_t i = 0; i < files.size(); ++i) {
      const auto up = db::ImagesRepo::uploaded(results[first_upload + i]);
      auto& r = out[i].record;
      r.seq = up.seq;
      r.created_at = up.created_at;
      r.expires_at = up.expires_at;
      sources[i] = up.blob_name;
    }
    if (placement.new_album) {
      // After the content locks and the account's row, as the lock order wants; no one
      // else can see this row before COMMIT.
      enter_album(app, db::AlbumsRepo(conn).insert(*placement.new_album).seq, out);
    } else if (placement.album_seq) {
      enter_album(app, *placement.album_seq, out);
    }
    // The rows are not visible before COMMIT, and the content locks are held: no one can
    // refer to, or remove, these files before they are in place, and the file a blob
    // names stays while they are shared.  In the files' order, so the first image of new
    // bytes is placed before a second one of the same request shares it.
    for (std::size_t i = 0; i < files.size(); ++i) {
      Candidate& f = files[i];
      const std::string& name = out[i].record.name;
      {
        metrics::Timer t(metrics::Histogram::store_write);
        if (sources[i] == name) {
          app.store().place(f.staged, name);
          stored += f.size;
        } else {
          app.store().share(f.staged, sources[i], name);
        }
      }
      placed.push_back(&name);
      if (f.thumbnail.empty()) continue;
      try {
        if (f.thumbnail_is_original)
          app.store().put_original_as_thumbnail(name, f.thumbnail);
        else
          app.store().put_thumbnail(name, f.thumbnail);
      } catch (const std::exception& e) {
        app.log().error(i18n::msg("thumbnail of {} left for later: {}", name, e.what()));
      }
    }
    committing = true;
    tx.commit();
  } catch (...) {
    // Before COMMIT the rows cannot exist, so no one can refer to the files placed here:
    // remove them now.  If COMMIT itself failed (a lost connection) the rows may or may
    // not exist, so the files stay and the repair check decides.
    for (const std::string* name : placed) {
      if (committing) break;
      try {
        store::remove_both(app.store(), *name);
      } catch (...) {}
    }
    throw;
  }

  std::uint64_t uploaded = 0, videos = 0;
  for (const auto& f : files) {
    uploaded += f.size;
    videos += f.duration ? 1 : 0;
  }
  metrics::add_stored_bytes(stored, uploaded);
  metrics::count_stored(files.size() - videos, videos);
  return out;
}

}  // namespace imghost
