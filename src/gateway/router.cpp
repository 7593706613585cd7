#include "router.hpp"

#include <blubridge/mapping/converters.hpp>

#include <boost/beast/core/string.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <initializer_list>
#include <vector>

namespace blubridge::gateway {

namespace {

using result = boost::system::result<route, failure>;

// The query parameters the API defines; each may appear once.
struct query {
    std::optional<std::string> format, ext_ref, action, validate, search, offset, max, status;
    std::optional<std::string> create_start, create_end, update_start, update_end, id;
    std::optional<std::string> start_date, end_date, days_ago;
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
        {"startDate", &query::start_date},    {"endDate", &query::end_date},
        {"daysAgo", &query::days_ago},
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

unix_time to_unix(std::chrono::sys_seconds t) { return t.time_since_epoch().count(); }

std::chrono::sys_days day_of(unix_time t) {
    return std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds(std::chrono::seconds(t)));
}

// A query date in `format` (the mapping library's parser, the one date parser: it checks the
// calendar, so 2023-02-29 and month 13 are refused), read as UTC.
std::optional<unix_time> utc_time(std::string_view text, mapping::date_format format) {
    const auto t = mapping::parse_date(text, format);
    if (!t) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year(t->year), std::chrono::month(static_cast<unsigned>(t->month)),
                                          std::chrono::day(static_cast<unsigned>(t->day))};
    return to_unix(std::chrono::sys_days(ymd) + std::chrono::hours(t->hour) + std::chrono::minutes(t->minute));
}

// `YYYYMMDDHHmm` read as UTC: the first second of that minute.
std::optional<unix_time> minute_time(std::string_view text) { return utc_time(text, mapping::date_format::compact_minute); }

// `YYYY-MM-DD` read as UTC: 00:00 of that day.
std::optional<unix_time> day_time(std::string_view text) { return utc_time(text, mapping::date_format::iso_date); }

constexpr unix_time seconds_per_day = 24 * 60 * 60;
constexpr std::uint64_t default_days_ago = 30;
// A century: far enough back for any real query, small enough that no date arithmetic overflows.
constexpr std::uint64_t max_days_ago = 36'500;

// An actionName in any case, as the API spells it; nullopt if it is none of `known`.
std::optional<std::string> spelled_action(std::string_view given, std::initializer_list<std::string_view> known) {
    for (const auto name : known)
        if (boost::beast::iequals(given, name)) return std::string(name);
    return std::nullopt;
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
    case http::verb::post: {
        if (!q.action) return bad_request("actionName is required (suspend or activate)");
        const auto action = spelled_action(*q.action, {"suspend", "activate"});
        if (!action) return bad_request("unknown actionName '" + *q.action + "'; expected suspend or activate");
        r.op = operation_kind::customer_action;
        r.action = *action;
        return r;
    }
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

// `YYYYMMDDHHmm` into `out`, plus `extra` seconds.
std::optional<failure> read_minute(const std::optional<std::string>& text, std::string_view name, unix_time extra,
                                   std::optional<unix_time>& out) {
    if (!text) return std::nullopt;
    out = minute_time(*text);
    if (!out) {
        return bad_request(std::string(name) + " must be a UTC date and time written YYYYMMDDHHmm, e.g. 201012312359");
    }
    *out += extra;
    return std::nullopt;
}

// One of the 4.1.3 date-range filters: the start is its minute's first second, the end
// its last, so createStartTime=createEndTime covers one whole minute.
std::optional<failure> read_time_range(const std::optional<std::string>& start_text, std::string_view start_name,
                                       const std::optional<std::string>& end_text, std::string_view end_name,
                                       std::optional<unix_time>& start, std::optional<unix_time>& end) {
    if (auto f = read_minute(start_text, start_name, 0, start)) return f;
    if (auto f = read_minute(end_text, end_name, 59, end)) return f;
    if (start && end && *start > *end) {
        return bad_request(std::string(start_name) + " is later than " + std::string(end_name));
    }
    return std::nullopt;
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
        auto v = whole_number(*q.max);  // its upper bound is configured: the list operation checks it
        if (!v) return bad_request("max must be a whole number");
        r.list.max = *v;
    }
    if (auto f = read_time_range(q.create_start, "createStartTime", q.create_end, "createEndTime",
                                 r.list.create_start, r.list.create_end)) {
        return *f;
    }
    if (auto f = read_time_range(q.update_start, "updateStartTime", q.update_end, "updateEndTime",
                                 r.list.update_start, r.list.update_end)) {
        return *f;
    }
    return r;
}

std::optional<failure> read_day(const std::optional<std::string>& text, std::string_view name,
                                std::optional<unix_time>& out) {
    if (!text) return std::nullopt;
    out = day_time(*text);
    if (!out) return bad_request(std::string(name) + " must be a date written YYYY-MM-DD, e.g. 2010-12-31");
    return std::nullopt;
}

result transitions_route(const query& q) {
    route r;
    r.op = operation_kind::list_transitions;
    auto& t = r.transitions;
    if (auto f = read_day(q.start_date, "startDate", t.start_day)) return *f;
    if (auto f = read_day(q.end_date, "endDate", t.end_day)) return *f;
    if (q.days_ago) {
        t.days_ago = whole_number(*q.days_ago);
        if (!t.days_ago || *t.days_ago > max_days_ago) {
            return bad_request("daysAgo must be a whole number from 0 to " + std::to_string(max_days_ago));
        }
    }
    if (t.start_day && t.end_day && *t.start_day > *t.end_day) return bad_request("startDate is later than endDate");
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
        } else if (spelled_action(*q.action, {"addCustomerAndOrder"})) {
            r.op = operation_kind::add_customer_and_order;
        } else {
            return bad_request("unknown actionName '" + *q.action + "' for /rest/customers");
        }
        return r;
    }
    if (s.size() == 3 && s[2] == "transitions") {
        if (method != http::verb::get) return wrong_method("GET");
        return transitions_route(q);
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

// A window that comes out empty (from > to: a startDate after today without endDate)
// simply matches nothing; the router has refused an explicit startDate after endDate.
time_window resolve_window(const transition_query& q, unix_time now) {
    const auto end_day = day_of(q.end_day.value_or(now));
    const auto back = static_cast<std::int64_t>(std::min(q.days_ago.value_or(default_days_ago), max_days_ago));
    const auto start_day = q.start_day ? day_of(*q.start_day) : end_day - std::chrono::days(back);
    return {to_unix(start_day), to_unix(end_day) + seconds_per_day - 1};
}

boost::system::result<route, failure> route_request(http::verb method, std::string_view target) {
    auto url = boost::urls::parse_origin_form(target);
    if (!url) return bad_request("malformed request target");

    query q;
    if (auto f = read_query(*url, q)) return *f;
    if (q.format && !boost::beast::iequals(*q.format, "xml")) {
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

std::string_view route_name(operation_kind op) {
    switch (op) {
    case operation_kind::get_customer: return "get_customer";
    case operation_kind::get_contact: return "get_contact";
    case operation_kind::list_customers: return "list_customers";
    case operation_kind::create_customer: return "create_customer";
    case operation_kind::update_customer: return "update_customer";
    case operation_kind::update_contact: return "update_contact";
    case operation_kind::delete_customer: return "delete_customer";
    case operation_kind::save_autopay: return "save_autopay";
    case operation_kind::list_autopay: return "list_autopay";
    case operation_kind::customer_action: return "customer_action";
    case operation_kind::add_customer_and_order: return "add_customer_and_order";
    case operation_kind::list_transitions: return "list_transitions";
    case operation_kind::not_supported: return "not_supported";
    }
    return "not_supported";
}

}  // namespace blubridge::gateway
