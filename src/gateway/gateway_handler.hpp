#pragma once
#include "account_registry.hpp"
#include "keyed_mutex.hpp"
#include "request_log.hpp"
#include "runtime.hpp"

#include <blubridge/auth/failure_limiter.hpp>
#include <blubridge/http/handler.hpp>
#include <blubridge/upstream/client.hpp>

#include <boost/asio/thread_pool.hpp>

#include <memory>

namespace blubridge::gateway {

/// The gateway's request path: authenticate the client, route the BluBilling request,
/// run its operation against Billagain, answer in BluBilling XML — errors included — and
/// record the request once in the request log.
///
/// Every other request needs HTTP Basic credentials of a configured client: none, or wrong
/// ones, are 401 with `WWW-Authenticate`. Failed attempts are counted per client address
/// (`auth:` of the configuration at start, see auth::failure_limiter): an address that
/// failed too often is answered 429 with `Retry-After`, without its credentials being
/// checked, until its lockout ends. A request without an `Authorization` header is not
/// counted (some clients send credentials only after a challenge).
///
/// `GET /readyz` (no credentials) answers 200 once every account's customer directory
/// has completed a full sync (accounts a reload added excepted: account_registry::ready),
/// 503 before: for load balancers and systemd readiness.
/// `GET /healthz` (no credentials) answers 200 whenever the process serves requests at
/// all, directory synced or not: a liveness probe.
class gateway_handler final : public http_server::handler {
public:
    /// Each request takes the current snapshot of `runtimes`, its accounts included.
    gateway_handler(std::shared_ptr<runtime_holder> runtimes, std::shared_ptr<upstream::client> upstream,
                    std::shared_ptr<request_log> log);

    net::awaitable<http_server::reply> handle(http_server::request req, http_server::connection_info conn) override;

    /// A BluBilling `<status>` error document for requests refused by the server itself.
    http_server::response protocol_error(http::status status, std::string_view reason,
                                         unsigned version) const override;

private:
    /// Authentication: the client's index, or the 401 or 429 to answer. PBKDF2 (slow on
    /// purpose) runs on `auth_pool_`, never on an I/O thread, so unknown or wrong passwords
    /// cannot stall other clients' requests; `limiter_` keeps one address from queueing
    /// more than its allowance of checks there.
    net::awaitable<boost::system::result<std::size_t, failure>> authenticate(std::shared_ptr<const runtime> rt,
                                                                             std::string_view header,
                                                                             const net::ip::address& from);

    std::shared_ptr<runtime_holder> runtimes_;
    std::shared_ptr<upstream::client> upstream_;
    std::shared_ptr<keyed_mutex> locks_ = std::make_shared<keyed_mutex>();
    std::shared_ptr<request_log> log_;
    auth::failure_limiter limiter_;
    net::thread_pool auth_pool_{1};
};

}  // namespace blubridge::gateway
