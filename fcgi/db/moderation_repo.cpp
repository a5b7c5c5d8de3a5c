#include "db/moderation_repo.hpp"

#include "db/images_repo.hpp"
#include "db/sql_fragments.hpp"

namespace imghost::db {
namespace {

Param opt(const std::optional<std::string>& v) { return v ? Param(*v) : Param(); }
Param opt(std::optional<long long> v) { return v ? Param(std::to_string(*v)) : Param(); }
Param before_param(std::optional<long long> before) { return before ? Param(std::to_string(*before)) : Param(); }

TargetKind kind_of(std::string_view s) { return s == "album" ? TargetKind::album : TargetKind::image; }

// clang-format off
#define TAKEDOWN_COLUMNS "t.id, t.target_kind, t.target_id, t.name, t.reason, " SQL_ISO_UTC("t.created_at")
#define BLOCK_COLUMNS "b.id, encode(b.sha256, 'hex'), b.phash, b.reason, " SQL_ISO_UTC("b.created_at")
// clang-format on

TakedownRecord takedown_at(const Result& r, int row) {
  return {r.get_int(row, 0), kind_of(r.get(row, 1)),     std::string(r.get(row, 2)),
          r.get_opt(row, 3), std::string(r.get(row, 4)), std::string(r.get(row, 5))};
}

BlockRecord block_at(const Result& r, int row) {
  BlockRecord b;
  b.id = r.get_int(row, 0);
  b.sha256 = r.get(row, 1);
  if (!r.is_null(row, 2)) b.phash = r.get_int(row, 2);
  b.reason = r.get(row, 3);
  b.created_at = r.get(row, 4);
  return b;
}

std::optional<TakedownRecord> one_takedown(const Result& r) {
  if (r.rows() == 0) return std::nullopt;
  return takedown_at(r, 0);
}

}  // namespace

long long ModerationRepo::insert_report(TargetKind kind, const std::string& target_id, const std::string& reason,
                                        const std::optional<std::string>& details,
                                        std::optional<long long> reporter_id) {
  auto r = c_.run("insert_report",
                  "INSERT INTO reports (target_kind, target_id, reason, details, reporter_id)"
                  " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                  {std::string(kind_name(kind)), target_id, reason, opt(details), opt(reporter_id)});
  return r.get_int(0, 0);
}

std::vector<ReportRecord> ModerationRepo::open_reports(std::optional<long long> before, int limit) {
  auto r = c_.run("open_reports",
                  "SELECT r.id, r.target_kind, r.target_id, r.reason, r.details, u.username, " SQL_ISO_UTC(
                      "r.created_at") " FROM reports r LEFT JOIN users u ON u.id = r.reporter_id"
                                      " WHERE r.resolved_at IS NULL AND ($1::bigint IS NULL OR r.id < $1)"
                                      " ORDER BY r.id DESC LIMIT $2",
                  {before_param(before), std::to_string(limit)});
  return r.map([](const Result& res, int i) {
    return ReportRecord{res.get_int(i, 0),          kind_of(res.get(i, 1)), std::string(res.get(i, 2)),
                        std::string(res.get(i, 3)), res.get_opt(i, 4),      res.get_opt(i, 5),
                        std::string(res.get(i, 6))};
  });
}

int ModerationRepo::resolve_reports(const std::string& target_id, std::optional<long long> admin_id) {
  return c_
      .run("resolve_reports",
           "UPDATE reports SET resolved_at = now(), resolved_by = $2 WHERE target_id = $1 AND resolved_at IS NULL",
           {target_id, opt(admin_id)})
      .affected();
}

int ModerationRepo::count_open_reports() {
  return static_cast<int>(
      c_.run("count_open_reports", "SELECT count(*) FROM reports WHERE resolved_at IS NULL", {}).get_int(0, 0));
}

bool ModerationRepo::insert_takedown(const NewTakedown& t) {
  return c_.run("insert_takedown",
                "INSERT INTO takedowns (target_kind, target_id, name, sha256, original_filename, owner_id, album_id,"
                " reason, admin_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (target_id) DO NOTHING",
                {std::string(kind_name(t.kind)), t.target_id, opt(t.name),
                 t.sha256 ? Param(bytea_param(*t.sha256)) : Param(), opt(t.original_filename), opt(t.owner_id),
                 opt(t.album_id), t.reason, opt(t.admin_id)})
             .affected() > 0;
}

std::optional<TakedownRecord> ModerationRepo::takedown_of_target(const std::string& target_id) {
  return one_takedown(
      c_.run("takedown_of_target", "SELECT " TAKEDOWN_COLUMNS " FROM takedowns t WHERE t.target_id = $1", {target_id}));
}

std::optional<TakedownRecord> ModerationRepo::takedown_of_name(const std::string& name) {
  return one_takedown(
      c_.run("takedown_of_name", "SELECT " TAKEDOWN_COLUMNS " FROM takedowns t WHERE t.name = $1 LIMIT 1", {name}));
}

std::optional<TakedownRecord> ModerationRepo::takedown_of_any_name(const std::vector<std::string>& names) {
  return one_takedown(c_.run("takedown_of_any_name",
                             "SELECT " TAKEDOWN_COLUMNS " FROM takedowns t WHERE t.name = ANY($1::text[]) LIMIT 1",
                             {text_array_param(names)}));
}

BlockRecord ModerationRepo::insert_block(const crypto::Sha256& sha256, std::optional<std::int64_t> phash,
                                         const std::string& reason, std::optional<long long> admin_id) {
  auto r = c_.run("insert_block",
                  "WITH b AS (INSERT INTO blocks (sha256, phash, reason, admin_id) VALUES ($1, $2, $3, $4)"
                  " ON CONFLICT (sha256) DO UPDATE SET phash = COALESCE(EXCLUDED.phash, blocks.phash),"
                  " reason = EXCLUDED.reason, admin_id = EXCLUDED.admin_id RETURNING *)"
                  " SELECT " BLOCK_COLUMNS " FROM b",
                  {bytea_param(sha256), phash ? Param(std::to_string(*phash)) : Param(), reason, opt(admin_id)});
  return block_at(r, 0);
}

std::optional<BlockRecord> ModerationRepo::delete_block(long long id) {
  auto r =
      c_.run("delete_block", "WITH b AS (DELETE FROM blocks WHERE id = $1 RETURNING *) SELECT " BLOCK_COLUMNS " FROM b",
             {std::to_string(id)});
  if (r.rows() == 0) return std::nullopt;
  return block_at(r, 0);
}

std::optional<BlockRecord> ModerationRepo::matching_block(const std::vector<crypto::Sha256>& digests,
                                                          std::optional<std::int64_t> phash, int max_distance) {
  // Postgres arrays of bytea as text: {"\\x..","\\x.."}.
  std::string array = "{";
  for (const auto& d : digests) {
    if (array.size() > 1) array += ',';
    array += "\"\\\\x" + crypto::to_hex(d) + "\"";
  }
  array += "}";
  auto r = c_.run("matching_block",
                  "SELECT " BLOCK_COLUMNS
                  " FROM blocks b WHERE b.sha256 = ANY ($1::bytea[])"
                  " OR ($2::bigint IS NOT NULL AND b.phash IS NOT NULL"
                  " AND bit_count((b.phash # $2::bigint)::bit(64)) <= $3)"
                  " ORDER BY b.sha256 = ANY ($1::bytea[]) DESC, b.id LIMIT 1",
                  {array, phash ? Param(std::to_string(*phash)) : Param(), std::to_string(max_distance)});
  if (r.rows() == 0) return std::nullopt;
  return block_at(r, 0);
}

std::vector<BlockRecord> ModerationRepo::blocks(std::optional<long long> before, int limit) {
  auto r = c_.run("blocks",
                  "SELECT " BLOCK_COLUMNS
                  " FROM blocks b WHERE ($1::bigint IS NULL OR b.id < $1)"
                  " ORDER BY b.id DESC LIMIT $2",
                  {before_param(before), std::to_string(limit)});
  return r.map(block_at);
}

void ModerationRepo::insert_audit(std::optional<long long> admin_id, const std::string& actor,
                                  const std::string& action, const std::string& target, const std::string& reason) {
  c_.run("insert_audit", "INSERT INTO audit_log (admin_id, actor, action, target, reason) VALUES ($1, $2, $3, $4, $5)",
         {opt(admin_id), actor, action, target, reason});
}

std::vector<AuditRecord> ModerationRepo::audit(std::optional<long long> before, int limit) {
  auto r = c_.run("audit",
                  "SELECT a.id, a.actor, a.action, a.target, a.reason, " SQL_ISO_UTC(
                      "a.created_at") " FROM audit_log a WHERE ($1::bigint IS NULL OR a.id < $1)"
                                      " ORDER BY a.id DESC LIMIT $2",
                  {before_param(before), std::to_string(limit)});
  return r.map([](const Result& res, int i) {
    return AuditRecord{res.get_int(i, 0),          std::string(res.get(i, 1)), std::string(res.get(i, 2)),
                       std::string(res.get(i, 3)), std::string(res.get(i, 4)), std::string(res.get(i, 5))};
  });
}

}  // namespace imghost::db
