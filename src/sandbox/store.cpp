#include "store.hpp"

#include "detail/store_common.hpp"
#include "status_rules.hpp"

#include <random>

namespace blubridge::sandbox {

using detail::children_of;
using detail::no_content;
using detail::object_reserve;
using detail::read_lock;
using detail::render;
using detail::write_lock;

store::store() : rng_(std::random_device{}()) {}

store::store(store_state fixture) : state_(fixture), fixture_(std::move(fixture)), rng_(std::random_device{}()) {}

void store::reset() {
    write_lock lock(mutex_);
    state_ = fixture_;
}

std::size_t store::customer_count() const {
    read_lock lock(mutex_);
    return state_.customers.size();
}

std::pair<std::int64_t, std::int64_t> store::bulk_create_customers(std::size_t count) {
    write_lock lock(mutex_);
    const auto now = billagain_now();
    const std::int64_t first = state_.next_customer_id;
    state_.customers.reserve(state_.customers.size() + count);
    for (std::size_t i = 0; i < count; ++i) {
        customer c;
        c.id = state_.next_customer_id++;
        const auto n = std::to_string(c.id);
        c.reference = "BULK-" + n;
        c.name = "Bulk";
        c.last_name = "Customer " + n;
        c.email = "bulk" + n + "@example.com";
        c.city = "Port Elizabeth";
        c.country = "South Africa";
        c.country_id = 71;
        c.country_state = "";
        c.currency_code = "ZAR";
        c.payment_method = "eft";
        c.created_date = now;
        c.last_modified = now;
        state_.customers.insert(std::move(c));
    }
    return {first, state_.next_customer_id - 1};
}

std::int64_t store::active_subs(const customer& c, const billagain_time& now) const {
    auto it = state_.subscriptions_by_customer.find(c.id);
    if (it == state_.subscriptions_by_customer.end()) return 0;
    std::int64_t n = 0;
    for (auto sid : it->second)
        if (const auto* s = state_.subscriptions.find(sid); s && counts_as_active(compute_status(*s, now))) ++n;
    return n;
}

}  // namespace blubridge::sandbox
