#pragma once
#include <blubridge/auth/basic_authenticator.hpp>
#include <blubridge/config/gateway_config.hpp>
#include <blubridge/mapping/mapping_set.hpp>
#include <blubridge/upstream/client.hpp>

#include <array>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace blubridge::gateway {

class account_registry;

/// The mappings the gateway's operations use, looked up once per snapshot, with the
/// JSON member names their `roles:` declare (so no API field name is spelled in C++).
struct dto_catalog {
    const mapping::dto_mapping* customer = nullptr;
    const mapping::dto_mapping* billing_contact = nullptr;
    const mapping::dto_mapping* sales_contact = nullptr;
    const mapping::dto_mapping* customer_list = nullptr;
    const mapping::dto_mapping* status = nullptr;
    const mapping::dto_mapping* autopay = nullptr;
    const mapping::dto_mapping* autopay_list = nullptr;
    const mapping::dto_mapping* add_customer_and_order = nullptr;
    const mapping::dto_mapping* add_customer_and_order_response = nullptr;
    const mapping::dto_mapping* customer_status = nullptr;
    const mapping::dto_mapping* customer_transition_list = nullptr;

    /// The BluBilling status each flag pair shows, indexed by
    /// directory::status_flags::index() (active * 2 + suspended); empty if unmapped.
    std::array<std::string, 4> status_names;

    struct {
        std::string id, reference, billing_contact, sales_contact;
        std::string name, last_name, company, email;  ///< what list search looks in
        std::string active, suspended;                ///< the flags the status comes from
        std::string payment_method;                   ///< the customer's payment setting
        std::string created;                          ///< creation date (directory date filters)
        std::string kept;                             ///< gateway-kept elements (kept_members.hpp)
    } customer_roles;
    struct {
        std::string ids;  ///< the by_customer_ids request's member
    } list_roles;
    std::string status_state_role;  ///< customer_status inbound: a ?status= value, checked and spelled
    struct {
        std::string id, date, previous, next, customer;  ///< gateway-side members of a transition
    } transition_roles;
    struct {
        std::string id, customer_id, kept;
    } contact_roles;
    struct {
        std::string success, id, reference, errors, message;
    } status_roles;
    struct {
        std::string customer_id, type, id, primary, preference, valid, kept;
        std::string kept_shown;  ///< autopay_list's member for them
    } autopay_roles;
    struct {
        std::string subscriptions;
    } order_roles;
};

/// A gateway client, ready to use: who it is and how to call Billagain for it.
struct client_identity {
    std::string username;
    std::string account_id;               ///< its Billagain account
    std::string billagain_authorization;  ///< `Basic …` of its Billagain account
};

/// Everything a request needs that a reload may change, as one immutable snapshot:
/// configuration, compiled mappings, credentials and the accounts the clients use.
/// Requests hold the snapshot they began with, so a SIGHUP swap never changes the rules
/// (or removes an account) halfway through a request.
struct runtime {
    std::shared_ptr<const config::gateway_config> config;
    std::shared_ptr<const mapping::mapping_set> mappings;
    dto_catalog dtos;
    std::shared_ptr<const auth::basic_authenticator> authenticator;
    std::vector<client_identity> clients;  ///< same order as the authenticator's entries
    /// Every client's account (account_registry.hpp); null until `with_accounts` (a
    /// snapshot without is only checked, never served).
    std::shared_ptr<const account_registry> accounts;
};

/// Thrown by `build_runtime` when the mappings lack what the gateway needs.
class runtime_error : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Loads the configuration file and its mappings folder and assembles a snapshot.
/// Throws config::config_error, mapping::load_error or runtime_error with every problem.
std::shared_ptr<const runtime> build_runtime(const std::filesystem::path& config_file);

/// Assembles a snapshot from parts already loaded (tests, reloads).
std::shared_ptr<const runtime> build_runtime(std::shared_ptr<const config::gateway_config> config,
                                             std::shared_ptr<const mapping::mapping_set> mappings);

/// A copy of `rt` that serves with `accounts` (one for each of its clients' accounts).
std::shared_ptr<const runtime> with_accounts(const runtime& rt, std::shared_ptr<const account_registry> accounts);

/// The current snapshot, swapped atomically: a reader gets the old snapshot or the new
/// one, whole. Only a pointer is copied under the lock, so readers and the swap never wait
/// for more than that. (A mutex rather than std::atomic<std::shared_ptr>: GCC 12's
/// releases its internal lock after a load with relaxed ordering, a data race that
/// ThreadSanitizer reports as soon as a reload swaps while requests read.)
class runtime_holder {
public:
    explicit runtime_holder(std::shared_ptr<const runtime> initial) : current_(std::move(initial)) {}
    std::shared_ptr<const runtime> current() const {
        std::lock_guard lock(mutex_);
        return current_;
    }
    void replace(std::shared_ptr<const runtime> next) {
        std::lock_guard lock(mutex_);
        current_.swap(next);  // the old snapshot is released outside the lock, by `next`
    }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const runtime> current_;
};

}  // namespace blubridge::gateway
