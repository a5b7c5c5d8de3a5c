// The JSON shapes of moderation (docs/openapi.yaml: Report, Takedown, Block, AuditEntry).
#pragma once

#include <nlohmann/json.hpp>

#include "domain/moderation_records.hpp"

namespace imghost::views {

// {id, target, target_kind, reason, details, reporter, created_at}
nlohmann::json report_json(const ReportRecord& r);
// {id, target, target_kind, name, reason, created_at}
nlohmann::json takedown_json(const TakedownRecord& t);
// {id, sha256, perceptual_hash (16 hex digits or null), reason, created_at}
nlohmann::json block_json(const BlockRecord& b);
// {id, actor, action, target, reason, created_at}
nlohmann::json audit_json(const AuditRecord& a);

}  // namespace imghost::views
