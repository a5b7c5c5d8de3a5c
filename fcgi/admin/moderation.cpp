#include "admin/moderation.hpp"

#include <cctype>
#include <charconv>
#include <fstream>
#include <optional>

#include "core/app.hpp"
#include "core/moderation.hpp"
#include "domain/error.hpp"
#include "store/open_store.hpp"

namespace imghost::admin {
namespace {

// The arguments after the command: one positional (or none) and --flag VALUE pairs.
struct Args {
  std::optional<std::string> positional;
  std::optional<std::string> reason, sha256, file, limit;
};

std::optional<Args> parse(const std::vector<std::string>& args) {
  Args a;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto& w = args[i];
    std::optional<std::string>* flag = w == "--reason"   ? &a.reason
                                       : w == "--sha256" ? &a.sha256
                                       : w == "--file"   ? &a.file
                                       : w == "--limit"  ? &a.limit
                                                         : nullptr;
    if (flag) {
      if (i + 1 >= args.size() || flag->has_value()) return std::nullopt;
      *flag = args[++i];
    } else if (!w.starts_with("--") && !a.positional) {
      a.positional = w;
    } else {
      return std::nullopt;
    }
  }
  return a;
}

int bad_usage() {
  std::fputs(
      "usage: imghost-admin takedown ID --reason TEXT\n"
      "       imghost-admin block ID|--sha256 HEX|--file FILE --reason TEXT\n"
      "       imghost-admin unblock BLOCK_ID --reason TEXT\n"
      "       imghost-admin reports [--limit N]\n",
      stderr);
  return 2;
}

// The digests of a file: one per line, blank lines and # comments skipped.
std::optional<std::vector<std::string>> digests_in(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    line = line.substr(0, line.find('#'));
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.erase(0, 1);
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

int run(App& app, const std::string& cmd, const Args& a, std::FILE* out) {
  const auto who = moderation::shell_actor();
  if (cmd == "reports") {
    int limit = 50;
    if (a.limit) {
      const auto [p, ec] = std::from_chars(a.limit->data(), a.limit->data() + a.limit->size(), limit);
      if (ec != std::errc() || p != a.limit->data() + a.limit->size() || limit < 1) return bad_usage();
    }
    if (a.positional || a.reason || a.sha256 || a.file) return bad_usage();
    for (const auto& r : moderation::open_reports(app, std::nullopt, limit))
      std::fprintf(out, "%lld\t%s\t%s %s\t%s\t%s\n", r.id, r.created_at.c_str(), std::string(kind_name(r.kind)).c_str(),
                   r.target_id.c_str(), r.reason.c_str(), r.details.value_or("").c_str());
    return 0;
  }
  if (!a.reason || a.limit) return bad_usage();
  if (cmd == "takedown") {
    if (!a.positional || a.sha256 || a.file) return bad_usage();
    const auto t = moderation::takedown(app, who, *a.positional, *a.reason);
    std::fprintf(out, "took down %s %s\n", std::string(kind_name(t.kind)).c_str(), t.target_id.c_str());
    return 0;
  }
  if (cmd == "unblock") {
    long long id = 0;
    if (!a.positional || a.sha256 || a.file) return bad_usage();
    const auto [p, ec] = std::from_chars(a.positional->data(), a.positional->data() + a.positional->size(), id);
    if (ec != std::errc() || p != a.positional->data() + a.positional->size()) return bad_usage();
    const auto b = moderation::unblock(app, who, id, *a.reason);
    std::fprintf(out, "unblocked %lld %s\n", b.id, b.sha256.c_str());
    return 0;
  }
  // block: exactly one of ID, --sha256, --file.
  if (int(a.positional.has_value()) + int(a.sha256.has_value()) + int(a.file.has_value()) != 1) return bad_usage();
  std::vector<moderation::BlockRequest> requests;
  if (a.positional) requests.push_back({a.positional, std::nullopt, *a.reason});
  if (a.sha256) requests.push_back({std::nullopt, a.sha256, *a.reason});
  if (a.file) {
    const auto digests = digests_in(*a.file);
    if (!digests) {
      std::fprintf(stderr, "imghost-admin: cannot read %s\n", a.file->c_str());
      return 1;
    }
    for (const auto& d : *digests) requests.push_back({std::nullopt, d, *a.reason});
  }
  int failed = 0;
  for (const auto& r : requests) {
    try {
      const auto b = moderation::block(app, who, r);
      std::fprintf(out, "blocked %lld %s\n", b.id, b.sha256.c_str());
    } catch (const Error& e) {
      // One bad line of a file does not stop the others.
      std::fprintf(stderr, "imghost-admin: %s: %s\n", r.target.value_or(r.sha256_hex.value_or("")).c_str(), e.what());
      ++failed;
    }
  }
  return failed ? 1 : 0;
}

}  // namespace

int moderation_command(const Config& config, const std::vector<std::string>& args, std::FILE* out) {
  const auto a = parse(args);
  if (!a) return bad_usage();
  App app(config, store::open_store(config));
  try {
    return run(app, args[0], *a, out);
  } catch (const Error& e) {
    std::fprintf(stderr, "imghost-admin: %s\n", e.what());
    return 1;
  }
}

}  // namespace imghost::admin
