#include "detail/sqlite.hpp"

namespace blubridge::directory::detail {

sqlite_connection::sqlite_connection(const std::string& file) {
    sqlite3* db = nullptr;
    // The directory serialises every use of the connection itself.
    open_rc_ = sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                               nullptr);
    handle_.reset(db);
    if (db) sqlite3_extended_result_codes(db, 1);
}

std::string sqlite_connection::error() const {
    if (!handle_) return "out of memory";
    return sqlite3_errmsg(handle_.get());
}

int sqlite_connection::exec(const char* sql) { return sqlite3_exec(handle_.get(), sql, nullptr, nullptr, nullptr); }

int sqlite_statement::prepare(sqlite3* db, std::string_view sql) {
    sqlite3_stmt* s = nullptr;
    const int rc =
        sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s, nullptr);
    handle_.reset(s);
    return rc;
}

sqlite_statement& sqlite_statement::start() {
    sqlite3_reset(handle_.get());
    sqlite3_clear_bindings(handle_.get());
    bind_rc_ = SQLITE_OK;
    return *this;
}

sqlite_statement& sqlite_statement::bind(int index, std::int64_t value) {
    const int rc = sqlite3_bind_int64(handle_.get(), index, value);
    if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
    return *this;
}

sqlite_statement& sqlite_statement::bind(int index, std::string_view value) {
    // SQLITE_TRANSIENT: the caller's text may not outlive the step.
    // A null pointer would bind SQL NULL, not the empty text.
    const char* data = value.data() ? value.data() : "";
    const int rc = sqlite3_bind_text(handle_.get(), index, data, static_cast<int>(value.size()), SQLITE_TRANSIENT);
    if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
    return *this;
}

sqlite_statement& sqlite_statement::bind(int index, blob value) {
    // A null pointer would bind SQL NULL, not the empty blob.
    const char* data = value.bytes.data() ? value.bytes.data() : "";
    const int rc =
        sqlite3_bind_blob(handle_.get(), index, data, static_cast<int>(value.bytes.size()), SQLITE_TRANSIENT);
    if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
    return *this;
}

int sqlite_statement::step() {
    if (bind_rc_ != SQLITE_OK) return bind_rc_;
    return sqlite3_step(handle_.get());
}

int sqlite_statement::run() {
    int rc;
    while ((rc = step()) == SQLITE_ROW) {
    }
    reset();
    return rc;
}

void sqlite_statement::reset() { sqlite3_reset(handle_.get()); }

std::string_view sqlite_statement::text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(handle_.get(), column));
    const auto n = sqlite3_column_bytes(handle_.get(), column);
    return p ? std::string_view(p, static_cast<std::size_t>(n)) : std::string_view();
}

std::string_view sqlite_statement::bytes(int column) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(handle_.get(), column));
    const auto n = sqlite3_column_bytes(handle_.get(), column);
    return p ? std::string_view(p, static_cast<std::size_t>(n)) : std::string_view();
}

}  // namespace blubridge::directory::detail
