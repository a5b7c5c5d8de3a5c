#include "db/pg.hpp"

#include <cstring>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <exception>

#include <poll.h>

#include "base/hex.hpp"
#include "metrics/metrics.hpp"

namespace imghost::db {

long long Result::get_int(int row, int col) const {
  const auto v = get(row, col);
  long long n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size()) throw DbError("not an integer: " + std::string(v), "22P02");
  return n;
}

int Result::affected() const {
  const char* n = PQcmdTuples(r_.get());
  return n && *n ? std::atoi(n) : 0;
}

Connection::Connection(const std::string& conninfo) : c_(PQconnectdb(conninfo.c_str())) {
  if (!c_) throw DbError("out of memory connecting to PostgreSQL", "08001");
  if (PQstatus(c_.get()) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c_.get());
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    throw DbError("cannot connect to PostgreSQL: " + msg, "08001");
  }
  // Notices ("relation ... already exists, skipping") are the server talking to a
  // person at a psql prompt; there is none here, and stderr is the service's journal.
  PQsetNoticeProcessor(
      c_.get(), [](void*, const char*) {}, nullptr);
  // Every statement is prepared once and is a walk of one index (by key, or ordered by
  // the index with a LIMIT).  Left to choose, PostgreSQL plans a statement whose LIMIT is
  // a parameter afresh on every execution (a generic plan guesses 10% of the table and
  // looks dearer than any custom one), and planning the catalog's page cost twice its
  // execution (0.18 against 0.09 ms on 1,000,000 rows, measured).  So: plan once per
  // connection.  Without parallel workers, the generic plans are the same index walks
  // (checked with EXPLAIN for every statement with a LIMIT); parallel workers and
  // JIT are for long queries, not requests of a millisecond, and a generic plan's inflated
  // cost would otherwise invite both.
  check(PQexec(c_.get(),
               "SET plan_cache_mode = force_generic_plan; SET max_parallel_workers_per_gather = 0; SET jit = off"),
        "session settings");
}

bool Connection::alive() const {
  if (PQstatus(c_.get()) != CONNECTION_OK) return false;
  pollfd p{PQsocket(c_.get()), POLLIN, 0};
  return p.fd >= 0 && poll(&p, 1, 0) == 0;
}

Result Connection::check(PGresult* raw, const char* what) {
  const auto status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Result(raw);
  fail(raw, what);
}

void Connection::fail(PGresult* raw, const char* what) {
  Result r(raw);  // freed on the way out
  std::string msg = raw ? PQresultErrorMessage(raw) : PQerrorMessage(c_.get());
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  const char* state = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
  // No SQLSTATE and a broken connection means the server went away mid-call.
  std::string sqlstate = state ? state : (PQstatus(c_.get()) == CONNECTION_OK ? "XX000" : "");
  throw DbError(std::string(what) + ": " + msg, std::move(sqlstate));
}

Result Connection::exec(const std::string& sql) {
  metrics::Timer t(metrics::Histogram::database);
  return check(PQexec(c_.get(), sql.c_str()), "query");
}

void Connection::prepare_once(const char* name, const char* sql) {
  if (std::find(prepared_.begin(), prepared_.end(), name) != prepared_.end()) return;
  check(PQprepare(c_.get(), name, sql, 0, nullptr), name);
  prepared_.emplace_back(name);
}

namespace {

std::vector<const char*> values_of(const std::vector<Param>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return values;
}

}  // namespace

Result Connection::run(const char* name, const char* sql, const std::vector<Param>& params) {
  metrics::Timer t(metrics::Histogram::database);
  prepare_once(name, sql);
  const auto values = values_of(params);
  return check(PQexecPrepared(c_.get(), name, static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0),
               name);
}

std::vector<Result> Connection::begin_and_run(const std::vector<Statement>& statements,
                                              const std::function<void()>& while_waiting) {
  metrics::Timer t(metrics::Histogram::database);
  for (const auto& s : statements) prepare_once(s.name, s.sql);
  PGconn* c = c_.get();
  if (PQenterPipelineMode(c) != 1) fail(nullptr, "pipeline");
  // Everything queued, then one Sync: the server runs them in order and answers at once.
  bool sent = PQsendQueryParams(c, "BEGIN", 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  for (std::size_t i = 0; sent && i < statements.size(); ++i) {
    const auto values = values_of(statements[i].params);
    sent = PQsendQueryPrepared(c, statements[i].name, static_cast<int>(values.size()), values.data(), nullptr, nullptr,
                               0) == 1;
  }
  sent = sent && PQpipelineSync(c) == 1;
  if (!sent) {
    // The connection broke while sending: nothing more can be read from it.
    std::string msg = PQerrorMessage(c);
    PQexitPipelineMode(c);
    throw DbError("pipeline: " + msg, PQstatus(c) == CONNECTION_OK ? "XX000" : "");
  }
  // The server has the statements (PQpipelineSync flushed them): the caller's work runs
  // while it executes them.  The pipeline is drained whatever that work throws.
  std::exception_ptr waiting_failed;
  if (while_waiting) {
    const auto start = std::chrono::steady_clock::now();
    try {
      while_waiting();
    } catch (...) { waiting_failed = std::current_exception(); }
    t.leave_out(std::chrono::steady_clock::now() - start);
  }
  // Each statement's result is followed by a null; then the Sync's.  The first failure
  // is kept and thrown once the pipeline is drained (the statements after it come back
  // PGRES_PIPELINE_ABORTED).
  std::vector<Result> out;
  out.reserve(statements.size());
  PGresult* first_error = nullptr;
  const char* failed = nullptr;
  for (std::size_t i = 0; i <= statements.size(); ++i) {
    PGresult* r = PQgetResult(c);
    if (!r) break;  // the connection is gone
    const auto status = PQresultStatus(r);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      if (i > 0)
        out.emplace_back(r);
      else
        PQclear(r);
    } else if (!first_error && status != PGRES_PIPELINE_ABORTED) {
      first_error = r;
      failed = i == 0 ? "BEGIN" : statements[i - 1].name;
    } else {
      PQclear(r);
    }
    while (PGresult* extra = PQgetResult(c)) PQclear(extra);  // up to this statement's null
  }
  for (PGresult* r = PQgetResult(c); r; r = PQgetResult(c)) {
    const bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
    PQclear(r);
    if (sync) break;
  }
  PQexitPipelineMode(c);
  if (waiting_failed) {
    PQclear(first_error);
    std::rethrow_exception(waiting_failed);
  }
  if (first_error) fail(first_error, failed);
  if (out.size() != statements.size()) fail(nullptr, "pipeline");
  return out;
}

void ping(Connection& c) { c.exec("SELECT 1"); }

std::string bytea_param(std::string_view bytes) { return "\\x" + hex::encode(bytes); }

std::string text_array_param(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char ch : item) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  return out + "}";
}

std::string from_bytea(std::string_view v) {
  std::optional<std::string> raw;
  if (v.size() >= 2 && v[0] == '\\' && v[1] == 'x') raw = hex::decode(v.substr(2));
  if (!raw) throw DbError("unexpected bytea format", "XX000");
  return *raw;
}

crypto::Sha256 sha256_from_bytea(std::string_view value) {
  const std::string raw = from_bytea(value);
  crypto::Sha256 sha;
  if (raw.size() != sha.size()) throw DbError("a malformed sha256", "XX000");
  std::memcpy(sha.data(), raw.data(), raw.size());
  return sha;
}

Transaction::Transaction(Connection& c) : c_(c) { c_.exec("BEGIN"); }

Transaction::~Transaction() {
  if (done_) return;
  try {
    c_.exec("ROLLBACK");
  } catch (...) {
    // The connection is broken; the server rolls back on its own.
  }
}

void Transaction::commit() {
  done_ = true;
  c_.exec("COMMIT");
}

}  // namespace imghost::db
