#pragma once
#include "gateway_metrics.hpp"

#include <blubridge/upstream/client.hpp>

#include <memory>

namespace blubridge::gateway {

/// `inner` with every call counted and timed in `metrics` (by method, path template and
/// status), whoever makes it: requests, directory passes, callback renderings. Its pool
/// statistics and `retry_after` are `inner`'s.
std::shared_ptr<upstream::client> measured_upstream(std::shared_ptr<upstream::client> inner,
                                                    std::shared_ptr<gateway_metrics> metrics);

}  // namespace blubridge::gateway
