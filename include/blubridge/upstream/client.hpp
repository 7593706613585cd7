#pragma once
#include <blubridge/beast.hpp>
#include <blubridge/upstream/error.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace blubridge::upstream {

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

/// How a client's connections are used right now, and its retries so far (for metrics).
struct pool_stats {
    std::size_t in_use = 0;        ///< connections carrying a request (or being opened for one)
    std::size_t idle = 0;          ///< open connections kept for reuse
    std::size_t waiting = 0;       ///< requests queued for a free connection
    std::uint64_t retries = 0;     ///< requests sent again after a failed attempt, since start
};

/// The gateway's view of the upstream API: send one request, get one response.
///
/// Implementations own connection reuse, timeouts and the retry policy, so callers (the
/// operations) never see a stale keep-alive connection. A response with an HTTP error
/// status is a successful result; only transport failures are errors (`upstream::error`).
/// Thread-safe: called concurrently from every session.
class client {
public:
    virtual ~client() = default;

    /// `req.target()` is origin-form (`/v1/customers/5?page=1`); the client fills in
    /// `Host` and prefixes the base URL's path. Authorization is the caller's.
    virtual boost::asio::awaitable<boost::system::result<response>> send(request req) = 0;

    /// While `send` fails at once with `error::circuit_open`: the whole seconds (rounded
    /// up, at least 1) until a request will be let through again, for a `Retry-After`.
    /// 0 while requests go through. The default (a client without a breaker) is 0.
    virtual std::chrono::seconds retry_after() const { return {}; }

    /// Whether requests go out freely (the circuit breaker is closed), so a caller may send
    /// several at once; false while it is open or lets a single probe through, when two
    /// concurrent requests would see one of them refused. The default is true.
    virtual bool healthy() const { return true; }

    /// Its pool's use and retries; a client without a pool reports zeros (the default).
    virtual pool_stats stats() const { return {}; }
};

}  // namespace blubridge::upstream
