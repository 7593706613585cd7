// Stored payment methods (autopay: list and save) and the deprecated customer-with-orders create.
#include "operations.hpp"

#include "../state_call.hpp"

#include "../customer_graph.hpp"
#include "../customer_lookup.hpp"
#include "../customer_write.hpp"
#include "../dto_conversion.hpp"
#include "../customer_resolver.hpp"
#include "../json_text.hpp"
#include "../kept_members.hpp"

#include <algorithm>

namespace blubridge::gateway::operations {

namespace {

// Billagain stores cards and bank accounts as payment methods.
std::optional<std::string> create_endpoint(std::string_view type) {
    if (type == "credit_card") return "/v1/paymentmethods/creditcard";
    if (type == "bank_account") return "/v1/paymentmethods/bankaccount";
    return std::nullopt;
}

// A stored payment method as the autopay routes see it.
struct stored_method {
    std::string json;
    std::uint64_t id = 0;
    int preference = 2;  ///< 1 primary; else the gateway's 2 or 3; else 2
};

// The customer's payment methods with their BluBilling preference: Billagain says which
// one is primary (1); for the others the gateway's state database remembers 2 or 3.
net::awaitable<step<std::vector<stored_method>>> stored_methods(operation_context& ctx, std::uint64_t customer) {
    const auto& roles = ctx.rt.dtos.autopay_roles;
    auto methods = co_await ctx.billagain.get("/v1/customers/" + std::to_string(customer) + "/paymentmethods");
    if (!methods) co_return methods.error();
    auto items = json::split_array(methods->body);
    if (!items) co_return failure{http::status::bad_gateway, "Billagain sent an unreadable payment method list"};
    std::vector<stored_method> out;
    for (auto& m : *items) {
        stored_method s;
        s.id = json::integer_member(m, roles.id).value_or(0);
        if (json::bool_member(m, roles.primary).value_or(false)) {
            s.preference = 1;
        } else {
            const auto method = s.id;
            const auto kept = co_await state_call(ctx, [&] { return ctx.directory.autopay_preference(method); });
            if (kept && (*kept == 2 || *kept == 3)) s.preference = *kept;
        }
        s.json = std::move(m);
        out.push_back(std::move(s));
    }
    co_return out;
}

}  // namespace

net::awaitable<operation_result> list_autopay(operation_context& ctx) {
    auto id = co_await confirmed_customer_id(ctx);
    if (!id) co_return id.error();
    auto methods = co_await stored_methods(ctx, *id);
    if (!methods) co_return methods.error();
    const auto& roles = ctx.rt.dtos.autopay_roles;
    const auto customer = *id;
    const auto kept = co_await state_call(ctx, [&] { return ctx.directory.kept(customer); });
    std::vector<std::string> items;
    for (auto& m : *methods) {
        std::vector<json::member> shown;
        // The mapping shows a primary method as 1; the gateway adds 2 or 3, and what it keeps.
        if (m.preference != 1) shown.push_back({roles.preference, std::to_string(m.preference)});
        if (auto k = kept_in(kept, payment_method_scope(m.id))) shown.push_back({roles.kept_shown, std::string(*k)});
        if (shown.empty()) {
            items.push_back(std::move(m.json));
            continue;
        }
        auto item = json::with_members(m.json, shown);
        if (!item) co_return failure{http::status::bad_gateway, "Billagain sent an unreadable payment method"};
        items.push_back(std::move(*item));
    }
    auto xml = outbound(*ctx.rt.dtos.autopay_list, json::join_array(items));
    if (!xml) co_return xml.error();
    co_return xml_reply{http::status::ok, std::move(*xml), {}};
}

namespace {

// validate=true and Billagain stored the method as not valid: it is removed again, the
// primary it displaced (`old_primary`, when it was saved as the primary) is primary again,
// and the client gets a 400. Nothing of the request stays.
net::awaitable<operation_result> refuse_invalid_method(operation_context& ctx, std::optional<std::uint64_t> method,
                                                       const std::vector<std::uint64_t>& old_primary) {
    std::string undo_failed;
    if (method) {
        const std::string target = "/v1/paymentmethods/" + std::to_string(*method);
        auto removed = co_await ctx.billagain.remove(target);
        if (!removed) undo_failed = " removed";
    }
    if (!old_primary.empty()) {
        const std::string target = "/v1/paymentmethods/" + std::to_string(old_primary.front()) + "/setprimary";
        auto restored = co_await ctx.billagain.put(target, {});
        if (!restored) undo_failed += undo_failed.empty() ? " made primary again" : " and the old one made primary again";
    }
    std::string message = "the payment method was not accepted as valid (validate=true)";
    message += undo_failed.empty() ? "; it was not saved"
                                   : "; it could not be" + undo_failed + ": check the customer's payment methods";
    co_return bad_request(std::move(message));
}

}  // namespace

// BluBilling: "If the autopayPreference field is the same, then the previous autopay
// method will be replaced by the current one." Billagain keeps only isPrimary, so
// preference 1 replaces the primary method; 2 and 3 replace the method the gateway
// recorded with that preference (a method it knows nothing of counts as 2).
net::awaitable<operation_result> save_autopay(operation_context& ctx) {
    const auto& dtos = ctx.rt.dtos;
    std::vector<std::string> ignored;
    auto converted = inbound(*dtos.autopay, ctx.body, ignored);
    if (!converted) co_return converted.error();
    // The preference number is the gateway's to keep: Billagain never sees it.
    auto split = json::take_member(*converted, dtos.autopay_roles.preference);
    if (!split) co_return failure{http::status::internal_server_error, "unreadable converted request"};
    // And what Billagain's payment methods have no field for (a billingAddress).
    auto parts = take_kept(split->first, dtos.autopay_roles.kept);
    if (!parts) co_return parts.error();
    auto request = std::move(parts->upstream);
    const int preference = split->second ? std::stoi(*split->second) : 1;
    const auto type = json::string_member(request, dtos.autopay_roles.type).value_or("");
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
        auto put = co_await put_customer(ctx, id, *merged);
        if (!put) co_return put.error();
        co_return xml_reply{http::status::ok, status_document(ctx.rt, true, id, reference, {}), std::move(ignored)};
    }

    auto current = co_await stored_methods(ctx, id);
    if (!current) co_return current.error();
    std::vector<std::uint64_t> replaced;
    for (const auto& m : *current)
        if (m.preference == preference) replaced.push_back(m.id);

    auto body = json::with_members(request, {{dtos.autopay_roles.customer_id, std::to_string(id)}});
    if (!body) co_return failure{http::status::internal_server_error, "unreadable converted request"};
    auto saved = co_await ctx.billagain.post(*endpoint, std::move(*body));
    if (!saved) co_return saved.error();
    // Billagain's answer echoes card digits: it is never passed on; only its id (and its
    // verdict) is read.
    const auto method = json::integer_member(saved->body, dtos.autopay_roles.id);
    if (ctx.target.validate && !json::bool_member(saved->body, dtos.autopay_roles.valid).value_or(true)) {
        std::vector<std::uint64_t> old_primary;  // no co_await around a temporary (GCC 12)
        if (preference == 1) old_primary = replaced;
        co_return co_await refuse_invalid_method(ctx, method, old_primary);
    }
    if (method) {
        co_await state_call(ctx, [&] { ctx.directory.set_autopay_preference(id, *method, preference); });
        co_await keep(ctx, id, payment_method_scope(*method), parts->kept, false);
    }
    // The old method goes only once the new one is stored: a refused card loses nothing.
    for (auto old : replaced) {
        auto removed = co_await ctx.billagain.remove("/v1/paymentmethods/" + std::to_string(old));
        if (!removed) co_return removed.error();
        co_await state_call(ctx, [&] { ctx.directory.forget_payment_method(id, old, payment_method_scope(old)); });
    }
    co_return xml_reply{http::status::ok, status_document(ctx.rt, true, id, reference, {}), std::move(ignored)};
}

net::awaitable<operation_result> add_customer_and_order(operation_context& ctx) {
    const auto& dtos = ctx.rt.dtos;
    std::vector<std::string> ignored;
    // One Billagain create carries the customer and its subscriptions: atomic there; a
    // sales contact, written after, is undone with the customer if it fails.
    auto created = co_await create_from_request(ctx, *dtos.add_customer_and_order, ignored);
    if (!created) co_return created.error();
    const auto id = created->id;

    auto graph = co_await read_customer(ctx, id);
    if (!graph) co_return graph.error();
    created->reference_guard.release();
    auto subscriptions = co_await ctx.billagain.get("/v1/customers/" + std::to_string(id) + "/subscriptions");
    if (!subscriptions) co_return subscriptions.error();
    auto& shown = *graph->shown;
    if (!shown.set_parsed(shown.root(), dtos.order_roles.subscriptions, subscriptions->body)) {
        co_return failure{http::status::bad_gateway, "Billagain sent an unreadable subscription list"};
    }
    auto xml = outbound(*dtos.add_customer_and_order_response, shown.root());
    if (!xml) co_return xml.error();
    co_return xml_reply{http::status::created, std::move(*xml), std::move(ignored)};
}

}  // namespace blubridge::gateway::operations
