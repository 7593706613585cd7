#include "request_stats.hpp"

#include "json_writer.hpp"

#include <algorithm>

namespace blubridge::sandbox {

void request_stats::count(const route_def* route, std::string_view request_id) {
    total_.fetch_add(1, std::memory_order_relaxed);
    if (!request_id.empty() && request_id.size() <= 128) {
        std::lock_guard lock(ids_mutex_);
        if (std::find(request_ids_.begin(), request_ids_.end(), request_id) == request_ids_.end()) {
            request_ids_.emplace_back(request_id);
            if (request_ids_.size() > kept_request_ids) request_ids_.pop_front();
        }
    }
    if (route) per_route_[static_cast<std::size_t>(route - routes.data())].fetch_add(1, std::memory_order_relaxed);
    else unmatched_.fetch_add(1, std::memory_order_relaxed);
}

std::string request_stats::to_json() const {
    std::string out;
    json_writer w(out);
    w.start_object();
    w.field("total", static_cast<std::int64_t>(total()));
    w.key("routes");
    w.start_object();
    for (std::size_t i = 0; i < routes.size(); ++i)
        if (const auto n = per_route_[i].load(std::memory_order_relaxed))
            w.field(routes[i].name, static_cast<std::int64_t>(n));
    w.end_object();
    w.field("unmatched", static_cast<std::int64_t>(unmatched_.load(std::memory_order_relaxed)));
    w.key("request_ids");
    w.start_array();
    {
        std::lock_guard lock(ids_mutex_);
        for (const auto& id : request_ids_) w.string(id);
    }
    w.end_array();
    w.end_object();
    return out;
}

void request_stats::clear() {
    total_.store(0, std::memory_order_relaxed);
    unmatched_.store(0, std::memory_order_relaxed);
    for (auto& c : per_route_) c.store(0, std::memory_order_relaxed);
    std::lock_guard lock(ids_mutex_);
    request_ids_.clear();
}

}  // namespace blubridge::sandbox
