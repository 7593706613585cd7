#pragma once
// Thin RAII over the SQLite C API: a connection and its prepared statements. Errors come
// back as SQLite result codes; the message is the connection's (sqlite3_errmsg).
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace blubridge::directory::detail {

/// Bytes to bind as a BLOB (a string_view binds TEXT).
struct blob {
    std::string_view bytes;
};

class sqlite_connection {
public:
    /// Opens (creating when missing) `file`. Check ok() and error().
    explicit sqlite_connection(const std::string& file);

    bool ok() const { return handle_ != nullptr && open_rc_ == SQLITE_OK; }
    sqlite3* get() const { return handle_.get(); }
    std::string error() const;
    /// Runs statements that return no rows; SQLITE_OK or the failure's code.
    int exec(const char* sql);

private:
    struct closer {
        void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
    };
    std::unique_ptr<sqlite3, closer> handle_;
    int open_rc_ = SQLITE_OK;
};

/// One prepared statement, reset before every use. Parameters are numbered from 1,
/// columns from 0.
class sqlite_statement {
public:
    sqlite_statement() = default;
    /// SQLITE_OK or the failure's code.
    int prepare(sqlite3* db, std::string_view sql);

    /// Clears the previous run's state and bindings.
    sqlite_statement& start();
    sqlite_statement& bind(int index, std::int64_t value);
    sqlite_statement& bind(int index, std::string_view value);
    sqlite_statement& bind(int index, blob value);
    /// SQLITE_ROW, SQLITE_DONE or a failure's code.
    int step();
    /// step() until done, then reset(): SQLITE_DONE or a failure's code.
    int run();
    /// Ends a run early or after reading rows, so no read transaction stays open.
    void reset();

    std::int64_t int64(int column) const { return sqlite3_column_int64(handle_.get(), column); }
    std::string_view text(int column) const;
    /// A BLOB (or TEXT) column's bytes.
    std::string_view bytes(int column) const;
    bool is_null(int column) const { return sqlite3_column_type(handle_.get(), column) == SQLITE_NULL; }

private:
    struct finalizer {
        void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
    };
    std::unique_ptr<sqlite3_stmt, finalizer> handle_;
    int bind_rc_ = SQLITE_OK;  // the first failed bind, reported by step()
};

}  // namespace blubridge::directory::detail
