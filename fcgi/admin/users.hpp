// imghost-admin's account commands:
//
//   user add NAME [--admin] [--quota SIZE]   the password is read from standard input
//                                            (one line; never an argument, which `ps`
//                                            shows); how the first admin is made
//   user list                                name, admin, disabled, used and quota bytes
//   user disable NAME | user enable NAME     disabling also ends the account's sessions
//   user quota NAME SIZE|default             bytes (K/M/G/T suffixes), or the configured default
//   invite create [--days N]                 an invite code for signup = invite (7 days)
//
// Output goes to `out`, problems to stderr.  Returns the exit status: 0, 1 when the
// command failed (unknown user, taken name...), 2 on bad usage.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "domain/config.hpp"

namespace imghost::admin {

int user_command(const Config& config, const std::vector<std::string>& args, std::FILE* in, std::FILE* out);
int invite_command(const Config& config, const std::vector<std::string>& args, std::FILE* out);

}  // namespace imghost::admin
