// Stored payment methods (autopay) and the deprecated customer-with-orders create.
#include "operations.hpp"

#include "../customer_io.hpp"
#include "../customer_resolver.hpp"
#include "../json_text.hpp"

#include <algorithm>

namespace blubridge::gateway::operations {

namespace {

// Billagain stores cards and bank accounts as payment methods.
std::optional<std::string> create_endpoint(std::string_view type) {
    if (type == "credit_card") return "/v1/paymentmethods/creditcard";
    if (type == "bank_account") return "/v1/paymentmethods/bankaccount";
    return std::nullopt;
}

// The ids of the customer's methods that are primary now (autopayPreference 1).
net::awaitable<step<std::vector<std::uint64_t>>> primary_methods(operation_context& ctx, std::uint64_t customer,
                                                                 std::string_view primary_role) {
    const auto& roles = ctx.rt.dtos.autopay_roles;
    auto methods = co_await ctx.billagain.get("/v1/customers/" + std::to_string(customer) + "/paymentmethods");
    if (!methods) co_return methods.error();
    auto items = json::split_array(methods->body);
    if (!items) co_return failure{http::status::bad_gateway, "Billagain sent an unreadable payment method list"};
    std::vector<std::uint64_t> ids;
    for (const auto& m : *items) {
        auto members = json::split_object(m);
        if (!members) co_return failure{http::status::bad_gateway, "Billagain sent an unreadable payment method"};
        const bool primary = std::any_of(members->begin(), members->end(), [&](const json::member& x) {
            return x.name == primary_role && x.raw == "true";
        });
        if (!primary) continue;
        if (auto id = json::integer_member(m, roles.id)) ids.push_back(*id);
    }
    co_return ids;
}

bool asks_primary(std::string_view request, std::string_view primary_role) {
    auto members = json::split_object(request);
    if (!members) return false;
    return std::any_of(members->begin(), members->end(),
                       [&](const json::member& m) { return m.name == primary_role && m.raw == "true"; });
}

}  // namespace

// BluBilling: "If the autopayPreference field is the same, then the previous autopay
// method will be replaced by the current one." Billagain keeps only isPrimary, so
// preference 1 replaces the primary method; 2 and 3 are added beside it.
net::awaitable<operation_result> save_autopay(operation_context& ctx) {
    const auto& dtos = ctx.rt.dtos;
    std::vector<std::string> ignored;
    auto request = inbound(*dtos.autopay, ctx.body, ignored);
    if (!request) co_return request.error();
    const auto type = json::string_member(*request, dtos.autopay_roles.type).value_or("");
    const auto endpoint = create_endpoint(type);
    const auto& payment_setting = dtos.customer_roles.payment_method;

    auto locked = co_await lock_selected_customer(ctx);
    if (!locked) co_return locked.error();
    const auto id = locked->graph.id;
    const auto reference = json::string_member(locked->graph.record, dtos.customer_roles.reference);

    if (!endpoint) {
        // Check and cash are not stored methods in Billagain but the customer's own
        // payment setting: read-merge-write of the customer record.
        auto merged = overlay(locked->graph.record, json::join_object({{std::string(payment_setting), json::quote(type)}}));
        if (!merged) co_return merged.error();
        auto put = co_await ctx.billagain.put("/v1/customers/" + std::to_string(id), std::move(*merged));
        if (!put) co_return put.error();
        co_return xml_reply{http::status::ok, status_document(ctx.rt, true, id, reference, {}), std::move(ignored)};
    }

    const auto& primary_role = dtos.autopay_roles.primary;
    std::vector<std::uint64_t> replaced;
    if (asks_primary(*request, primary_role)) {
        auto current = co_await primary_methods(ctx, id, primary_role);
        if (!current) co_return current.error();
        replaced = std::move(*current);
    }

    auto body = json::with_members(*request, {{dtos.autopay_roles.customer_id, std::to_string(id)}});
    if (!body) co_return failure{http::status::internal_server_error, "unreadable converted request"};
    auto saved = co_await ctx.billagain.post(*endpoint, std::move(*body));
    if (!saved) co_return saved.error();
    // Billagain's answer echoes card digits: it is never passed on, only acknowledged.
    // The old method goes only once the new one is stored: a refused card loses nothing.
    for (auto old : replaced) {
        auto removed = co_await ctx.billagain.remove("/v1/paymentmethods/" + std::to_string(old));
        if (!removed) co_return removed.error();
    }
    co_return xml_reply{http::status::ok, status_document(ctx.rt, true, id, reference, {}), std::move(ignored)};
}

net::awaitable<operation_result> add_customer_and_order(operation_context& ctx) {
    const auto& dtos = ctx.rt.dtos;
    std::vector<std::string> ignored;
    // One Billagain create carries the customer and its subscriptions: atomic there; a
    // sales contact, written after, is undone with the customer if it fails.
    auto id = co_await create_from_request(ctx, *dtos.add_customer_and_order, ignored);
    if (!id) co_return id.error();

    auto graph = co_await read_customer(ctx, *id);
    if (!graph) co_return graph.error();
    auto subscriptions = co_await ctx.billagain.get("/v1/customers/" + std::to_string(*id) + "/subscriptions");
    if (!subscriptions) co_return subscriptions.error();
    auto combined = json::with_members(graph->combined, {{dtos.order_roles.subscriptions, subscriptions->body}});
    if (!combined) co_return failure{http::status::bad_gateway, "Billagain sent an unreadable subscription list"};
    auto xml = outbound(*dtos.add_customer_and_order_response, *combined);
    if (!xml) co_return xml.error();
    co_return xml_reply{http::status::created, std::move(*xml), std::move(ignored)};
}

}  // namespace blubridge::gateway::operations
