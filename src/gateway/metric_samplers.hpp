#pragma once
#include "directory_sync.hpp"
#include "gateway_metrics.hpp"

#include <blubridge/directory/customer_directory.hpp>
#include <blubridge/upstream/client.hpp>

#include <memory>
#include <string>

namespace blubridge::gateway {

// Samplers hold what they read weakly: the metrics outlive it, and the measured upstream
// client (which the directory syncs hold) holds the metrics, so a strong hold would be a cycle.

/// Reads the upstream pool's use, queue and retries at each scrape.
gateway_metrics::sampler upstream_pool_sampler(std::weak_ptr<const upstream::client> upstream);

/// Reads one account's directory size, the age of its last pass and its callback outbox
/// at each scrape (one small SQLite read for the outbox).
gateway_metrics::sampler account_sampler(std::string account, std::weak_ptr<const directory::customer_directory> directory,
                                         std::weak_ptr<const directory_sync> account_sync);

}  // namespace blubridge::gateway
