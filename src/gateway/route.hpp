#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace blubridge::gateway {

/// What a BluBilling request asks for, independent of how it was spelled.
enum class operation_kind {
    get_customer,            // 4.1.1
    get_contact,             // 4.1.2
    list_customers,          // 4.1.3
    create_customer,         // 4.1.4
    update_customer,         // 4.1.5
    update_contact,          // 4.1.5
    delete_customer,         // 4.1.6
    save_autopay,            // 4.1.7
    list_autopay,            // 4.1.7
    customer_action,         // 4.1.8 suspend / activate
    add_customer_and_order,  // deprecated create with orders
    not_supported,           // a BluBilling route with no Billagain counterpart yet
};

enum class contact_kind { billing, sales };

/// The customer a request is about: by Billagain id (`/rest/customer/366`) or by the
/// integration's own reference (`?extCustomerRef=bj444`).
struct customer_selector {
    std::optional<std::uint64_t> id;
    std::string ext_ref;
};

/// Paging and filters of 4.1.3, as given (validated, not yet applied).
struct list_query {
    std::string search;
    std::uint64_t offset = 0;
    std::uint64_t max = 50;
    std::string status;
    std::string create_start, create_end, update_start, update_end;  // YYYYMMDDHHmm
};

struct route {
    operation_kind op = operation_kind::not_supported;
    customer_selector customer;
    contact_kind contact = contact_kind::billing;
    std::string action;      ///< suspend | activate (customer_action)
    bool validate = false;   ///< autopay `validate=true`
    list_query list;
    std::string missing;     ///< for not_supported: what is not available, for the 501 text
};

}  // namespace blubridge::gateway
