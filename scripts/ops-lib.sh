# shellcheck shell=bash
# Shared by scripts/backup, scripts/restore and scripts/rotate-logs (sourced, not run):
# where this tree is, the imghost configuration, the tools, and the app.log line.
#
# The configuration is the workers' own, and only imghost-admin reads it (conf_value):
# the file is --config FILE, else $IMGHOST_CONFIG, else $IMGHOST_VAR/imghost.conf (what
# scripts/stack writes for a checkout; IMGHOST_VAR defaults to <tree>/var).
#
# Expects HERE (the folder of the calling script) to be set.

ROOT=$(cd "$HERE/.." && pwd)  # the checkout, or $(PREFIX)/share/imghost when installed
VAR=${IMGHOST_VAR:-$ROOT/var}
CONF=${IMGHOST_CONFIG:-}
if [ -z "$CONF" ] && [ -f "$VAR/imghost.conf" ]; then CONF=$VAR/imghost.conf; fi

ops_set_config() {
  CONF=$1
  [ -r "$CONF" ] || { echo "$(basename "$0"): cannot read the config file $CONF" >&2; exit 2; }
}

# conf_value KEY: the setting in force, read by imghost-admin exactly as the workers read
# it (the file, then IMGHOST_* variables; sizes in bytes).  Exits on an unknown key.
conf_value() {
  run_admin config get "$1"
}

# pg_tool NAME: the newest PostgreSQL client program of that name.
pg_tool() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$bin" ] && [ -x "$bin/$1" ]; then echo "$bin/$1"; return; fi
  command -v "$1" || { echo "$(basename "$0"): $1 is not installed (apt-get install postgresql-client)" >&2; exit 1; }
}

# The imghost-admin of this tree: build/ in a checkout, $(PREFIX)/bin when installed.
find_admin() {
  local c
  for c in "${IMGHOST_BUILD:-$ROOT/build}/imghost-admin" "$ROOT/../../bin/imghost-admin"; do
    [ -x "$c" ] && { echo "$c"; return; }
  done
  command -v imghost-admin || { echo "$(basename "$0"): imghost-admin not found (run make)" >&2; exit 1; }
}

# run_admin ARGS...: imghost-admin with this configuration.  The scripts' own IMGHOST_*
# variables are not settings of the workers, which refuse unknown ones.
run_admin() {
  local admin
  admin=$(find_admin)
  env -u IMGHOST_BACKUP_DIR -u IMGHOST_BACKUP_KEEP -u IMGHOST_PID_FILE -u IMGHOST_LOGROTATE_STATE \
    "$admin" ${CONF:+--config "$CONF"} "$@"
}

# log_line ACTION MESSAGE: one line in app.log in the workers' format (UTC).  The line is
# formatted first and goes out in one write(2) on an O_APPEND descriptor (bash's printf
# flushes its buffer once; lines here are far below its size), so it never interleaves
# with the workers' lines.  If the log cannot be written the line goes to stderr.
log_line() {
  local file line msg=$2
  file=$(conf_value log_file)
  msg=${msg//[$'\n\r\t']/ }
  line="$(date -u '+[%Y-%m-%d %H:%M:%S]') $1: $msg"
  { printf '%s\n' "$line" >>"$file"; } 2>/dev/null || printf '%s\n' "$line" >&2
}
