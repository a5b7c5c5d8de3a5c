// The moderation tables (sql/013_moderation.sql): reports, take-down tombstones, the
// block list and the audit log.  Every method runs one statement on the given
// connection and throws db::DbError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/crypto.hpp"
#include "db/pg.hpp"
#include "domain/moderation_records.hpp"

namespace imghost::db {

struct NewTakedown {
  TargetKind kind = TargetKind::image;
  std::string target_id;
  std::optional<std::string> name;
  std::optional<crypto::Sha256> sha256;
  std::optional<std::string> original_filename;
  std::optional<long long> owner_id;
  std::optional<std::string> album_id;
  std::string reason;
  std::optional<long long> admin_id;
};

class ModerationRepo {
 public:
  explicit ModerationRepo(Connection& c) : c_(c) {}

  // Reports.  `before`: keyset (report id) of the page, newest first; open ones only.
  long long insert_report(TargetKind kind, const std::string& target_id, const std::string& reason,
                          const std::optional<std::string>& details, std::optional<long long> reporter_id);
  std::vector<ReportRecord> open_reports(std::optional<long long> before, int limit);
  // Closes the open reports of a target; how many.
  int resolve_reports(const std::string& target_id, std::optional<long long> admin_id);
  int count_open_reports();

  // Tombstones.  insert_takedown does nothing when the target has one already (false).
  bool insert_takedown(const NewTakedown& t);
  std::optional<TakedownRecord> takedown_of_target(const std::string& target_id);
  std::optional<TakedownRecord> takedown_of_name(const std::string& name);
  std::optional<TakedownRecord> takedown_of_any_name(const std::vector<std::string>& names);

  // The block list.  insert_block answers the entry (an existing one of these bytes is
  // updated with the new hash and reason: one entry per content).
  BlockRecord insert_block(const crypto::Sha256& sha256, std::optional<std::int64_t> phash, const std::string& reason,
                           std::optional<long long> admin_id);
  // The deleted entry, or nullopt when there was none.
  std::optional<BlockRecord> delete_block(long long id);
  // The first entry of these bytes (any of `digests`) or whose perceptual hash is within
  // `max_distance` bits of `phash`.
  std::optional<BlockRecord> matching_block(const std::vector<crypto::Sha256>& digests,
                                            std::optional<std::int64_t> phash, int max_distance);
  std::vector<BlockRecord> blocks(std::optional<long long> before, int limit);

  // The audit log, newest first.
  void insert_audit(std::optional<long long> admin_id, const std::string& actor, const std::string& action,
                    const std::string& target, const std::string& reason);
  std::vector<AuditRecord> audit(std::optional<long long> before, int limit);

 private:
  Connection& c_;
};

}  // namespace imghost::db
