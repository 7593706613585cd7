// Creating, updating, deleting and suspending customers.
#include "operations.hpp"

#include "../state_call.hpp"

#include "../customer_graph.hpp"
#include "../customer_lookup.hpp"
#include "../customer_write.hpp"
#include "../dto_conversion.hpp"
#include "../customer_resolver.hpp"
#include "../json_text.hpp"
#include "../kept_members.hpp"
#include "../keyed_mutex.hpp"

#include <algorithm>

namespace blubridge::gateway::operations {

namespace {

// <name> is one XML value stored as Name + LastName. When the mapping keeps it whole
// (a business, or a request that does not say), it sends no LastName: laid over the
// record, the old last name would survive and be appended to the new name.
step<std::string> whole_name_replaces_last_name(const runtime& rt, std::string changes) {
    const auto& name = rt.dtos.customer_roles.name;
    const auto& last_name = rt.dtos.customer_roles.last_name;
    auto members = json::split_object(changes);
    if (!members) return failure{http::status::internal_server_error, "unreadable converted request"};
    const auto has = [&](std::string_view n) {
        return std::any_of(members->begin(), members->end(), [&](const json::member& m) { return m.name == n; });
    };
    if (!has(name) || has(last_name)) return changes;
    members->push_back({std::string(last_name), "null"});
    return json::join_object(*members);
}

// The sales contact is read as the customer's second contact: written while the
// customer has no first one, it would be read back as the billing contact.
std::optional<failure> sales_needs_billing(const customer_graph& current, bool billing_written_first) {
    if (current.billing || billing_written_first) return std::nullopt;
    return bad_request("customer " + std::to_string(current.id) +
                       " has no billingContact yet; PUT its billingContact (with a name or email) first");
}

net::awaitable<operation_result> read_back(operation_context& ctx, std::uint64_t id, http::status status,
                                           const mapping::dto_mapping& dto,
                                           std::vector<std::string> ignored) {
    auto graph = co_await read_customer(ctx, id);
    if (!graph) co_return graph.error();
    auto xml = outbound(dto, graph->shown->root());
    if (!xml) co_return xml.error();
    co_return xml_reply{status, std::move(*xml), std::move(ignored)};
}

}  // namespace

net::awaitable<operation_result> create_customer(operation_context& ctx) {
    std::vector<std::string> ignored;
    auto created = co_await create_from_request(ctx, *ctx.rt.dtos.customer, ignored);
    if (!created) co_return created.error();
    // 200 with the customer, as BluBilling answers a create (4.1.4): its 201 means "created,
    // but the address is invalid", which never happens without its Avalara check.
    co_return co_await read_back(ctx, created->id, http::status::ok, *ctx.rt.dtos.customer, std::move(ignored));
}

// Puts back what an update already wrote when a later step of it fails, so a request is
// all or nothing as far as Billagain allows (it has no transactions): the customer record
// and, if it was changed, the billing contact as they were read before the update. The
// client is told which: undone, or partly written (a retry of the same PUT completes it,
// since an update is a merge).
net::awaitable<failure> restore(operation_context& ctx, const customer_graph& before, bool billing_changed,
                                failure failed) {
    bool undone = true;
    if (billing_changed && before.billing) {
        if (auto contact_id = json::integer_member(*before.billing, ctx.rt.dtos.contact_roles.id)) {
            undone = (co_await ctx.billagain.put("/v1/customercontacts/" + std::to_string(*contact_id), *before.billing))
                         .has_value();
        }
    }
    undone = (co_await put_customer(ctx, before.id, before.record)).has_value() && undone;
    failed.message += undone ? "; nothing was changed (the update was undone)"
                             : "; the update was only partly written and could not be undone: send the same "
                               "request again to complete it";
    co_return failed;
}

net::awaitable<operation_result> update_customer(operation_context& ctx) {
    const auto& dtos = ctx.rt.dtos;
    std::vector<std::string> ignored;
    auto request = inbound(*dtos.customer, ctx.body, ignored, false);
    if (!request) co_return request.error();

    auto locked = co_await lock_selected_customer(ctx);
    if (!locked) co_return locked.error();
    const auto& current = locked->graph;

    auto billing = json::take_member(*request, dtos.customer_roles.billing_contact);
    auto sales = billing ? json::take_member(billing->first, dtos.customer_roles.sales_contact) : std::nullopt;
    if (!sales) co_return failure{http::status::internal_server_error, "unreadable converted request"};
    if (sales->second) {
        if (auto refused = sales_needs_billing(current, billing->second.has_value())) co_return *refused;
    }
    // What Billagain has no field for is kept by the gateway once the update is written.
    auto record_part = take_kept(sales->first, dtos.customer_roles.kept);
    if (!record_part) co_return record_part.error();
    auto sales_part = take_kept_if_any(sales->second, dtos.contact_roles.kept);
    if (!sales_part) co_return sales_part.error();

    // A new reference must be free, as on create; checked before anything is written.
    const auto old_ref = json::string_member(current.record, dtos.customer_roles.reference);
    const auto new_ref = json::string_member(record_part->upstream, dtos.customer_roles.reference);
    const bool moves_reference = new_ref && new_ref != old_ref;
    keyed_mutex::guard reference_guard;  // held until the record is read back below
    if (moves_reference && !new_ref->empty()) {
        auto guard = co_await lock_reference(ctx, *new_ref);
        if (!guard) co_return guard.error();
        reference_guard = std::move(*guard);
        if (auto refused = co_await refuse_reference_in_use(ctx, *new_ref, current.id)) co_return *refused;
    }

    auto changes = whole_name_replaces_last_name(ctx.rt, std::move(record_part->upstream));
    if (!changes) co_return changes.error();
    auto merged = overlay(current.record, *changes);
    if (!merged) co_return merged.error();
    auto put = co_await put_customer(ctx, current.id, *merged);
    if (!put) co_return put.error();
    std::optional<failure> failed;
    if (billing->second) {
        auto saved = co_await save_contact(ctx, current.id, current.billing, *billing->second);
        if (!saved) failed = saved.error();
    }
    if (!failed && *sales_part) {
        auto saved = co_await save_contact(ctx, current.id, current.sales, (*sales_part)->upstream);
        if (!saved) failed = saved.error();
    }
    if (failed) co_return co_await restore(ctx, current, billing->second.has_value(), std::move(*failed));
    co_await keep(ctx, current.id, customer_scope, record_part->kept, true);
    if (*sales_part) co_await keep(ctx, current.id, sales_contact_scope, (*sales_part)->kept, true);
    co_return co_await read_back(ctx, current.id, http::status::ok, *dtos.customer, std::move(ignored));
}

net::awaitable<operation_result> update_contact(operation_context& ctx) {
    const auto& dtos = ctx.rt.dtos;
    const bool billing = ctx.target.contact == contact_kind::billing;
    const auto& dto = billing ? *dtos.billing_contact : *dtos.sales_contact;
    std::vector<std::string> ignored;
    auto request = inbound(dto, ctx.body, ignored, false);
    if (!request) co_return request.error();

    auto locked = co_await lock_selected_customer(ctx);
    if (!locked) co_return locked.error();
    const auto* current = &locked->graph;

    // What Billagain has no field for is kept by the gateway once the update is written: the
    // billing contact's with the customer record's, the sales contact's with the contact's.
    auto request_part = take_kept(*request, billing ? dtos.customer_roles.kept : dtos.contact_roles.kept);
    if (!request_part) co_return request_part.error();
    if (billing) {
        // The billing contact spans the customer record (address, phones) and the
        // contact record (names, login).
        auto parts = json::take_member(request_part->upstream, dtos.customer_roles.billing_contact);
        if (!parts) co_return failure{http::status::internal_server_error, "unreadable converted request"};
        auto merged = overlay(current->record, parts->first);
        if (!merged) co_return merged.error();
        auto put = co_await put_customer(ctx, current->id, *merged);
        if (!put) co_return put.error();
        if (parts->second) {
            auto saved = co_await save_contact(ctx, current->id, current->billing, *parts->second);
            if (!saved) co_return co_await restore(ctx, *current, false, saved.error());
        }
    } else {
        if (auto refused = sales_needs_billing(*current, false)) co_return *refused;
        auto saved = co_await save_contact(ctx, current->id, current->sales, request_part->upstream);
        if (!saved) co_return saved.error();
    }
    co_await keep(ctx, current->id, billing ? customer_scope : sales_contact_scope, request_part->kept, true);

    auto graph = co_await read_customer(ctx, current->id);
    if (!graph) co_return graph.error();
    const auto* sales = graph->sales_shown(ctx.rt.dtos.customer_roles.sales_contact);
    auto xml = billing ? outbound(dto, graph->shown->root())
                       : (sales ? outbound(dto, *sales)
                                : step<std::string>(failure{http::status::bad_gateway, "the sales contact was not saved"}));
    if (!xml) co_return xml.error();
    co_return xml_reply{http::status::ok, std::move(*xml), std::move(ignored)};
}

net::awaitable<operation_result> delete_customer(operation_context& ctx) {
    auto locked = co_await lock_selected_customer(ctx);
    if (!locked) co_return locked.error();
    const auto* current = &locked->graph;
    auto removed = co_await ctx.billagain.remove("/v1/customers/" + std::to_string(current->id));
    if (!removed) co_return removed.error();
    co_await forget_customer(ctx, current->id);
    const auto reference = json::string_member(current->record, ctx.rt.dtos.customer_roles.reference);
    co_return xml_reply{http::status::ok, status_document(ctx.rt, true, current->id, reference, {}), {}};
}

net::awaitable<operation_result> customer_action(operation_context& ctx) {
    auto locked = co_await lock_selected_customer(ctx);
    if (!locked) co_return locked.error();
    const auto* current = &locked->graph;
    const bool suspend = ctx.target.action == "suspend";
    const std::string verb = suspend ? "archive" : "reopen";
    // Billagain cannot suspend, only archive; the gateway marks the customer as suspended by
    // it (before the archive, so the first look at the archived record shows Suspended1).
    const auto id = current->id;
    if (suspend) co_await state_call(ctx, [&] { ctx.directory.mark_suspended(id); });
    auto done = co_await ctx.billagain.put("/v1/customers/" + std::to_string(current->id) + "/" + verb, {});
    if (!done) {
        if (suspend && json::bool_member(current->record, ctx.rt.dtos.customer_roles.active).value_or(false)) {
            co_await state_call(ctx, [&] { ctx.directory.clear_suspended(id); });  // still active: not suspended
        }
        co_return done.error();
    }
    if (!suspend) co_await state_call(ctx, [&] { ctx.directory.clear_suspended(id); });
    // Read back at once, so the directory records the transition now (and the
    // website callbacks fire) rather than at the next refresh.
    auto after = co_await ctx.billagain.get("/v1/customers/" + std::to_string(current->id));
    if (after) co_await observe_record(ctx, after->body);
    const auto reference = json::string_member(current->record, ctx.rt.dtos.customer_roles.reference);
    co_return xml_reply{http::status::ok, status_document(ctx.rt, true, current->id, reference, {}), {}};
}

}  // namespace blubridge::gateway::operations
