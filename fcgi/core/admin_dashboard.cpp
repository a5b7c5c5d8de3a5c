#include "core/admin_dashboard.hpp"

#include <algorithm>

#include "base/crypto.hpp"
#include "base/text.hpp"
#include "core/moderation.hpp"
#include "db/admin_repo.hpp"
#include "db/albums_repo.hpp"
#include "db/images_repo.hpp"

namespace imghost::admin_area {

Dashboard dashboard(App& app) {
  db::AdminRepo repo(app.db());
  return {repo.totals(), repo.uploads_per_day(kChartDays), db::ImagesRepo(app.db()).newest(kRecentUploads)};
}

std::vector<ReportedItem> report_queue(App& app, int max_reports) {
  std::vector<ReportedItem> out;
  for (auto& r : moderation::open_reports(app, std::nullopt, max_reports)) {
    auto it = std::find_if(out.begin(), out.end(), [&](const ReportedItem& x) { return x.target_id == r.target_id; });
    if (it == out.end()) {
      ReportedItem item;
      item.kind = r.kind;
      item.target_id = r.target_id;
      if (r.kind == TargetKind::image) {
        item.image = db::ImagesRepo(app.db()).find(r.target_id);
      } else if (auto a = db::AlbumsRepo(app.db()).find(r.target_id); a && a->status != "deleting") {
        item.album = std::move(a);
      }
      out.push_back(std::move(item));
      it = out.end() - 1;
    }
    it->reports.push_back(std::move(r));
  }
  return out;
}

std::vector<ImageRecord> search_images(App& app, const std::string& query) {
  const std::string q(text::trim(query));
  if (q.empty()) return {};
  return db::ImagesRepo(app.db()).search(q, crypto::sha256_from_hex(q), kMaxSearchResults);
}

}  // namespace imghost::admin_area
