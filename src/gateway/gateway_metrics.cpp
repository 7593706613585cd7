#include "gateway_metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <charconv>
#include <shared_mutex>
#include <sstream>
#include <unordered_map>

namespace blubridge::gateway {

namespace {

// From 5 ms (a directory lookup) to 30 s (the default upstream request timeout).
const prometheus::Histogram::BucketBoundaries latency_buckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                              0.5,   1,    2.5,   5,    10,  30};

double seconds(std::chrono::microseconds d) { return static_cast<double>(d.count()) / 1e6; }

std::string status_label(unsigned status) { return status == 0 ? "error" : std::to_string(status); }

}  // namespace

struct gateway_metrics::families {
    prometheus::Registry registry;
    prometheus::Family<prometheus::Counter>& requests =
        prometheus::BuildCounter().Name("blubridge_requests_total")
            .Help("Client requests answered, by route and status").Register(registry);
    prometheus::Family<prometheus::Histogram>& request_seconds =
        prometheus::BuildHistogram().Name("blubridge_request_duration_seconds")
            .Help("Time to answer a client request, by route").Register(registry);
    prometheus::Family<prometheus::Counter>& upstream =
        prometheus::BuildCounter().Name("blubridge_upstream_requests_total")
            .Help("Billagain calls, by method, path template and status (error: no answer)").Register(registry);
    prometheus::Family<prometheus::Histogram>& upstream_seconds =
        prometheus::BuildHistogram().Name("blubridge_upstream_request_duration_seconds")
            .Help("Time of a Billagain call, retries included, by method and path template").Register(registry);
    prometheus::Counter& retries =
        prometheus::BuildCounter().Name("blubridge_upstream_retries_total")
            .Help("Billagain requests sent again after a failed attempt").Register(registry).Add({});
    prometheus::Family<prometheus::Gauge>& pool =
        prometheus::BuildGauge().Name("blubridge_upstream_connections")
            .Help("Connections to Billagain, by state (in_use, idle)").Register(registry);
    prometheus::Gauge& waiting =
        prometheus::BuildGauge().Name("blubridge_upstream_waiting_requests")
            .Help("Requests waiting for a free Billagain connection").Register(registry).Add({});
    prometheus::Gauge& client_connections =
        prometheus::BuildGauge().Name("blubridge_client_connections")
            .Help("Client connections open").Register(registry).Add({});
    prometheus::Family<prometheus::Gauge>& directory_customers =
        prometheus::BuildGauge().Name("blubridge_directory_customers")
            .Help("Customers in an account's directory").Register(registry);
    prometheus::Family<prometheus::Gauge>& since_pass =
        prometheus::BuildGauge().Name("blubridge_directory_seconds_since_pass")
            .Help("Seconds since an account's last completed directory pass").Register(registry);
    prometheus::Family<prometheus::Gauge>& outbox_depth =
        prometheus::BuildGauge().Name("blubridge_callback_outbox_depth")
            .Help("Callback deliveries queued, by account").Register(registry);
    prometheus::Family<prometheus::Gauge>& outbox_oldest =
        prometheus::BuildGauge().Name("blubridge_callback_outbox_oldest_seconds")
            .Help("Age of the oldest queued callback delivery, by account (0: none)").Register(registry);
    prometheus::Family<prometheus::Counter>& reloads =
        prometheus::BuildCounter().Name("blubridge_reloads_total")
            .Help("Configuration reloads, by result (ok, failed)").Register(registry);

    // The counter and histogram of one label set, found once: prometheus-cpp's Add builds
    // a label map, hashes it and takes the family's lock on every call, which showed in
    // the request path's profile. Series of these families are never removed, so the
    // pointers stay valid.
    struct series {
        prometheus::Counter* count;
        prometheus::Histogram* seconds;
    };
    std::shared_mutex series_mutex;
    // Looked up by string_view (transparent hash and equality): a request builds its key
    // in a reused buffer, not a new string.
    struct key_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view k) const noexcept { return std::hash<std::string_view>{}(k); }
    };
    std::unordered_map<std::string, series, key_hash, std::equal_to<>> series_by_key;

    template <class Make>
    series find_or_add(std::string_view key, Make make) {
        {
            std::shared_lock lock(series_mutex);
            if (auto it = series_by_key.find(key); it != series_by_key.end()) return it->second;
        }
        const series made = make();  // Add is idempotent for the same labels
        std::unique_lock lock(series_mutex);
        return series_by_key.try_emplace(std::string(key), made).first->second;
    }
};

gateway_metrics::gateway_metrics() : families_(std::make_unique<families>()) {
    // Present from the start, so a dashboard shows 0 rather than no data.
    families_->reloads.Add({{"result", "ok"}});
    families_->reloads.Add({{"result", "failed"}});
}

gateway_metrics::~gateway_metrics() = default;

namespace {

// "kind\nlabel\n…\nstatus" in this thread's buffer: the key of a label set's series.
std::string_view series_key(std::initializer_list<std::string_view> labels, unsigned status) {
    thread_local std::string key;
    key.clear();
    for (const auto label : labels) key.append(label).push_back('\n');
    char digits[8];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, status);
    key.append(digits, ec == std::errc{} ? end : digits);
    return key;
}

}  // namespace

void gateway_metrics::request_done(std::string_view route, unsigned status, std::chrono::microseconds duration) {
    const auto s = families_->find_or_add(series_key({"request", route}, status), [&] {
        const std::string r(route);
        return families::series{&families_->requests.Add({{"route", r}, {"status", status_label(status)}}),
                                &families_->request_seconds.Add({{"route", r}}, latency_buckets)};
    });
    s.count->Increment();
    s.seconds->Observe(seconds(duration));
}

void gateway_metrics::upstream_done(std::string_view method, std::string_view route, unsigned status,
                                    std::chrono::microseconds duration) {
    const auto s = families_->find_or_add(series_key({"upstream", method, route}, status), [&] {
        const std::string m(method), r(route);
        return families::series{
            &families_->upstream.Add({{"method", m}, {"route", r}, {"status", status_label(status)}}),
            &families_->upstream_seconds.Add({{"method", m}, {"route", r}}, latency_buckets)};
    });
    s.count->Increment();
    s.seconds->Observe(seconds(duration));
}

void gateway_metrics::reload_done(bool ok) { families_->reloads.Add({{"result", ok ? "ok" : "failed"}}).Increment(); }

void gateway_metrics::set_upstream_pool(std::size_t in_use, std::size_t idle, std::size_t waiting,
                                        std::uint64_t retries_total) {
    families_->pool.Add({{"state", "in_use"}}).Set(static_cast<double>(in_use));
    families_->pool.Add({{"state", "idle"}}).Set(static_cast<double>(idle));
    families_->waiting.Set(static_cast<double>(waiting));
    // The pool counts its retries; the counter follows that total (it only ever grows).
    const auto more = static_cast<double>(retries_total) - families_->retries.Value();
    if (more > 0) families_->retries.Increment(more);
}

void gateway_metrics::set_client_connections(std::size_t open) {
    families_->client_connections.Set(static_cast<double>(open));
}

void gateway_metrics::set_directory(std::string_view account, std::size_t customers,
                                    std::optional<std::chrono::seconds> since_last_pass) {
    const prometheus::Labels labels{{"account", std::string(account)}};
    families_->directory_customers.Add(labels).Set(static_cast<double>(customers));
    if (since_last_pass) families_->since_pass.Add(labels).Set(static_cast<double>(since_last_pass->count()));
}

void gateway_metrics::set_outbox(std::string_view account, std::size_t depth,
                                 std::optional<std::chrono::seconds> oldest) {
    const prometheus::Labels labels{{"account", std::string(account)}};
    families_->outbox_depth.Add(labels).Set(static_cast<double>(depth));
    families_->outbox_oldest.Add(labels).Set(oldest ? static_cast<double>(oldest->count()) : 0.0);
}

void gateway_metrics::add_sampler(sampler s) {
    std::lock_guard lock(scrape_mutex_);
    samplers_.push_back(std::move(s));
}

std::string gateway_metrics::exposition() {
    std::lock_guard lock(scrape_mutex_);
    for (const auto& s : samplers_) s(*this);
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, families_->registry.Collect());
    return out.str();
}

}  // namespace blubridge::gateway
