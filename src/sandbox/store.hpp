#pragma once
// The sandbox's one data store: Billagain customers, subscriptions, customer contacts and
// payment methods in memory. Thread-safe: reads share a std::shared_mutex, writes hold it
// alone. Each operation validates, applies and renders its answer under one lock, so a
// multi-part create is atomic and an answer never mixes two states.
#include "api_error.hpp"
#include "paging.hpp"
#include "requests.hpp"
#include "store_state.hpp"

#include <cstdint>
#include <random>
#include <shared_mutex>
#include <string>
#include <vector>

namespace blubridge::sandbox {

/// A successful call's JSON body (empty for 204 answers) and status.
struct api_answer {
    unsigned status = 200;
    std::string body;
};

class store {
public:
    /// An empty store; `reset` empties it again.
    store();
    /// Starts from `fixture`; `reset` goes back to it.
    explicit store(store_state fixture);

    /// Back to the fixture the store was built with (or empty).
    void reset();

    /// Creates `count` generated customers in one write (for scale benchmarks).
    /// Returns the first and last new ids.
    std::pair<std::int64_t, std::int64_t> bulk_create_customers(std::size_t count);

    std::size_t customer_count() const;

    // ---- customers ------------------------------------------------------------
    result<api_answer> list_customers(const page_request& p, bool with_custom_fields) const;
    result<api_answer> customers_by_ids(const std::vector<std::int64_t>& ids, const page_request& p) const;
    result<api_answer> get_customer(std::int64_t id, bool with_custom_fields) const;
    result<api_answer> create_customer(const customer_create& in);
    result<api_answer> update_customer(std::int64_t id, const customer_fields& in);
    result<api_answer> delete_customer(std::int64_t id);
    /// archive (false) / reopen (true): toggles isActive.
    result<api_answer> set_customer_active(std::int64_t id, bool active);

    // ---- subscriptions ----------------------------------------------------------
    result<api_answer> list_subscriptions(const page_request& p) const;
    result<api_answer> list_customer_subscriptions(std::int64_t customer_id, const page_request& p) const;
    result<api_answer> get_subscription(std::int64_t id) const;
    result<api_answer> create_subscription(const subscription_input& in);
    result<api_answer> cancel_subscription(std::int64_t id, const cancel_input& in);
    result<api_answer> change_package(std::int64_t id, const change_package_input& in);
    result<api_answer> change_term(std::int64_t id, const change_term_input& in);
    result<api_answer> change_start_date(std::int64_t id, const change_start_input& in);
    result<api_answer> change_end_date(std::int64_t id, const change_end_input& in);
    result<api_answer> reactivate_subscription(std::int64_t id, const subscription_input& in);
    result<api_answer> remove_future_changes(std::int64_t id);
    result<api_answer> modify_components(std::int64_t id, const modify_components_input& in);
    result<api_answer> record_usage(std::int64_t id, const record_usage_input& in);

    // ---- customer contacts ---------------------------------------------------------
    result<api_answer> list_contacts(const page_request& p) const;
    result<api_answer> list_customer_contacts(std::int64_t customer_id, const page_request& p) const;
    result<api_answer> get_contact(std::int64_t id) const;
    result<api_answer> create_contact(const contact_input& in);
    result<api_answer> update_contact(std::int64_t id, const contact_input& in);
    result<api_answer> delete_contact(std::int64_t id);

    // ---- payment methods ----------------------------------------------------------
    result<api_answer> list_customer_payment_methods(std::int64_t customer_id, const page_request& p) const;
    result<api_answer> get_payment_method(std::int64_t id) const;
    result<api_answer> create_payment_method(const payment_method_input& in);
    result<api_answer> set_primary_payment_method(std::int64_t id);
    result<api_answer> delete_payment_method(std::int64_t id);

private:
    std::int64_t active_subs(const customer& c, const billagain_time& now) const;
    contact& add_contact(std::int64_t customer_id, const contact_input& in);
    payment_method& add_payment_method(customer& owner, const payment_method_input& in);
    subscription& add_subscription(std::int64_t customer_id, const subscription_input& in, const billagain_time& now);
    void make_primary(customer& owner, payment_method& m);
    std::string new_token();
    std::string new_username(const contact_input& in);

    mutable std::shared_mutex mutex_;
    store_state state_;
    store_state fixture_;
    std::mt19937_64 rng_;  // guarded by the exclusive lock
};

}  // namespace blubridge::sandbox
