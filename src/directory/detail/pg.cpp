#include "detail/pg.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <stdexcept>

namespace blubridge::directory::detail {

namespace {

std::string without_trailing_newline(const char* message) {
    std::string text = message ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

// libpq echoes parts of a conninfo it cannot parse; the password must not travel with it.
std::string without(std::string text, const std::string& secret) {
    if (secret.empty()) return text;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3))
        text.replace(at, secret.size(), "***");
    return text;
}

std::int64_t parse_int64(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size() ? value : 0;
}

// A failed call's result, so error() and sqlstate() always have something to report.
PGresult* failed(PGconn* connection) { return PQmakeEmptyPGresult(connection, PGRES_FATAL_ERROR); }

}  // namespace

pg_params& pg_params::add(std::string_view text) {
    texts_.emplace_back(text);
    nulls_.push_back(false);
    return *this;
}

pg_params& pg_params::add(std::int64_t value) { return add(std::string_view(std::to_string(value))); }

pg_params& pg_params::add(std::uint64_t value) { return add(static_cast<std::int64_t>(value)); }

pg_params& pg_params::add(int value) { return add(static_cast<std::int64_t>(value)); }

pg_params& pg_params::add_null() {
    texts_.emplace_back();
    nulls_.push_back(true);
    return *this;
}

const char* const* pg_params::values() const {
    // Rebuilt on every call: growing texts_ moves short strings' characters.
    pointers_.resize(texts_.size());
    for (std::size_t i = 0; i < texts_.size(); ++i) pointers_[i] = nulls_[i] ? nullptr : texts_[i].c_str();
    return pointers_.data();
}

void pg_result::clearer::operator()(PGresult* r) const { PQclear(r); }

bool pg_result::ok() const {
    const auto status = PQresultStatus(handle_.get());
    return handle_ && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK);
}

int pg_result::rows() const { return handle_ ? PQntuples(handle_.get()) : 0; }

bool pg_result::null(int row, int column) const { return PQgetisnull(handle_.get(), row, column) != 0; }

std::string_view pg_result::text(int row, int column) const {
    const char* value = PQgetvalue(handle_.get(), row, column);
    if (!value) return {};
    return {value, static_cast<std::size_t>(PQgetlength(handle_.get(), row, column))};
}

std::int64_t pg_result::int64(int row, int column) const {
    return null(row, column) ? 0 : parse_int64(text(row, column));
}

std::size_t pg_result::affected() const {
    if (!handle_) return 0;
    return static_cast<std::size_t>(parse_int64(PQcmdTuples(handle_.get())));
}

std::string pg_result::error() const {
    if (!handle_) return "no result (out of memory or not connected)";
    return without_trailing_newline(PQresultErrorMessage(handle_.get()));
}

std::string_view pg_result::sqlstate() const {
    const char* state = handle_ ? PQresultErrorField(handle_.get(), PG_DIAG_SQLSTATE) : nullptr;
    return state ? std::string_view(state) : std::string_view();
}

void pg_connection::finisher::operator()(PGconn* c) const { PQfinish(c); }

pg_connection::pg_connection(const std::string& conninfo, const std::string& password) {
    // expand_dbname: the first "dbname" is the whole conninfo or URI; a later keyword wins.
    const char* keywords[] = {"dbname", "fallback_application_name", "password", nullptr};
    const char* values[] = {conninfo.c_str(), "blubridge", password.c_str(), nullptr};
    if (password.empty()) keywords[2] = nullptr;
    handle_.reset(PQconnectdbParams(keywords, values, 1));
    if (!ok()) {
        const std::string message = handle_ ? error() : "out of memory";
        handle_.reset();
        throw std::runtime_error("PostgreSQL: " + without(message, password));
    }
}

bool pg_connection::ok() const { return handle_ && PQstatus(handle_.get()) == CONNECTION_OK; }

pg_result pg_connection::exec(std::string_view sql) {
    if (!handle_) return {};
    PGresult* r = PQexec(handle_.get(), std::string(sql).c_str());
    return pg_result(r ? r : failed(handle_.get()));
}

pg_result pg_connection::exec(std::string_view sql, const pg_params& params) {
    if (!handle_) return {};
    PGresult* r = PQexecParams(handle_.get(), std::string(sql).c_str(), params.size(), nullptr, params.values(),
                               nullptr, nullptr, 0);
    return pg_result(r ? r : failed(handle_.get()));
}

bool pg_connection::prepare(std::string_view name, std::string_view sql, int params) {
    if (!handle_) return false;
    const pg_result r(PQprepare(handle_.get(), std::string(name).c_str(), std::string(sql).c_str(), params, nullptr));
    return r.ok();
}

pg_result pg_connection::exec_prepared(std::string_view name, const pg_params& params) {
    if (!handle_) return {};
    PGresult* r = PQexecPrepared(handle_.get(), std::string(name).c_str(), params.size(), params.values(), nullptr,
                                 nullptr, 0);
    return pg_result(r ? r : failed(handle_.get()));
}

std::string pg_connection::error() const {
    if (!handle_) return "not connected";
    return without_trailing_newline(PQerrorMessage(handle_.get()));
}

bool pg_connection::reset() {
    if (!handle_) return false;
    PQreset(handle_.get());
    return ok();
}

std::optional<pg_notification> pg_connection::next_notification() {
    if (!handle_) return std::nullopt;
    PQconsumeInput(handle_.get());  // on failure ok() turns false; what was read still counts
    PGnotify* notify = PQnotifies(handle_.get());
    if (!notify) return std::nullopt;
    pg_notification n{notify->relname ? notify->relname : "", notify->extra ? notify->extra : "", notify->be_pid};
    PQfreemem(notify);
    return n;
}

int pg_connection::socket() const { return handle_ ? PQsocket(handle_.get()) : -1; }

int pg_connection::backend_pid() const { return handle_ ? PQbackendPID(handle_.get()) : 0; }

namespace {

template <class Escape>
std::string escaped(const pg_connection& connection, std::string_view text, Escape escape, const char* what) {
    char* quoted = connection.get() ? escape(connection.get(), text.data(), text.size()) : nullptr;
    if (!quoted) throw std::runtime_error(std::string("PostgreSQL: cannot quote ") + what + ": " + connection.error());
    std::string result(quoted);
    PQfreemem(quoted);
    return result;
}

}  // namespace

std::string pg_identifier(const pg_connection& connection, std::string_view text) {
    return escaped(connection, text, PQescapeIdentifier, "an identifier");
}

std::string pg_literal(const pg_connection& connection, std::string_view text) {
    return escaped(connection, text, PQescapeLiteral, "a literal");
}

}  // namespace blubridge::directory::detail
