#pragma once
#include <blubridge/beast.hpp>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <stdexcept>
#include <string>

namespace blubridge::gateway {

/// Why a request could not be served, as the client will be told: an HTTP status and
/// a sentence for the BluBilling error document. Never carries secret values.
struct failure {
    failure() = default;
    failure(http::status s, std::string m, std::string allowed = {})
        : status(s), message(std::move(m)), allow(std::move(allowed)) {}

    http::status status = http::status::internal_server_error;
    std::string message;
    /// For 405: the methods the resource accepts, for the `Allow` header.
    std::string allow;
    /// For 503 and 429: when to try again, for the `Retry-After` header (0: not sent).
    unsigned retry_after_seconds = 0;
    /// No Billagain answer came, and the request may have reached it (the connection broke
    /// or timed out after it was sent): a write may or may not have happened.
    bool outcome_unknown = false;
    /// The request clashes with the state of a customer (a duplicate extCustomerRef, a
    /// conflict Billagain reported): answered with the configured `conflict_status` (400 by
    /// default, as BluBilling answers failures; 409 if the configuration asks for it).
    bool clash = false;
};

inline failure bad_request(std::string message) { return {http::status::bad_request, std::move(message)}; }
inline failure not_found(std::string message) { return {http::status::not_found, std::move(message)}; }
inline failure conflict(std::string message) {
    failure f{http::status::bad_request, std::move(message)};
    f.clash = true;
    return f;
}
inline failure not_supported(std::string message) { return {http::status::not_implemented, std::move(message)}; }

/// Lets `boost::system::result<T, failure>::value()` throw; the request path checks
/// `has_value()` instead and never reaches this.
[[noreturn]] inline void throw_exception_from_error(const failure& f, const boost::source_location&) {
    throw std::runtime_error(f.message);
}

/// What a step of an operation gives: its value, or the failure the client will be told.
template <class T>
using step = boost::system::result<T, failure>;

}  // namespace blubridge::gateway
