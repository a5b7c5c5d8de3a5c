#include "render/moderation_json.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace imghost::views {
namespace {

nlohmann::json or_null(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

}  // namespace

nlohmann::json report_json(const ReportRecord& r) {
  return {{"id", std::to_string(r.id)}, {"target", r.target_id},         {"target_kind", kind_name(r.kind)},
          {"reason", r.reason},         {"details", or_null(r.details)}, {"reporter", or_null(r.reporter)},
          {"created_at", r.created_at}};
}

nlohmann::json takedown_json(const TakedownRecord& t) {
  return {{"id", std::to_string(t.id)}, {"target", t.target_id}, {"target_kind", kind_name(t.kind)},
          {"name", or_null(t.name)},    {"reason", t.reason},    {"created_at", t.created_at}};
}

nlohmann::json block_json(const BlockRecord& b) {
  nlohmann::json phash = nullptr;
  if (b.phash) phash = fmt::format("{:016x}", static_cast<std::uint64_t>(*b.phash));
  return {{"id", std::to_string(b.id)},
          {"sha256", b.sha256},
          {"perceptual_hash", std::move(phash)},
          {"reason", b.reason},
          {"created_at", b.created_at}};
}

nlohmann::json audit_json(const AuditRecord& a) {
  return {{"id", std::to_string(a.id)}, {"actor", a.actor},   {"action", a.action},
          {"target", a.target},         {"reason", a.reason}, {"created_at", a.created_at}};
}

}  // namespace imghost::views
