// imghost-admin's moderation commands, the shell's side of core/moderation.hpp (each
// action audited as done by "shell" and logged like the site's):
//
//   takedown ID --reason TEXT                      an image or album: 451 from now on
//   block ID|--sha256 HEX|--file FILE --reason TEXT  ban an image's content, a digest,
//                                                  or every digest of FILE (one per
//                                                  line; blank lines and # comments
//                                                  skipped)
//   unblock BLOCK_ID --reason TEXT                 lift a ban
//   reports [--limit N]                            the open reports, newest first
//
// Output goes to `out`, problems to stderr.  Returns the exit status: 0, 1 when the
// action failed (unknown target, bad digest...), 2 on bad usage.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "domain/config.hpp"

namespace imghost::admin {

// args[0] is the command's name: "takedown", "block", "unblock" or "reports".
int moderation_command(const Config& config, const std::vector<std::string>& args, std::FILE* out);

}  // namespace imghost::admin
