#pragma once
#include <blubridge/config/gateway_config.hpp>
#include <blubridge/directory/customer_directory.hpp>
#include <blubridge/log/logger.hpp>
#include <blubridge/net.hpp>
#include <blubridge/upstream/client.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace blubridge::gateway {

/// Keeps one Billagain account's customer directory current: a pass pages
/// `/v1/customers` at 200 per page with `parallel_pages` requests in flight, confirms by
/// id (one `POST /v1/by_customer_ids` per 200) the customers a pass did not see before
/// they are dropped (paging while others delete can skip a record), then finishes the
/// pass. Passes run in the background on their own strand, never on a request's path:
/// one at start, then one every `refresh_interval` (every 2 s while the first full sync
/// has not succeeded). A failed pass leaves the directory as it was and is logged.
class directory_sync : public std::enable_shared_from_this<directory_sync> {
public:
    /// `ids_member` is the by_customer_ids request's member (from the mappings).
    directory_sync(net::any_io_executor executor, std::shared_ptr<directory::customer_directory> directory,
                   std::shared_ptr<upstream::client> upstream, std::string authorization, std::string ids_member,
                   config::directory_settings settings, std::string account,
                   std::shared_ptr<const log::logger> logger);

    void start();
    /// Stops after the pass in flight (if any); no further passes.
    void stop();

    /// The Billagain authorization of the passes that begin from now on (a reload gave
    /// the account a new key). Thread-safe.
    void set_authorization(std::string authorization);

    /// One whole pass; false (logged) if Billagain failed or sent something unreadable.
    /// Its Billagain calls carry one `X-Request-Id`, also in its log line.
    net::awaitable<bool> run_pass();

    /// When the last pass completed; unset before the first. Thread-safe.
    std::optional<std::chrono::system_clock::time_point> last_pass() const;

private:
    struct pass_state;
    net::awaitable<void> loop(std::shared_ptr<directory_sync> self);
    net::awaitable<void> page_worker(std::shared_ptr<pass_state> state);
    net::awaitable<bool> confirm_unseen(pass_state& state);
    // A directory call that writes the store: with shared state (a database round trip
    // per page) on a thread of the sync's own, off the I/O threads; alone, inline.
    template <class Call>
    net::awaitable<std::invoke_result_t<Call>> in_store(Call call);

    net::strand<net::any_io_executor> strand_;
    std::shared_ptr<directory::customer_directory> directory_;
    std::shared_ptr<upstream::client> upstream_;
    std::string authorization_;
    std::string ids_member_;
    config::directory_settings settings_;
    std::string account_;
    std::shared_ptr<const log::logger> logger_;
    std::atomic<std::int64_t> last_pass_ms_{0};  // since the epoch; 0: none yet
    net::steady_timer timer_;
    bool stopped_ = false;
    // Alone a gateway always leads and says nothing; with shared state it says at start
    // whether it leads, and again at each change.
    std::optional<bool> leading_;
    std::unique_ptr<net::thread_pool> store_thread_;  // shared state only
};

}  // namespace blubridge::gateway
