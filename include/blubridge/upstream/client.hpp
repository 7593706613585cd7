#pragma once
#include <blubridge/beast.hpp>
#include <blubridge/upstream/error.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <chrono>

namespace blubridge::upstream {

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

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
};

}  // namespace blubridge::upstream
