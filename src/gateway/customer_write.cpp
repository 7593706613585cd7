#include "customer_write.hpp"

#include "customer_resolver.hpp"
#include "dto_conversion.hpp"
#include "json_text.hpp"
#include "kept_members.hpp"
#include "lost_create.hpp"
#include "state_call.hpp"

#include <blubridge/mapping/error.hpp>

namespace blubridge::gateway {

namespace {

std::string contact_path(std::uint64_t contact_id) { return "/v1/customercontacts/" + std::to_string(contact_id); }

}  // namespace

step<std::string> overlay(std::string_view current, std::string_view changes) {
    auto members = json::split_object(changes);
    if (!members) return failure{http::status::internal_server_error, "unreadable converted request"};
    auto merged = json::with_members(current, *members);
    if (!merged) return failure{http::status::bad_gateway, "Billagain sent an unreadable record"};
    return *merged;
}

namespace {

// The read form → the update form: each declared member, under the name the update takes,
// from that name if the record has it (a change the client sent), else from the read name.
// Members the record lacks are left out. No form declared: the record as it is.
std::optional<std::string> update_form(const mapping::dto_mapping& dto, std::string_view record) {
    const auto form = dto.update_form();
    if (form.empty()) return std::string(record);
    auto members = json::split_object(record);
    if (!members) return std::nullopt;
    const auto find = [&](std::string_view name) -> const json::member* {
        for (const auto& m : *members)
            if (m.name == name) return &m;
        return nullptr;
    };
    std::vector<json::member> out;
    out.reserve(form.size());
    for (const auto& wanted : form) {
        if (!wanted.replaced_by.empty() && find(wanted.replaced_by)) continue;
        const auto* m = find(wanted.send);
        if (!m) m = find(wanted.read);
        if (m) out.push_back({wanted.send, m->raw});
    }
    return json::join_object(out);
}

}  // namespace

net::awaitable<step<bool>> put_customer(operation_context& ctx, std::uint64_t id, std::string_view record) {
    auto body = update_form(*ctx.rt.dtos.customer, record);
    if (!body) co_return failure{http::status::bad_gateway, "Billagain sent an unreadable record"};
    auto put = co_await ctx.billagain.put("/v1/customers/" + std::to_string(id), std::move(*body));
    if (!put) co_return put.error();
    co_return true;
}

net::awaitable<step<bool>> save_contact(operation_context& ctx, std::uint64_t customer,
                                        const std::optional<std::string>& existing, std::string_view changes) {
    const auto& roles = ctx.rt.dtos.contact_roles;
    if (existing) {
        auto merged = overlay(*existing, changes);
        if (!merged) co_return merged.error();
        auto contact_id = json::integer_member(*existing, roles.id);
        if (!contact_id) co_return failure{http::status::bad_gateway, "Billagain sent a contact without an id"};
        auto put = co_await ctx.billagain.put(contact_path(*contact_id), std::move(*merged));
        if (!put) co_return put.error();
        co_return true;
    }
    auto body = json::with_members(changes, {{roles.customer_id, std::to_string(customer)}});
    if (!body) co_return failure{http::status::internal_server_error, "unreadable converted request"};
    auto post = co_await ctx.billagain.post("/v1/customercontacts", std::move(*body));
    if (!post) co_return post.error();
    co_return true;
}

namespace {

failure unresolved_create(operation_context& ctx, std::uint64_t highest_before) {
    ctx.unresolved_create_after = highest_before;
    return failure{http::status::bad_gateway,
                   "Billagain's answer to the create was lost and whether the customer was created cannot be "
                   "learnt now; retry with the same Idempotency-Key: the gateway looks for it before creating one"};
}

// POST /v1/customers, knowing the outcome even when the answer is lost: the customer
// may have been created, so it is looked for (Billagain lists in creation order) before
// the client is told anything. A retry that resumes an unresolved create looks first.
net::awaitable<step<std::uint64_t>> create_record(operation_context& ctx, std::string record) {
    const std::uint64_t highest_before = ctx.directory.highest_id().value_or(0);
    if (ctx.resume_create_after) {
        const auto earlier = co_await find_lost_create(ctx, record, *ctx.resume_create_after);
        if (earlier.outcome == lost_create::verdict::found) co_return earlier.id;
        if (earlier.outcome == lost_create::verdict::unknown) co_return unresolved_create(ctx, *ctx.resume_create_after);
    }
    auto created = co_await ctx.billagain.post("/v1/customers", record);
    if (created) {
        auto id = json::integer_member(created->body, ctx.rt.dtos.customer_roles.id);
        if (!id) co_return failure{http::status::bad_gateway, "Billagain created the customer but sent no id"};
        co_return *id;
    }
    if (!created.error().outcome_unknown) co_return created.error();
    const auto search = co_await find_lost_create(ctx, record, highest_before);
    if (search.outcome == lost_create::verdict::found) co_return search.id;
    if (search.outcome == lost_create::verdict::unknown) co_return unresolved_create(ctx, highest_before);
    failure absent = created.error();
    absent.outcome_unknown = false;
    absent.message += "; the customer was not created (checked), so the request can be sent again";
    co_return absent;
}

}  // namespace

net::awaitable<step<std::uint64_t>> create_with_contacts(operation_context& ctx, std::string customer) {
    const auto& roles = ctx.rt.dtos.customer_roles;
    auto split = json::take_member(customer, roles.sales_contact);
    if (!split) co_return failure{http::status::internal_server_error, "unreadable converted request"};
    // The sales contact is read back as the second contact: without a first one it
    // would take the billing contact's place.
    if (split->second && !json::take_member(split->first, roles.billing_contact)->second) {
        co_return bad_request("a salesContact needs a billingContact with a name or email (BluBilling requires it)");
    }
    // What Billagain has no field for stays with the gateway (kept once the create is done).
    auto record = take_kept(split->first, roles.kept);
    if (!record) co_return record.error();
    auto sales = take_kept_if_any(split->second, ctx.rt.dtos.contact_roles.kept);
    if (!sales) co_return sales.error();
    auto id = co_await create_record(ctx, std::move(record->upstream));
    if (!id) co_return id.error();
    if (*sales) {
        auto saved = co_await save_contact(ctx, *id, std::nullopt, (*sales)->upstream);
        if (!saved) {
            // All or nothing: take the half-made customer (and what it was created with) away.
            const bool undone = (co_await ctx.billagain.remove("/v1/customers/" + std::to_string(*id))).has_value();
            failure failed = saved.error();
            failed.message += undone ? "; the customer was not created (undone)"
                                     : "; customer " + std::to_string(*id) +
                                           " was created without its salesContact and could not be removed";
            co_return failed;
        }
        co_await keep(ctx, *id, sales_contact_scope, (*sales)->kept, false);
    }
    co_await keep(ctx, *id, customer_scope, record->kept, false);
    co_return *id;
}


namespace {

// A retry of a create whose outcome was never learnt finds the reference in use when the
// first attempt did create the customer and the directory has seen it since (a refresh, a
// read): that is the customer being looked for, not a clash, if every holder of the
// reference is newer than the marker. create_record's search then answers with it.
bool resumes_own_create(const operation_context& ctx, const std::vector<std::uint64_t>& holders) {
    if (!ctx.resume_create_after) return false;
    return !holders.empty() && std::all_of(holders.begin(), holders.end(),
                                           [&](auto id) { return id > *ctx.resume_create_after; });
}

}  // namespace

net::awaitable<step<created_customer>> create_from_request(operation_context& ctx, const mapping::dto_mapping& dto,
                                                           std::vector<std::string>& ignored) {
    auto request = inbound(dto, ctx.body, ignored);
    if (!request) co_return request.error();
    created_customer created;
    const auto reference = json::string_member(*request, ctx.rt.dtos.customer_roles.reference);
    if (reference && !reference->empty()) {
        auto guard = co_await lock_reference(ctx, *reference);
        if (!guard) co_return guard.error();
        created.reference_guard = std::move(*guard);
        std::vector<std::uint64_t> holders;
        if (ctx.resume_create_after)
            holders = co_await state_call(ctx, [&] { return ctx.directory.find_by_reference(*reference); });
        if (!resumes_own_create(ctx, holders)) {
            if (auto refused = co_await refuse_reference_in_use(ctx, *reference)) co_return *refused;
        }
    }
    auto id = co_await create_with_contacts(ctx, std::move(*request));
    if (!id) co_return id.error();
    created.id = *id;
    co_return created;
}

}  // namespace blubridge::gateway
