#include "router.hpp"

#include <charconv>

namespace blubridge::sandbox {

namespace {
using boost::beast::http::verb;
// Spelled upper-case so the stringized route names read "GET /v1/customers".
constexpr verb GET = verb::get;
constexpr verb POST = verb::post;
constexpr verb PUT = verb::put;
constexpr verb DELETE = verb::delete_;
}  // namespace

#define R(m, p, id) route_def{m, p, route_id::id, #m " " p}

const std::array<route_def, 35> routes{{
    R(GET, "/v1/customers", list_customers),
    R(POST, "/v1/by_customer_ids", customers_by_ids),
    R(GET, "/v1/customers/with_customfields", list_customers_with_custom_fields),
    R(GET, "/v1/customers/{id}", get_customer),
    R(GET, "/v1/customers/with_customfields/{id}", get_customer_with_custom_fields),
    R(POST, "/v1/customers", create_customer),
    R(PUT, "/v1/customers/{id}", update_customer),
    R(DELETE, "/v1/customers/{id}", delete_customer),
    R(PUT, "/v1/customers/{id}/archive", archive_customer),
    R(PUT, "/v1/customers/{id}/reopen", reopen_customer),
    R(GET, "/v1/customers/{id}/subscriptions", list_customer_subscriptions),
    R(GET, "/v1/subscriptions", list_subscriptions),
    R(GET, "/v1/subscriptions/{id}", get_subscription),
    R(POST, "/v1/subscriptions", create_subscription),
    R(PUT, "/v1/subscriptions/{id}/cancel", cancel_subscription),
    R(PUT, "/v1/subscriptions/{id}/changePackage", change_package),
    R(PUT, "/v1/subscriptions/{id}/changeterm", change_term),
    R(PUT, "/v1/subscriptions/{id}/changestartdate", change_start_date),
    R(PUT, "/v1/subscriptions/{id}/changeenddate", change_end_date),
    R(PUT, "/v1/subscriptions/{id}/reactivate", reactivate_subscription),
    R(DELETE, "/v1/subscriptions/{id}/futurechanges", remove_future_changes),
    R(PUT, "/v1/subscriptions/{id}/components/modify", modify_components),
    R(PUT, "/v1/subscriptions/{id}/components/recordusage", record_usage),
    R(GET, "/v1/customers/{id}/contacts", list_customer_contacts),
    R(GET, "/v1/customercontacts", list_contacts),
    R(GET, "/v1/customercontacts/{id}", get_contact),
    R(POST, "/v1/customercontacts", create_contact),
    R(PUT, "/v1/customercontacts/{id}", update_contact),
    R(DELETE, "/v1/customercontacts/{id}", delete_contact),
    R(GET, "/v1/customers/{id}/paymentmethods", list_customer_payment_methods),
    R(GET, "/v1/paymentmethods/{id}", get_payment_method),
    R(POST, "/v1/paymentmethods/creditcard", create_credit_card),
    R(POST, "/v1/paymentmethods/bankaccount", create_bank_account),
    R(PUT, "/v1/paymentmethods/{id}/setprimary", set_primary_payment_method),
    R(DELETE, "/v1/paymentmethods/{id}", delete_payment_method),
}};
#undef R

namespace {

// Next '/'-separated segment of `s` from `pos`; advances `pos` past it.
std::string_view next_segment(std::string_view s, std::size_t& pos) {
    if (pos < s.size() && s[pos] == '/') ++pos;
    const auto end = s.find('/', pos);
    const auto seg = s.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? s.size() : end;
    return seg;
}

bool parse_id(std::string_view seg, std::int64_t& id) {
    if (seg.empty() || seg.size() > 18) return false;
    const auto r = std::from_chars(seg.data(), seg.data() + seg.size(), id);
    return r.ec == std::errc{} && r.ptr == seg.data() + seg.size() && id >= 0;
}

bool match_pattern(std::string_view pattern, const boost::urls::segments_encoded_view& path, std::int64_t& id) {
    std::size_t pp = 0;
    auto it = path.begin();
    auto end = path.end();
    // "/v1/customers/" has an empty last segment; treat it as "/v1/customers".
    if (!path.empty() && path.back().empty()) --end;
    for (; it != end; ++it) {
        if (pp >= pattern.size()) return false;
        const auto want = next_segment(pattern, pp);
        const std::string_view got = *it;
        if (want == "{id}") {
            if (!parse_id(got, id)) return false;
        } else if (want != got) {
            return false;
        }
    }
    return pp >= pattern.size();
}

}  // namespace

route_match match_route(boost::beast::http::verb method, const boost::urls::segments_encoded_view& path) {
    route_match m;
    for (const auto& r : routes) {
        std::int64_t id = 0;
        if (!match_pattern(r.pattern, path, id)) continue;
        if (r.method == method) {
            m.result = route_match::outcome::matched;
            m.route = &r;
            m.id = id;
            return m;
        }
        m.result = route_match::outcome::wrong_method;
    }
    return m;
}

}  // namespace blubridge::sandbox
