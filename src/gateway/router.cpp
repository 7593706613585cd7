#include "router.hpp"

#include <boost/url/parse.hpp>

#include <charconv>
#include <initializer_list>
#include <vector>

namespace blubridge::gateway {

namespace {

using result = boost::system::result<route, failure>;

// The query parameters the API defines; each may appear once.
struct query {
    std::optional<std::string> format, ext_ref, action, validate, search, offset, max, status;
    std::optional<std::string> create_start, create_end, update_start, update_end, id;
};

std::optional<failure> read_query(const boost::urls::url_view& url, query& q) {
    struct slot {
        std::string_view name;
        std::optional<std::string> query::*field;
    };
    static constexpr slot slots[] = {
        {"format", &query::format},           {"extCustomerRef", &query::ext_ref},
        {"actionName", &query::action},       {"validate", &query::validate},
        {"search", &query::search},           {"offset", &query::offset},
        {"max", &query::max},                 {"status", &query::status},
        {"statusValue", &query::status},      {"createStartTime", &query::create_start},
        {"createEndTime", &query::create_end}, {"updateStartTime", &query::update_start},
        {"updateEndTime", &query::update_end}, {"id", &query::id},
    };
    for (const auto& param : url.params()) {
        for (const auto& s : slots) {
            if (param.key != s.name) continue;
            auto& field = q.*(s.field);
            if (field) return bad_request("query parameter '" + std::string(s.name) + "' is given more than once");
            field = std::string(param.value);
        }
    }
    return std::nullopt;
}

std::optional<std::uint64_t> whole_number(std::string_view text) {
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

failure wrong_method(std::string_view allow) {
    return {http::status::method_not_allowed,
            "method not allowed here; allowed: " + std::string(allow), std::string(allow)};
}

// Resolves which customer: the id from the path, or extCustomerRef, never both.
std::optional<failure> select_customer(const std::optional<std::string_view>& path_id, const query& q,
                                       customer_selector& out) {
    if (path_id && q.ext_ref) {
        return bad_request("give either a customer id in the path or extCustomerRef, not both");
    }
    if (path_id) {
        auto id = whole_number(*path_id);
        if (!id || *id == 0) return bad_request("customer id '" + std::string(*path_id) + "' is not a positive number");
        out.id = *id;
        return std::nullopt;
    }
    if (!q.ext_ref || q.ext_ref->empty()) return bad_request("extCustomerRef is required");
    out.ext_ref = *q.ext_ref;
    return std::nullopt;
}

result customer_route(http::verb method, const std::optional<std::string_view>& path_id, const query& q) {
    route r;
    if (auto f = select_customer(path_id, q, r.customer)) return *f;
    switch (method) {
    case http::verb::get:
        r.op = operation_kind::get_customer;
        return r;
    case http::verb::put:
        r.op = operation_kind::update_customer;
        return r;
    case http::verb::delete_:
        r.op = operation_kind::delete_customer;
        return r;
    case http::verb::post:
        if (!q.action) return bad_request("actionName is required (suspend or activate)");
        if (*q.action != "suspend" && *q.action != "activate") {
            return bad_request("unknown actionName '" + *q.action + "'; expected suspend or activate");
        }
        r.op = operation_kind::customer_action;
        r.action = *q.action;
        return r;
    default:
        return wrong_method("GET, PUT, DELETE, POST");
    }
}

result contact_route(http::verb method, const std::optional<std::string_view>& path_id, contact_kind kind,
                     const query& q) {
    route r;
    if (auto f = select_customer(path_id, q, r.customer)) return *f;
    r.contact = kind;
    if (method == http::verb::get) r.op = operation_kind::get_contact;
    else if (method == http::verb::put) r.op = operation_kind::update_contact;
    else return wrong_method("GET, PUT");
    return r;
}

result autopay_route(http::verb method, const std::optional<std::string_view>& path_id, const query& q) {
    route r;
    if (auto f = select_customer(path_id, q, r.customer)) return *f;
    if (q.validate && *q.validate != "true" && *q.validate != "false") {
        return bad_request("validate must be true or false");
    }
    r.validate = q.validate && *q.validate == "true";
    if (method == http::verb::get) r.op = operation_kind::list_autopay;
    else if (method == http::verb::put || method == http::verb::post) r.op = operation_kind::save_autopay;
    else return wrong_method("GET, PUT, POST");
    return r;
}

result list_route(const query& q) {
    route r;
    r.op = operation_kind::list_customers;
    if (q.search) r.list.search = *q.search;
    if (q.status) r.list.status = *q.status;
    if (q.offset) {
        auto v = whole_number(*q.offset);
        if (!v) return bad_request("offset must be a whole number");
        r.list.offset = *v;
    }
    if (q.max) {
        auto v = whole_number(*q.max);
        if (!v || *v > max_list_page) {
            return bad_request("max must be a whole number from 0 to " + std::to_string(max_list_page));
        }
        r.list.max = *v;
    }
    if (q.create_start || q.create_end || q.update_start || q.update_end) {
        route unsupported;
        unsupported.missing =
            "date-range filters (createStartTime, createEndTime, updateStartTime, updateEndTime) on customer lists";
        return unsupported;
    }
    return r;
}

route unsupported(std::string what) {
    route r;
    r.missing = std::move(what);
    return r;
}

std::optional<contact_kind> contact_named(std::string_view segment) {
    if (segment == "billingContact") return contact_kind::billing;
    if (segment == "salesContact") return contact_kind::sales;
    return std::nullopt;
}

// /rest/customer/…
result singular(http::verb method, const std::vector<std::string>& s, const query& q) {
    if (s.size() == 2) return customer_route(method, std::nullopt, q);
    if (s.size() == 3) {
        if (auto kind = contact_named(s[2])) return contact_route(method, std::nullopt, *kind, q);
        if (s[2] == "autopay") return autopay_route(method, std::nullopt, q);
        return customer_route(method, s[2], q);
    }
    if (s.size() == 4) {
        if (auto kind = contact_named(s[3])) return contact_route(method, s[2], *kind, q);
        if (s[3] == "autopay") return autopay_route(method, s[2], q);
    }
    return not_found("no such BluBilling resource");
}

// /rest/customers/…
result plural(http::verb method, const std::vector<std::string>& s, const query& q) {
    if (s.size() == 2) {
        if (method == http::verb::get) return list_route(q);
        if (method != http::verb::post) return wrong_method("GET, POST");
        route r;
        if (!q.action) {
            r.op = operation_kind::create_customer;
        } else if (*q.action == "addCustomerAndOrder") {
            r.op = operation_kind::add_customer_and_order;
        } else {
            return bad_request("unknown actionName '" + *q.action + "' for /rest/customers");
        }
        return r;
    }
    if (s.size() == 3 && s[2] == "transitions") {
        if (method != http::verb::get) return wrong_method("GET");
        return unsupported("customer transitions (/rest/customers/transitions)");
    }
    if ((s.size() == 3 && s[2] == "paymentPlan") || (s.size() == 4 && s[3] == "paymentPlan")) {
        return unsupported("payment plans (Billagain has no payment plan API)");
    }
    if (s.size() == 3 && s[2] == "notification") {
        if (method != http::verb::post) return wrong_method("POST");
        return unsupported("customer email notifications (Billagain has no notification API)");
    }
    return not_found("no such BluBilling resource");
}

}  // namespace

boost::system::result<route, failure> route_request(http::verb method, std::string_view target) {
    auto url = boost::urls::parse_origin_form(target);
    if (!url) return bad_request("malformed request target");

    query q;
    if (auto f = read_query(*url, q)) return *f;
    if (q.format && *q.format != "xml") {
        return bad_request("format '" + *q.format + "' is not supported; use format=xml");
    }

    std::vector<std::string> segments;
    for (auto seg : url->segments()) segments.push_back(std::string(seg));
    if (!segments.empty() && segments.back().empty()) segments.pop_back();  // trailing slash

    if (segments.size() < 2 || segments[0] != "rest") return not_found("no such BluBilling resource");
    if (segments[1] == "customer") return singular(method, segments, q);
    if (segments[1] == "customers") return plural(method, segments, q);
    return not_found("no such BluBilling resource");
}

}  // namespace blubridge::gateway
