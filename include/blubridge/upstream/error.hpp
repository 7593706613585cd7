#pragma once
#include <boost/system/error_code.hpp>

#include <type_traits>

namespace blubridge::upstream {

/// Why a request to the upstream (Billagain) produced no HTTP response.
/// An HTTP error status from the upstream is not an error here: it is a response.
enum class error {
    invalid_url = 1,        ///< the configured base URL cannot be used
    resolve_failed,         ///< the host name did not resolve
    connect_failed,         ///< TCP connect refused or unreachable (nothing was sent)
    tls_handshake_failed,   ///< certificate, host name or protocol mismatch
    timed_out,              ///< connect or request deadline passed
    connection_lost,        ///< reset or closed before a complete response arrived
    malformed_response,     ///< the bytes that came back are not HTTP, or too large
    pool_exhausted,         ///< every connection busy and the wait queue full
    circuit_open,           ///< the host failed repeatedly; requests are refused for a while
};

const boost::system::error_category& error_category() noexcept;

inline boost::system::error_code make_error_code(error e) noexcept {
    return {static_cast<int>(e), error_category()};
}

}  // namespace blubridge::upstream

template <>
struct boost::system::is_error_code_enum<blubridge::upstream::error> : std::true_type {};
