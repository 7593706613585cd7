#pragma once
// Maps a request's method and path onto one of Billagain's v1 routes. The route table is
// data; its patterns double as the names request_stats counts under
// ("GET /v1/customers/{id}").
#include <boost/beast/http/verb.hpp>
#include <boost/url/segments_encoded_view.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace blubridge::sandbox {

enum class route_id : std::uint8_t {
    list_customers,
    customers_by_ids,
    list_customers_with_custom_fields,
    get_customer,
    get_customer_with_custom_fields,
    create_customer,
    update_customer,
    delete_customer,
    archive_customer,
    reopen_customer,
    list_customer_subscriptions,
    list_subscriptions,
    get_subscription,
    create_subscription,
    cancel_subscription,
    change_package,
    change_term,
    change_start_date,
    change_end_date,
    reactivate_subscription,
    remove_future_changes,
    modify_components,
    record_usage,
    list_customer_contacts,
    list_contacts,
    get_contact,
    create_contact,
    update_contact,
    delete_contact,
    list_customer_payment_methods,
    get_payment_method,
    create_credit_card,
    create_bank_account,
    set_primary_payment_method,
    delete_payment_method,
};

struct route_def {
    boost::beast::http::verb method;
    std::string_view pattern;  ///< path with `{id}` for a numeric segment
    route_id id;
    std::string_view name;  ///< "METHOD pattern", the stats key
};

/// Every v1 route, in route_id order.
extern const std::array<route_def, 35> routes;

struct route_match {
    enum class outcome { matched, wrong_method, not_found };
    outcome result = outcome::not_found;
    const route_def* route = nullptr;
    std::int64_t id = 0;  ///< the `{id}` segment, when the pattern has one
};

/// Matches the path segments of a target (from Boost.URL's parse_origin_form), e.g.
/// "/v1/customers/302/archive"; a trailing slash is ignored. A path some route has but not
/// with this method is `wrong_method` (405). Segments are compared percent-encoded, which
/// is exact for the route table's plain-ASCII names.
route_match match_route(boost::beast::http::verb method, const boost::urls::segments_encoded_view& path);

}  // namespace blubridge::sandbox
