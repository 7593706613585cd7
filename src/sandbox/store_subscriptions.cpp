#include "store.hpp"

#include "detail/store_common.hpp"
#include "representation.hpp"
#include "status_rules.hpp"

#include <algorithm>
#include <limits>

namespace blubridge::sandbox {
namespace {

// `comp_nextInvDate`: the next invoice goes out numDaysBeforeToInv days before the renewal.
void refresh_next_invoice(subscription& s) {
    if (!s.last_inv_date) s.next_renew_date = s.start_date;
    s.comp_next_inv_date =
        s.next_renew_date ? std::optional(add_days(*s.next_renew_date, -s.num_days_before_to_inv)) : std::nullopt;
}

// The first period boundary strictly after `now` (cancel "at renewal" ends there).
billagain_time next_renewal_after(const subscription& s, const billagain_time& now) {
    if (now < s.start_date) return s.start_date;
    billagain_time t = s.start_date;
    for (int i = 1; i < 100'000 && !(now < t); ++i)
        t = s.term_type == "days" ? add_days(s.start_date, s.term * i)
                                  : add_months(s.start_date, static_cast<int>(s.term * i));
    return t;
}

void apply_subscription(subscription& s, const subscription_input& in) {
    s.package_id = in.package_id;
    s.package_version_id = in.package_version_id;
    s.package_version_number = in.package_version_number;
    s.package_rate_term_id = in.package_rate_term_id;
    s.components = in.components;
    s.start_date = in.start_date;
    s.first_prorata_sync_date = in.first_prorata_sync_date;
    s.end_date = in.end_date;
    s.num_days_before_to_inv = in.num_days_before_to_inv;
    s.term = in.term;
    s.term_type = in.term_type;
    s.is_pro_rata = in.first_prorata_sync_date.has_value();
    s.pending_change.reset();
    refresh_next_invoice(s);
}

api_error customer_mismatch() {
    return bad_request("The customerID does not match the customer of this Subscription.");
}

}  // namespace

using detail::children_of;
using detail::no_content;
using detail::object_reserve;
using detail::read_lock;
using detail::render;
using detail::write_lock;

// ---- subscriptions --------------------------------------------------------------------

subscription& store::add_subscription(std::int64_t customer_id, const subscription_input& in,
                                      const billagain_time& now) {
    subscription s;
    s.id = state_.next_subscription_id++;
    s.customer_id = customer_id;
    apply_subscription(s, in);
    s.last_modified = now;
    index_add(state_.subscriptions_by_customer, customer_id, s.id);
    return state_.subscriptions.insert(std::move(s));
}

namespace {
struct subscription_renderer {
    const store_state& state;
    billagain_time now;

    void operator()(json_writer& w, const subscription& s, bool created = false) const {
        subscription_context ctx;
        ctx.owner = state.customers.find(s.customer_id);
        if (auto it = state.package_names.find(s.package_id); it != state.package_names.end())
            ctx.package_name = &it->second;
        ctx.now = now;
        ctx.created = created;
        write_subscription(w, s, ctx);
    }
};
}  // namespace

result<api_answer> store::list_subscriptions(const page_request& p) const {
    const auto now = billagain_now();
    read_lock lock(mutex_);
    subscription_renderer r{state_, now};
    return api_answer{200, render(p.page_size * 512, [&](json_writer& w) {
                          w.start_array();
                          for_each_on_page(state_.subscriptions.order(), p,
                                           [&](std::int64_t id) { r(w, *state_.subscriptions.find(id)); });
                          w.end_array();
                      })};
}

result<api_answer> store::list_customer_subscriptions(std::int64_t customer_id, const page_request& p) const {
    const auto now = billagain_now();
    read_lock lock(mutex_);
    if (!state_.customers.contains(customer_id)) return customer_not_found();
    const auto& ids = children_of(state_.subscriptions_by_customer, customer_id);
    subscription_renderer r{state_, now};
    return api_answer{200, render(1024, [&](json_writer& w) {
                          w.start_array();
                          for_each_on_page(ids, p, [&](std::int64_t id) { r(w, *state_.subscriptions.find(id)); });
                          w.end_array();
                      })};
}

result<api_answer> store::get_subscription(std::int64_t id) const {
    const auto now = billagain_now();
    read_lock lock(mutex_);
    const subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    subscription_renderer r{state_, now};
    return api_answer{200, render(1024, [&](json_writer& w) { r(w, *s); })};
}

result<api_answer> store::create_subscription(const subscription_input& in) {
    const auto now = billagain_now();
    write_lock lock(mutex_);
    if (!in.customer_id || !state_.customers.contains(*in.customer_id)) return customer_not_found();
    const subscription& s = add_subscription(*in.customer_id, in, now);
    subscription_renderer r{state_, now};
    return api_answer{201, render(1024, [&](json_writer& w) { r(w, s, true); })};
}

result<api_answer> store::cancel_subscription(std::int64_t id, const cancel_input& in) {
    const auto now = billagain_now();
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    if (s->is_cancelled) return bad_request("The Subscription is already cancelled.");
    if (compute_status(*s, now) == subscription_status::expired)
        return bad_request("The Subscription has expired and cannot be cancelled.");
    s->is_cancelled = true;
    s->end_date = in.cancel_type == "immediate" ? now : next_renewal_after(*s, now);
    s->last_modified = now;
    return no_content();
}

result<api_answer> store::change_package(std::int64_t id, const change_package_input& in) {
    const auto now = billagain_now();
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    if (s->customer_id != in.customer_id) return customer_mismatch();
    if (in.change_date && now < *in.change_date) {
        // A dated change waits (isFutureChange); the sandbox runs no scheduler, so it stays
        // pending until DELETE …/futurechanges removes it.
        s->pending_change = pending_package_change{in.package_id, in.package_version_id,
                                                   in.package_version_number, *in.change_date, in.is_pro_rata};
    } else {
        s->package_id = in.package_id;
        s->package_version_id = in.package_version_id;
        s->package_version_number = in.package_version_number;
        s->is_pro_rata = in.is_pro_rata;
        s->pending_change.reset();
    }
    s->last_modified = now;
    return no_content();
}

result<api_answer> store::change_term(std::int64_t id, const change_term_input& in) {
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    if (s->customer_id != in.customer_id) return customer_mismatch();
    s->package_id = in.package_id;
    // Billagain's seed sends 0 for "not given".
    if (in.package_version_id && *in.package_version_id != 0) s->package_version_id = in.package_version_id;
    if (in.package_version_number && *in.package_version_number != 0)
        s->package_version_number = in.package_version_number;
    if (in.package_rate_term_id && *in.package_rate_term_id != 0) s->package_rate_term_id = in.package_rate_term_id;
    if (in.components) s->components = *in.components;
    if (in.term) s->term = *in.term;
    if (in.term_type) s->term_type = *in.term_type;
    s->last_modified = billagain_now();
    return no_content();
}

result<api_answer> store::change_start_date(std::int64_t id, const change_start_input& in) {
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    const auto start = in.has_start_date ? in.start_date : s->start_date;
    if (s->end_date && *s->end_date < start) return bad_request("The StartDate must not be after the EndDate.");
    s->start_date = start;
    if (in.has_first_prorata_sync_date) {
        s->first_prorata_sync_date = in.first_prorata_sync_date;
        s->is_pro_rata = in.first_prorata_sync_date.has_value();
    }
    refresh_next_invoice(*s);
    s->last_modified = billagain_now();
    return no_content();
}

result<api_answer> store::change_end_date(std::int64_t id, const change_end_input& in) {
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    if (in.end_date && *in.end_date < s->start_date) return bad_request("The EndDate must not be before the StartDate.");
    s->end_date = in.end_date;
    s->last_modified = billagain_now();
    return no_content();
}

result<api_answer> store::reactivate_subscription(std::int64_t id, const subscription_input& in) {
    const auto now = billagain_now();
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    if (!in.customer_id || *in.customer_id != s->customer_id) return customer_mismatch();
    const auto status = compute_status(*s, now);
    if (status != subscription_status::cancelled && status != subscription_status::expired)
        return bad_request("Only a cancelled or expired Subscription can be reactivated.");
    apply_subscription(*s, in);
    s->is_cancelled = false;
    s->last_modified = now;
    return no_content();
}

result<api_answer> store::remove_future_changes(std::int64_t id) {
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    if (s->pending_change) {
        s->pending_change.reset();
        s->last_modified = billagain_now();
    }
    return no_content();
}

result<api_answer> store::modify_components(std::int64_t id, const modify_components_input& in) {
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    if (s->customer_id != in.customer_id) return customer_mismatch();
    for (const auto& c : in.components) {
        auto it = std::find_if(s->components.begin(), s->components.end(),
                               [&](const component_usage& u) { return u.component_id == c.component_id; });
        if (it == s->components.end()) {
            s->components.push_back(c);
        } else {
            if (c.component_version_id) it->component_version_id = c.component_version_id;
            if (c.component_version_number != 0) it->component_version_number = c.component_version_number;
            it->num_units = c.num_units;
            it->is_set_units = true;
        }
    }
    s->last_modified = billagain_now();
    return no_content();
}

result<api_answer> store::record_usage(std::int64_t id, const record_usage_input& in) {
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    if (s->customer_id != in.customer_id) return customer_mismatch();
    auto it = std::find_if(s->components.begin(), s->components.end(),
                           [&](const component_usage& u) { return u.component_id == in.component_id; });
    if (it == s->components.end())
        return bad_request("Cannot find Component " + std::to_string(in.component_id) + " on this Subscription.");
    if (in.is_decrease && in.quantity > it->num_units)
        return bad_request("The Quantity is larger than the units in use.");
    if (!in.is_decrease && it->num_units > std::numeric_limits<std::int64_t>::max() - in.quantity)
        return bad_request("The Quantity would overflow the units in use.");
    it->num_units += in.is_decrease ? -in.quantity : in.quantity;
    s->last_modified = billagain_now();
    return no_content();
}

}  // namespace blubridge::sandbox
