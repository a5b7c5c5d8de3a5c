// Pieces of SQL text that several statements share.  Macros, not constants: they join
// the statement's string literals at compile time, and a prepared statement's text is
// one literal.
#pragma once

// A timestamptz column as every answer writes times: ISO 8601, UTC, to the second
// ("2024-01-31T12:00:00Z").  `col` is a string literal: SQL_ISO_UTC("i.created_at").
#define SQL_ISO_UTC(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
