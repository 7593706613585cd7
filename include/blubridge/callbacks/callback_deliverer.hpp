#pragma once
// BluBilling "Website Callbacks": every customer transition the directory records is
// POSTed to each configured URL, from the directory's durable outbox, at least once.
#include <blubridge/config/gateway_config.hpp>
#include <blubridge/directory/customer_directory.hpp>
#include <blubridge/net.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace blubridge::callbacks {

/// The XML body for one transition (what GET /rest/customers/transitions would answer
/// for it alone). nullopt: it cannot be rendered now (Billagain down); retried later.
using renderer = std::function<net::awaitable<std::optional<std::string>>(const directory::transition&)>;

/// One line per delivery outcome, for the gateway's log. Never given a body. `problem`:
/// a failed attempt or a fault of the deliverer (logged as a warning), not a delivery.
using delivery_log = std::function<void(bool problem, std::string_view line)>;

/// Delivers the directory's outbox. Runs as coroutines on the given executor, never on a
/// request's path: a slow or dead receiver delays only its own deliveries. A 2xx answer
/// marks a delivery done; anything else (refused, timeout, other status) schedules it
/// again after retry_initial, doubling up to retry_max. Deliveries left pending at exit
/// are sent after the next start (the outbox is in SQLite).
///
/// - Each URL has one delivery in flight at most (oldest due first, over one keep-alive
///   connection); different URLs are delivered concurrently.
/// - `POST` with `Content-Type: application/xml; charset=utf-8` and the renderer's body;
///   user info in the URL (`https://user:pass@host/…`) is sent as Basic authorization.
/// - `settings.timeout` bounds the connect and, again, the request and answer.
/// - The outbox keeps whole seconds: a retry falls due at the first whole second after
///   its delay, so delays under a second come out as up to one second.
/// - A renderer answering nullopt (or throwing) counts as a failed attempt; a delivery
///   whose transition is no longer recorded is dropped; one for a URL no longer
///   configured is kept and looked at again every retry_max.
/// - One log line per outcome: `callback URL transition ID: delivered (HTTP 204)` or
///   `…: HTTP 500; attempt 3 failed, next attempt at 2026-11-26T10:00:05Z`. The URL is
///   written without user info and query; the body is never logged.
class callback_deliverer : public std::enable_shared_from_this<callback_deliverer> {
public:
    virtual ~callback_deliverer() = default;

    /// Starts delivering: at once for what is due, then whenever the directory queues
    /// more or a retry falls due. Thread-safe; a second call does nothing.
    virtual void start() = 0;
    /// Stops after the deliveries in flight (if any; their outcome is still recorded);
    /// pending ones stay in the outbox. Thread-safe; once stopped, start() does nothing.
    virtual void stop() = 0;
};

/// One HTTP(S) connection pool per configured URL (certificates verified, settings.ca_file
/// trusted in addition). Throws std::invalid_argument for a URL that is not http(s), and
/// std::runtime_error when the CA file cannot be loaded. Nothing is sent before start().
/// `blocking`, when set, runs the outbox's calls on the directory (a database round trip
/// each, with shared state) so that `executor`'s thread never waits for them.
std::shared_ptr<callback_deliverer> make_callback_deliverer(net::any_io_executor executor,
                                                            std::shared_ptr<directory::customer_directory> directory,
                                                            const config::callback_settings& settings, renderer render,
                                                            delivery_log log, net::any_io_executor blocking = {});

}  // namespace blubridge::callbacks
