// RAII over libpq.  Each PGconn and PGresult has exactly one owner.  A Connection is not
// thread-safe: one per worker process.  Every failure throws DbError with the server's
// message and SQLSTATE; parameters only ever go through $1..$n.
#pragma once

#include <libpq-fe.h>

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "base/crypto.hpp"

namespace imghost::db {

class DbError : public std::runtime_error {
 public:
  DbError(const std::string& msg, std::string sqlstate) : std::runtime_error(msg), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const noexcept { return sqlstate_; }
  // The connection itself is gone (server down, restarted, socket closed).
  bool connection_lost() const noexcept {
    return sqlstate_.empty() || sqlstate_.rfind("08", 0) == 0 || sqlstate_.rfind("57P", 0) == 0;
  }

 private:
  std::string sqlstate_;
};

struct ResultDeleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
struct ConnDeleter {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};

class Result {
 public:
  explicit Result(PGresult* r) : r_(r) {}
  int rows() const { return PQntuples(r_.get()); }
  bool is_null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string_view get(int row, int col) const {
    return {PQgetvalue(r_.get(), row, col), static_cast<std::size_t>(PQgetlength(r_.get(), row, col))};
  }
  std::optional<std::string> get_opt(int row, int col) const {
    if (is_null(row, col)) return std::nullopt;
    return std::string(get(row, col));
  }
  long long get_int(int row, int col) const;
  int affected() const;  // rows changed by INSERT/UPDATE/DELETE
  // Every row through `row_at(result, row)`, in order.
  template <class RowAt>
  auto map(RowAt row_at) const {
    std::vector<decltype(row_at(*this, 0))> out;
    out.reserve(static_cast<std::size_t>(rows()));
    for (int i = 0; i < rows(); ++i) out.push_back(row_at(*this, i));
    return out;
  }

 private:
  std::unique_ptr<PGresult, ResultDeleter> r_;
};

// A parameter: text, or NULL.  Binary data travels as hex text ("\\x..." for bytea).
using Param = std::optional<std::string>;

// A prepared statement with its parameters, for Connection::begin_and_run.
struct Statement {
  const char* name;
  const char* sql;
  std::vector<Param> params;
};

class Connection {
 public:
  // Connects; throws DbError (sqlstate "08001") if it cannot.
  explicit Connection(const std::string& conninfo);

  // Whether the idle connection is still usable, without a round trip.  Call only
  // between queries: an idle connection has nothing to read unless the server ended it
  // (after a restart it sends a FATAL, then closes), so anything readable means "gone".
  bool alive() const;
  // Runs SQL without parameters (may hold several statements).
  Result exec(const std::string& sql);
  // Runs a statement prepared once per connection under `name` (prepared on first use).
  Result run(const char* name, const char* sql, const std::vector<Param>& params);
  // BEGIN, then `statements`, in ONE round trip (libpq's pipeline mode); their results in
  // order.  The transaction stays open: the caller holds a Transaction made with
  // Transaction::kBegunByStatements, which commits it or rolls it back.  On a failed
  // statement throws its DbError (the rest did not run).  Statements are prepared once
  // per connection, as by run(): the first use of a name costs one more round trip.
  // `while_waiting`, if given, runs once the statements are sent, while the server works
  // on them; what it throws is thrown once the pipeline is drained (before a statement's
  // failure).
  std::vector<Result> begin_and_run(const std::vector<Statement>& statements,
                                    const std::function<void()>& while_waiting = {});

 private:
  Result check(PGresult* r, const char* what);
  void prepare_once(const char* name, const char* sql);
  [[noreturn]] void fail(PGresult* r, const char* what);
  std::unique_ptr<PGconn, ConnDeleter> c_;
  std::vector<std::string> prepared_;
};

// A query that touches no table: throws DbError unless PostgreSQL answers.
void ping(Connection& c);

// bytea in the text protocol: "\\x0a1b..." as a parameter, and the hex output format
// decoded (DbError when a value is not in it).
std::string bytea_param(std::string_view bytes);
// A text[] parameter ("{\"a\",\"b\"}"): each element quoted, `"` and `\` escaped.
std::string text_array_param(const std::vector<std::string>& items);
std::string from_bytea(std::string_view value);
// A SHA-256 column (bytea as text); throws DbError when it is not 32 bytes.
crypto::Sha256 sha256_from_bytea(std::string_view value);

// BEGIN in the constructor; ROLLBACK in the destructor unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Connection& c);
  // No BEGIN here: the caller's next call is Connection::begin_and_run, which sends it
  // with its statements.  (A ROLLBACK after a BEGIN that never ran only draws a
  // warning.)
  struct BegunByStatements {};
  static constexpr BegunByStatements kBegunByStatements{};
  Transaction(Connection& c, BegunByStatements) : c_(c) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& c_;
  bool done_ = false;
};

}  // namespace imghost::db
