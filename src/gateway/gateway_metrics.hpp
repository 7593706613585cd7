#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blubridge::gateway {

/// The gateway's Prometheus metrics (prometheus-cpp's registry, text exposition format).
///
/// Counted as things happen: requests by route and status with a latency histogram by
/// route (`request_done`, from the request log), Billagain calls by method, path template
/// and status with a latency histogram (`upstream_done`), reloads (`reload_done`).
/// Read when scraped, through samplers: connection pool use and queue, upstream retries,
/// open client connections, each account's directory and callback outbox.
/// Thread-safe. Holds no global state: one object per process, passed to whoever counts.
class gateway_metrics {
public:
    gateway_metrics();
    ~gateway_metrics();
    gateway_metrics(const gateway_metrics&) = delete;
    gateway_metrics& operator=(const gateway_metrics&) = delete;

    /// A client request answered: `route` is the router's route name (a small fixed set).
    void request_done(std::string_view route, unsigned status, std::chrono::microseconds duration);
    /// A Billagain call answered (`status` 0: no answer came, counted as status "error").
    void upstream_done(std::string_view method, std::string_view route, unsigned status,
                       std::chrono::microseconds duration);
    /// A configuration reload applied (`ok`) or refused.
    void reload_done(bool ok);

    /// Values read at scrape time, set by samplers (below).
    void set_upstream_pool(std::size_t in_use, std::size_t idle, std::size_t waiting, std::uint64_t retries_total);
    void set_client_connections(std::size_t open);
    /// `since_last_pass`: unset before the account's first completed directory pass.
    void set_directory(std::string_view account, std::size_t customers,
                       std::optional<std::chrono::seconds> since_last_pass);
    /// `oldest`: the age of the oldest queued callback delivery; unset when none is queued.
    void set_outbox(std::string_view account, std::size_t depth, std::optional<std::chrono::seconds> oldest);

    /// Called at each scrape, before the text is made, to set the read-at-scrape values.
    using sampler = std::function<void(gateway_metrics&)>;
    void add_sampler(sampler s);

    /// Every metric in Prometheus' text format (version 0.0.4).
    std::string exposition();

private:
    struct families;
    std::unique_ptr<families> families_;
    std::mutex scrape_mutex_;  // one scrape at a time runs the samplers
    std::vector<sampler> samplers_;
};

}  // namespace blubridge::gateway
