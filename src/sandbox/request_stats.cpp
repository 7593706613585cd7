#include "request_stats.hpp"

#include "json_writer.hpp"

namespace blubridge::sandbox {

void request_stats::count(const route_def* route) {
    total_.fetch_add(1, std::memory_order_relaxed);
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
    w.end_object();
    return out;
}

void request_stats::clear() {
    total_.store(0, std::memory_order_relaxed);
    unmatched_.store(0, std::memory_order_relaxed);
    for (auto& c : per_route_) c.store(0, std::memory_order_relaxed);
}

}  // namespace blubridge::sandbox
