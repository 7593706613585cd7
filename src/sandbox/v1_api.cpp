#include "v1_api.hpp"

#include <boost/url/params_view.hpp>

#include <optional>
#include <string>

namespace blubridge::sandbox {
namespace {

result<page_request> paging_of(const boost::urls::url_view& url) {
    const auto params = url.params();
    std::optional<std::string> page, page_size;
    if (auto it = params.find("page"); it != params.end()) page = (*it).value;
    if (auto it = params.find("page_size"); it != params.end()) page_size = (*it).value;
    return parse_paging(page ? std::optional<std::string_view>(*page) : std::nullopt,
                        page_size ? std::optional<std::string_view>(*page_size) : std::nullopt);
}

// Parses the body with `parse` and hands the input to `op`; any failure is the answer.
template <class Parse, class Op>
result<api_answer> with_body(std::string_view body, Parse&& parse, Op&& op) {
    auto doc = parse_body(body);
    if (!doc) return doc.error();
    auto in = parse(*doc);
    if (!in) return in.error();
    return op(*in);
}

}  // namespace

result<api_answer> call_v1(store& s, const route_match& match, const boost::urls::url_view& url,
                           std::string_view body) {
    const std::int64_t id = match.id;
    // List routes share the paging check.
    auto paged = [&](auto&& op) -> result<api_answer> {
        auto p = paging_of(url);
        if (!p) return p.error();
        return op(*p);
    };

    switch (match.route->id) {
    case route_id::list_customers:
        return paged([&](const page_request& p) { return s.list_customers(p, false); });
    case route_id::list_customers_with_custom_fields:
        return paged([&](const page_request& p) { return s.list_customers(p, true); });
    case route_id::customers_by_ids:
        return paged([&](const page_request& p) {
            return with_body(body, parse_customer_ids, [&](const auto& ids) { return s.customers_by_ids(ids, p); });
        });
    case route_id::get_customer: return s.get_customer(id, false);
    case route_id::get_customer_with_custom_fields: return s.get_customer(id, true);
    case route_id::create_customer:
        return with_body(body, parse_customer_create, [&](const auto& in) { return s.create_customer(in); });
    case route_id::update_customer:
        return with_body(body, parse_customer_update, [&](const auto& in) { return s.update_customer(id, in); });
    case route_id::delete_customer: return s.delete_customer(id);
    case route_id::archive_customer: return s.set_customer_active(id, false);
    case route_id::reopen_customer: return s.set_customer_active(id, true);

    case route_id::list_customer_subscriptions:
        return paged([&](const page_request& p) { return s.list_customer_subscriptions(id, p); });
    case route_id::list_subscriptions:
        return paged([&](const page_request& p) { return s.list_subscriptions(p); });
    case route_id::get_subscription: return s.get_subscription(id);
    case route_id::create_subscription:
        return with_body(body, parse_subscription, [&](const auto& in) { return s.create_subscription(in); });
    case route_id::cancel_subscription:
        return with_body(body, parse_cancel, [&](const auto& in) { return s.cancel_subscription(id, in); });
    case route_id::change_package:
        return with_body(body, parse_change_package, [&](const auto& in) { return s.change_package(id, in); });
    case route_id::change_term:
        return with_body(body, parse_change_term, [&](const auto& in) { return s.change_term(id, in); });
    case route_id::change_start_date:
        return with_body(body, parse_change_start, [&](const auto& in) { return s.change_start_date(id, in); });
    case route_id::change_end_date:
        return with_body(body, parse_change_end, [&](const auto& in) { return s.change_end_date(id, in); });
    case route_id::reactivate_subscription:
        return with_body(body, parse_reactivate, [&](const auto& in) { return s.reactivate_subscription(id, in); });
    case route_id::remove_future_changes: return s.remove_future_changes(id);
    case route_id::modify_components:
        return with_body(body, parse_modify_components, [&](const auto& in) { return s.modify_components(id, in); });
    case route_id::record_usage:
        return with_body(body, parse_record_usage, [&](const auto& in) { return s.record_usage(id, in); });

    case route_id::list_customer_contacts:
        return paged([&](const page_request& p) { return s.list_customer_contacts(id, p); });
    case route_id::list_contacts:
        return paged([&](const page_request& p) { return s.list_contacts(p); });
    case route_id::get_contact: return s.get_contact(id);
    case route_id::create_contact:
        return with_body(
            body, [](const json_value& v) { return parse_contact(v, true); },
            [&](const auto& in) { return s.create_contact(in); });
    case route_id::update_contact:
        return with_body(
            body, [](const json_value& v) { return parse_contact(v, false); },
            [&](const auto& in) { return s.update_contact(id, in); });
    case route_id::delete_contact: return s.delete_contact(id);

    case route_id::list_customer_payment_methods:
        return paged([&](const page_request& p) { return s.list_customer_payment_methods(id, p); });
    case route_id::get_payment_method: return s.get_payment_method(id);
    case route_id::create_credit_card:
        return with_body(
            body, [](const json_value& v) { return parse_payment_method(v, payment_method::kind::credit_card); },
            [&](const auto& in) { return s.create_payment_method(in); });
    case route_id::create_bank_account:
        return with_body(
            body, [](const json_value& v) { return parse_payment_method(v, payment_method::kind::bank_account); },
            [&](const auto& in) { return s.create_payment_method(in); });
    case route_id::set_primary_payment_method: return s.set_primary_payment_method(id);
    case route_id::delete_payment_method: return s.delete_payment_method(id);
    }
    return api_error{500, "Unhandled route"};
}

}  // namespace blubridge::sandbox
