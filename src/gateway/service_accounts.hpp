#pragma once
#include "account_registry.hpp"
#include "directory_sync.hpp"
#include "gateway_metrics.hpp"
#include "runtime.hpp"

#include <blubridge/callbacks/callback_deliverer.hpp>
#include <blubridge/directory/customer_directory.hpp>
#include <blubridge/log/logger.hpp>
#include <blubridge/net.hpp>
#include <blubridge/upstream/client.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace blubridge::gateway {

/// The directory options of `account_id` under `rt`: its SQLite file in `state_dir`
/// (`directory-<account>.sqlite3`), the fields and status names its customer mapping
/// declares, the configured callback URLs.
directory::directory_options directory_options_for(const runtime& rt, std::string_view account_id);

/// The record fields and status names a directory is opened with, as one comparable
/// value: a reload may not change them under open directories.
std::string directory_shape(const runtime& rt);

/// The background side of every Billagain account the clients use: its customer
/// directory (opened from `state_dir`), the sync that keeps it current and, with
/// `callbacks.urls`, the deliverer of its callbacks. At start-up and at each reload:
/// `open` the accounts of the new snapshot, serve a snapshot holding the registry it gave,
/// then `commit`. Thread-safe.
class service_accounts {
public:
    /// Passes, deliveries and their failures go to `logger`; each started account's
    /// directory and outbox are sampled by `metrics`.
    service_accounts(net::any_io_executor executor, std::shared_ptr<runtime_holder> runtimes,
                     std::shared_ptr<upstream::client> upstream, std::shared_ptr<const log::logger> logger,
                     std::shared_ptr<gateway_metrics> metrics);

    /// The accounts `next`'s clients use: those open already as they are, the others
    /// opened now (not syncing yet). Throws std::exception when a directory cannot be
    /// opened; nothing that serves is changed then.
    std::shared_ptr<const account_registry> open(const runtime& next);

    /// Once `next` (holding the registry `open` gave for it) serves: starts the new
    /// accounts' sync and callbacks, gives the kept ones `next`'s Billagain key, and stops
    /// those no client uses any more (their requests in flight finish). Does nothing after
    /// `stop`.
    void commit(const runtime& next);

    /// Stops every sync and deliverer (the drain at SIGTERM).
    void stop();

private:
    struct running {
        account acct;
        std::shared_ptr<directory_sync> sync;
        std::shared_ptr<callbacks::callback_deliverer> deliverer;
    };
    running start_account(const runtime& rt, const account& acct, const std::string& authorization);

    net::any_io_executor executor_;
    std::shared_ptr<runtime_holder> runtimes_;
    std::shared_ptr<upstream::client> upstream_;
    std::shared_ptr<const log::logger> logger_;
    std::shared_ptr<gateway_metrics> metrics_;
    std::mutex mutex_;
    std::map<std::string, running, std::less<>> running_;
    bool started_ = false;  ///< an account opened after the first commit does not gate readiness
    bool stopped_ = false;
};

}  // namespace blubridge::gateway
