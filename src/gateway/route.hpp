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
    list_transitions,        // 4.1.9
    not_supported,           // a BluBilling route with no Billagain counterpart yet
};

enum class contact_kind { billing, sales };

/// The customer a request is about: by Billagain id (`/rest/customer/366`) or by the
/// integration's own reference (`?extCustomerRef=bj444`).
struct customer_selector {
    std::optional<std::uint64_t> id;
    std::string ext_ref;
};

/// Seconds since 1970-01-01 UTC.
using unix_time = std::int64_t;

/// Paging and filters of 4.1.3, validated. Times are `YYYYMMDDHHmm` read as UTC; an end
/// time covers its whole minute (…HHmm:59). An end without a start is allowed; a start
/// without an end runs to now (left open here: the directory has nothing later).
struct list_query {
    std::string search;
    std::uint64_t offset = 0;
    std::uint64_t max = 50;
    std::string status;
    std::optional<unix_time> create_start, create_end, update_start, update_end;
};

/// The window of 4.1.9, as given: `YYYY-MM-DD` dates read as UTC days, `daysAgo`.
struct transition_query {
    std::optional<unix_time> start_day, end_day;  ///< 00:00 of the day
    std::optional<std::uint64_t> days_ago;
};

/// The inclusive [from, to] a transition query covers at `now`: endDate defaults to today
/// and covers its whole day; startDate defaults to endDate minus 30 days (or `daysAgo`
/// days when given).
struct time_window {
    unix_time from = 0, to = 0;
};
time_window resolve_window(const transition_query& q, unix_time now);

struct route {
    operation_kind op = operation_kind::not_supported;
    customer_selector customer;
    contact_kind contact = contact_kind::billing;
    std::string action;      ///< suspend | activate (customer_action)
    bool validate = false;   ///< autopay `validate=true`
    list_query list;
    transition_query transitions;
    std::string missing;     ///< for not_supported: what is not available, for the 501 text
};

}  // namespace blubridge::gateway
