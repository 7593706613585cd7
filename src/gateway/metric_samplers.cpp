#include "metric_samplers.hpp"

#include <chrono>

namespace blubridge::gateway {

gateway_metrics::sampler upstream_pool_sampler(std::weak_ptr<const upstream::client> upstream) {
    return [upstream = std::move(upstream)](gateway_metrics& m) {
        if (const auto client = upstream.lock()) {
            const auto s = client->stats();
            m.set_upstream_pool(s.in_use, s.idle, s.waiting, s.retries);
        }
    };
}

gateway_metrics::sampler account_sampler(std::string account, std::weak_ptr<const directory::customer_directory> directory,
                                         std::weak_ptr<const directory_sync> account_sync) {
    return [account = std::move(account), directory = std::move(directory),
            account_sync = std::move(account_sync)](gateway_metrics& m) {
        using namespace std::chrono;
        const auto dir = directory.lock();
        const auto sync = account_sync.lock();
        if (!dir || !sync) return;
        const auto now = system_clock::now();
        std::optional<seconds> since_pass;
        if (const auto last = sync->last_pass()) since_pass = duration_cast<seconds>(now - *last);
        m.set_directory(account, dir->size(), since_pass);
        const auto outbox = dir->outbox();
        std::optional<seconds> oldest;
        if (outbox.oldest) oldest = seconds(duration_cast<seconds>(now.time_since_epoch()).count() - *outbox.oldest);
        m.set_outbox(account, outbox.depth, oldest);
    };
}

}  // namespace blubridge::gateway
