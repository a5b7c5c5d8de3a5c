// Moderation's records as flows return them and renderers show them: a report, a
// take-down's tombstone, a block-list entry and a line of the audit log (sql/013).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace imghost {

// What a report or a take-down names: an image or an album, by its public id.
enum class TargetKind { image, album };
inline std::string_view kind_name(TargetKind k) { return k == TargetKind::image ? "image" : "album"; }

// Whether `r` is one of the reasons a report may give (the contract's list).
inline bool is_report_reason(std::string_view r) {
  return r == "spam" || r == "illegal" || r == "copyright" || r == "privacy" || r == "other";
}

struct ReportRecord {
  long long id = 0;
  TargetKind kind = TargetKind::image;
  std::string target_id;
  std::string reason;
  std::optional<std::string> details;
  std::optional<std::string> reporter;  // the reporting account's username, if any
  std::string created_at;               // ISO 8601, UTC, "Z"
};

struct TakedownRecord {
  long long id = 0;
  TargetKind kind = TargetKind::image;
  std::string target_id;
  std::optional<std::string> name;  // an image's stored file name
  std::string reason;
  std::string created_at;
};

struct BlockRecord {
  long long id = 0;
  std::string sha256;              // hex
  std::optional<long long> phash;  // the 64-bit perceptual hash, as stored (signed)
  std::string reason;
  std::string created_at;
};

struct AuditRecord {
  long long id = 0;
  std::string actor;   // the admin's username, or "shell"
  std::string action;  // "takedown", "block", "unblock", "dismiss", "disable", ...
  std::string target;
  std::string reason;
  std::string created_at;
};

}  // namespace imghost
