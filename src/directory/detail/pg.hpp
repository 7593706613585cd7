#pragma once
// Thin RAII over libpq: a blocking connection, its results and text parameters. Errors come
// back as results that are not ok(), with the server's message and SQLSTATE; only connecting
// throws. libpq-fe.h stays in pg.cpp: its two handle types are declared here by their tags.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// libpq-fe.h's own declarations, repeated (a typedef may be, to the same type).
typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace blubridge::directory::detail {

/// Text parameters for exec(sql, params) and exec_prepared: each value is text or SQL NULL.
/// The values are copied, so the arguments need not outlive the call.
class pg_params {
public:
    pg_params& add(std::string_view text);
    pg_params& add(std::int64_t value);
    /// Sent as the signed 64-bit value of the same bits (as the SQLite store keeps it), so a
    /// BIGINT column holds any unsigned value and pg_result::uint64 gives it back.
    pg_params& add(std::uint64_t value);
    pg_params& add(int value);
    pg_params& add_null();
    template <class T>
    pg_params& add(const std::optional<T>& v) {
        return v ? add(*v) : add_null();
    }

    int size() const { return static_cast<int>(texts_.size()); }
    /// One pointer per parameter, nullptr for NULL; valid until the next add().
    const char* const* values() const;

private:
    std::vector<std::string> texts_;
    std::vector<bool> nulls_;
    mutable std::vector<const char*> pointers_;
};

/// One statement's result (owns the PGresult). A default or moved-from result is not ok().
class pg_result {
public:
    pg_result() = default;
    explicit pg_result(PGresult* result) : handle_(result) {}

    /// PGRES_COMMAND_OK or PGRES_TUPLES_OK.
    bool ok() const;
    int rows() const;
    bool null(int row, int column) const;
    /// The value as text; empty for NULL.
    std::string_view text(int row, int column) const;
    /// Parses the text; 0 for NULL or text that is not a whole 64-bit number.
    std::int64_t int64(int row, int column) const;
    /// The same bits as int64.
    std::uint64_t uint64(int row, int column) const { return static_cast<std::uint64_t>(int64(row, column)); }
    /// Rows an INSERT, UPDATE or DELETE touched (PQcmdTuples); 0 otherwise.
    std::size_t affected() const;
    /// The server's message without the trailing newline; "" when ok().
    std::string error() const;
    /// PG_DIAG_SQLSTATE ("23505" unique violation, "40001" serialization failure), "" if none.
    std::string_view sqlstate() const;
    PGresult* get() const { return handle_.get(); }

private:
    struct clearer {
        void operator()(PGresult* r) const;
    };
    std::unique_ptr<PGresult, clearer> handle_;
};

/// A NOTIFY received on a LISTENed channel.
struct pg_notification {
    std::string channel;
    std::string payload;
    int backend_pid = 0;  ///< the notifying session's
};

/// One PGconn, blocking. Movable, not thread-safe: one user at a time.
class pg_connection {
public:
    /// Not connected: ok() is false.
    pg_connection() = default;
    /// Connects (blocking). `conninfo` is a keyword string or a postgresql:// URI; `password`,
    /// when not empty, is added as the "password" keyword. Throws std::runtime_error
    /// ("PostgreSQL: " + libpq's message) when it cannot connect; the message never holds the
    /// password.
    pg_connection(const std::string& conninfo, const std::string& password);

    /// Connected and CONNECTION_OK.
    bool ok() const;
    /// PQexec: `sql` may hold several statements; the result is the last one's.
    pg_result exec(std::string_view sql);
    /// PQexecParams: one statement, text parameters ($1…) and text results.
    pg_result exec(std::string_view sql, const pg_params& params);
    /// PQprepare with `params` parameters of inferred types; false (see error()) on failure.
    bool prepare(std::string_view name, std::string_view sql, int params);
    pg_result exec_prepared(std::string_view name, const pg_params& params);
    /// PQerrorMessage without the trailing newline.
    std::string error() const;
    /// Reconnects with the same parameters after the server closed the connection (PQreset);
    /// true when connected again. Prepared statements and LISTENs are gone after it.
    bool reset();
    /// Reads what the server sent (PQconsumeInput, never waits) and returns the next NOTIFY.
    std::optional<pg_notification> next_notification();
    /// The socket to wait on for notifications; -1 when not connected.
    int socket() const;
    /// The server process serving this connection (pg_terminate_backend's argument); 0 if none.
    int backend_pid() const;
    PGconn* get() const { return handle_.get(); }

private:
    struct finisher {
        void operator()(PGconn* c) const;
    };
    std::unique_ptr<PGconn, finisher> handle_;
};

/// `text` quoted as an identifier for the connection (PQescapeIdentifier); throws
/// std::runtime_error when libpq refuses it (invalid encoding, no connection).
std::string pg_identifier(const pg_connection& connection, std::string_view text);
/// `text` quoted as a literal for the connection (PQescapeLiteral); throws like pg_identifier.
std::string pg_literal(const pg_connection& connection, std::string_view text);

}  // namespace blubridge::directory::detail
