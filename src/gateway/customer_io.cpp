#include "customer_io.hpp"

#include "customer_resolver.hpp"
#include "json_text.hpp"
#include "kept_members.hpp"
#include "lost_create.hpp"

#include <blubridge/mapping/error.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <unordered_map>

namespace blubridge::gateway {

namespace {

// Billagain's list of a customer's contacts (billing first, then sales).
std::string customer_contacts_path(std::uint64_t customer) {
    return "/v1/customers/" + std::to_string(customer) + "/contacts";
}

failure unreadable(std::string_view what) {
    return {http::status::bad_gateway, "Billagain sent an unreadable " + std::string(what)};
}

// A customer record with its contacts list (the first is the billing contact, the second the
// sales contact), combined as the customer mapping reads it, with what the gateway keeps of
// the customer and the status it set (see customer_graph).
step<customer_graph> graph_of(const operation_context& ctx, std::uint64_t id, std::string record,
                              std::string contacts) {
    const auto& roles = ctx.rt.dtos.customer_roles;
    customer_graph g;
    g.id = id;
    g.record = std::move(record);
    auto list = json::split_array(contacts);  // raw, numbers as written: what a write sends back
    if (!list) return unreadable("contact list");
    if (list->size() > 0) g.billing = std::move((*list)[0]);
    if (list->size() > 1) g.sales = std::move((*list)[1]);

    g.contacts_tree = json::tree::parse(contacts);
    if (!g.contacts_tree || !g.contacts_tree->root().IsArray()) return unreadable("contact list");
    g.shown = json::tree::parse(g.record);
    if (!g.shown || !g.shown->root().IsObject()) return unreadable("customer record");
    auto& shown = *g.shown;
    const auto kept = ctx.directory.kept(id);
    if (const auto customer_kept = kept_in(kept, customer_scope);
        customer_kept && !shown.set_parsed(shown.root(), roles.kept, *customer_kept)) {
        return unreadable("customer record");
    }
    if (const auto entry = ctx.directory.find(id); entry && entry->flags.suspended) {
        shown.set_true(roles.suspended);  // suspended by the gateway (Billagain archived it)
    }
    auto& contact_list = g.contacts_tree->root();
    if (contact_list.Size() > 0) shown.adopt(roles.billing_contact, contact_list[0]);
    if (contact_list.Size() > 1) {
        auto& sales = contact_list[1];
        if (!sales.IsObject()) return unreadable("contact");
        if (const auto sales_kept = kept_in(kept, sales_contact_scope);
            sales_kept && !g.contacts_tree->set_parsed(sales, ctx.rt.dtos.contact_roles.kept, *sales_kept)) {
            return unreadable("contact");
        }
        shown.adopt(roles.sales_contact, sales);
    }
    return g;
}

}  // namespace

net::awaitable<step<std::uint64_t>> customer_id(operation_context& ctx) {
    if (ctx.target.customer.id) co_return *ctx.target.customer.id;
    co_return ctx.resolver.resolve(ctx.target.customer.ext_ref);
}

namespace {

// What a read of customer `id` for the request's reference `ref` tells the resolver:
// a customer that is gone or no longer carries the reference corrects its index (the
// caller then resolves once more). True if the record does carry `ref`.
bool confirms_reference(operation_context& ctx, std::uint64_t id, const step<billagain_reply>& record,
                        const std::string& ref) {
    if (!record) {
        if (record.error().status == http::status::not_found) ctx.resolver.removed(id);
        return false;
    }
    ctx.resolver.observe(record->body);
    return json::string_member(record->body, ctx.rt.dtos.customer_roles.reference) == ref;
}

}  // namespace

net::awaitable<step<std::uint64_t>> confirmed_customer_id(operation_context& ctx) {
    const auto& ref = ctx.target.customer.ext_ref;
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto id = co_await customer_id(ctx);
        if (!id || ref.empty()) co_return id;
        auto record = co_await ctx.billagain.get("/v1/customers/" + std::to_string(*id));
        if (confirms_reference(ctx, *id, record, ref)) co_return *id;
        if (!record && record.error().status != http::status::not_found) co_return record.error();
    }
    co_return not_found("no customer has extCustomerRef '" + ref + "'");
}

namespace {

struct record_and_contacts {
    api_result record;
    api_result contacts;
};

// Customer `id`'s record and contacts list, read at once (the latency of one call, not
// two). While the host's breaker is not closed they go one after the other, so the single
// probe it lets through is not spent on a second request refused beside it; then a record
// that could not be read skips the contacts.
net::awaitable<record_and_contacts> read_record_and_contacts(billagain_api& api, std::uint64_t id) {
    auto record_path = "/v1/customers/" + std::to_string(id);
    // (No co_await inside an initializer: GCC 12 mishandles the temporaries there.)
    record_and_contacts r;
    if (!api.healthy()) {
        r.record = co_await api.get(std::move(record_path));
        if (r.record) r.contacts = co_await api.get(customer_contacts_path(id));
        else r.contacts = r.record.error();
        co_return r;
    }
    // Both run on this coroutine's executor (one thread, or the session's strand), as
    // billagain_api requires.
    const auto executor = co_await net::this_coro::executor;
    auto [order, record_error, record, contacts_error, contacts] =
        co_await net::experimental::make_parallel_group(
            net::co_spawn(executor, api.get(std::move(record_path)), net::deferred),
            net::co_spawn(executor, api.get(customer_contacts_path(id)), net::deferred))
            .async_wait(net::experimental::wait_for_all(), net::use_awaitable);
    if (record_error) std::rethrow_exception(record_error);
    if (contacts_error) std::rethrow_exception(contacts_error);
    r.record = std::move(record);
    r.contacts = std::move(contacts);
    co_return r;
}

}  // namespace

net::awaitable<step<customer_graph>> read_customer(operation_context& ctx, std::uint64_t id) {
    auto both = co_await read_record_and_contacts(ctx.billagain, id);
    auto& record = both.record;
    auto& contacts = both.contacts;
    if (!record) {
        if (record.error().status == http::status::not_found) ctx.resolver.removed(id);
        co_return record.error();
    }
    ctx.resolver.observe(record->body);  // every read keeps the directory current
    if (!contacts) co_return contacts.error();
    co_return graph_of(ctx, id, std::move(record->body), std::move(contacts->body));
}

net::awaitable<step<customer_graph>> read_selected_customer(operation_context& ctx) {
    const auto& ref = ctx.target.customer.ext_ref;
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto id = co_await customer_id(ctx);
        if (!id) co_return id.error();
        auto graph = co_await read_customer(ctx, *id);
        if (ref.empty()) co_return graph;
        if (!graph) {
            // Gone (read_customer told the resolver): look again once.
            if (graph.error().status == http::status::not_found && attempt == 0) continue;
            co_return graph.error();
        }
        if (graph->shown->string_member(ctx.rt.dtos.customer_roles.reference) == ref) co_return graph;
        // The reference moved elsewhere (the read corrected the directory): look again once.
    }
    co_return not_found("no customer has extCustomerRef '" + ref + "'");
}

net::awaitable<step<std::vector<std::string>>> customers_by_ids(operation_context& ctx,
                                                                 const std::vector<std::uint64_t>& ids) {
    auto pages = co_await customers_by_id_pages(ctx.billagain, ctx.rt.dtos.list_roles.ids, ids);
    if (!pages) co_return pages.error();
    std::unordered_map<std::uint64_t, std::string> found;
    for (const auto& page : *pages) {
        auto items = json::split_array(page);
        if (!items) co_return unreadable("customer list");
        for (auto& item : *items) {
            auto id = json::integer_member(item, ctx.rt.dtos.customer_roles.id);
            if (!id) co_return unreadable("customer list");
            ctx.resolver.observe(item);
            found.insert_or_assign(*id, std::move(item));
        }
    }
    std::vector<std::string> records;
    records.reserve(ids.size());
    for (auto id : ids) {
        auto it = found.find(id);
        if (it == found.end()) {
            ctx.resolver.removed(id);  // deleted in Billagain since the directory last looked
            continue;
        }
        records.push_back(std::move(it->second));
    }
    co_return records;
}

net::awaitable<step<std::vector<customer_graph>>> customers_with_contacts(operation_context& ctx,
                                                                           const std::vector<std::uint64_t>& ids) {
    auto records = co_await customers_by_ids(ctx, ids);
    if (!records) co_return records.error();
    const auto& roles = ctx.rt.dtos.customer_roles;
    // The reads run concurrently on one strand: billagain_api is not shared across threads,
    // and this coroutine waits while they run.
    auto strand = net::make_strand(co_await net::this_coro::executor);
    using contact_read = decltype(net::co_spawn(strand, ctx.billagain.get({}), net::deferred));
    std::vector<customer_graph> combined;
    combined.reserve(records->size());
    for (std::size_t at = 0; at < records->size(); at += contact_reads_in_flight) {
        const std::size_t end = std::min(records->size(), at + contact_reads_in_flight);
        std::vector<std::uint64_t> batch;
        std::vector<contact_read> reads;
        for (std::size_t i = at; i < end; ++i) {
            const auto id = json::integer_member((*records)[i], roles.id).value_or(0);
            batch.push_back(id);
            reads.push_back(net::co_spawn(strand, ctx.billagain.get(customer_contacts_path(id)), net::deferred));
        }
        auto done = co_await net::experimental::make_parallel_group(std::move(reads))
                        .async_wait(net::experimental::wait_for_all(), net::use_awaitable);
        auto& errors = std::get<1>(done);
        auto& replies = std::get<2>(done);
        for (std::size_t k = 0; k < replies.size(); ++k) {
            if (errors[k]) std::rethrow_exception(errors[k]);
            std::string contacts = "[]";  // deleted since the list was read: shown without contacts
            if (replies[k]) contacts = std::move(replies[k]->body);
            else if (replies[k].error().status != http::status::not_found) co_return replies[k].error();
            auto graph = graph_of(ctx, batch[k], std::move((*records)[at + k]), std::move(contacts));
            if (!graph) co_return graph.error();
            combined.push_back(std::move(*graph));
        }
    }
    co_return combined;
}

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
        keep(ctx.directory, *id, sales_contact_scope, (*sales)->kept, false);
    }
    keep(ctx.directory, *id, customer_scope, record->kept, false);
    co_return *id;
}

net::awaitable<step<locked_customer>> lock_selected_customer(operation_context& ctx) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto id = co_await customer_id(ctx);
        if (!id) co_return id.error();
        auto guard = co_await ctx.locks_owner->lock(*id);
        auto graph = co_await read_selected_customer(ctx);
        if (!graph) co_return graph.error();
        if (graph->id == *id) co_return locked_customer{std::move(guard), std::move(*graph)};
        // The reference led elsewhere once read: lock the customer it names now.
    }
    co_return failure{http::status::service_unavailable,
                      "extCustomerRef '" + ctx.target.customer.ext_ref + "' keeps moving between customers; try again"};
}

net::awaitable<keyed_mutex::guard> lock_reference(operation_context& ctx, const std::string& ref) {
    // References share the lock table with customer ids: the top bit keeps them apart
    // (ids stay far below 2^63); a hash collision only makes two creates wait in turn.
    constexpr std::uint64_t reference_space = std::uint64_t{1} << 63;
    co_return co_await ctx.locks_owner->lock(std::hash<std::string>{}(ref) | reference_space);
}

namespace {

// A retry of a create whose outcome was never learnt finds the reference in use when the
// first attempt did create the customer and the directory has seen it since (a refresh, a
// read): that is the customer being looked for, not a clash, if every holder of the
// reference is newer than the marker. create_record's search then answers with it.
bool resumes_own_create(const operation_context& ctx, const std::string& reference) {
    if (!ctx.resume_create_after) return false;
    const auto holders = ctx.directory.find_by_reference(reference);
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
        created.reference_guard = co_await lock_reference(ctx, *reference);
        if (!resumes_own_create(ctx, *reference)) {
            if (auto refused = co_await refuse_reference_in_use(ctx, *reference)) co_return *refused;
        }
    }
    auto id = co_await create_with_contacts(ctx, std::move(*request));
    if (!id) co_return id.error();
    created.id = *id;
    co_return created;
}

net::awaitable<std::optional<failure>> refuse_reference_in_use(operation_context& ctx, const std::string& ref,
                                                               std::optional<std::uint64_t> taker) {
    if (ref.empty()) co_return std::nullopt;  // an empty extCustomerRef names nobody: nothing to clash with
    auto holders = ctx.resolver.holders(ref);
    if (!holders) co_return holders.error();
    if (holders->empty()) co_return std::nullopt;
    const std::string who = taker ? "customer " + std::to_string(*taker) + " was not changed"
                                  : "the new customer was not created";
    co_return conflict("extCustomerRef '" + ref + "' is already used by " + name_customers(*holders) + "; " + who);
}

step<std::string> inbound(const mapping::dto_mapping& dto, std::string_view xml, std::vector<std::string>& ignored,
                          bool apply_defaults) {
    if (xml.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return bad_request("the request needs an XML <" + std::string(dto.name()) + "> document");
    }
    std::string json;
    mapping::conversion_report report;
    mapping::inbound_options options;
    options.apply_defaults = apply_defaults;
    if (auto ec = dto.to_json(xml, json, report, options)) {
        std::string message = report.message.empty() ? ec.message() : report.message;
        if (!report.path.empty()) message = report.path + ": " + message;
        if (ec == mapping::error::unknown_element) {
            message = "unknown elements:";
            for (const auto& u : report.unknown) message += " " + u;
        }
        return bad_request(std::move(message));
    }
    ignored = std::move(report.unknown);
    return json;
}

namespace {

failure unshowable(const boost::system::error_code& ec, const mapping::conversion_report& report) {
    std::string message = report.message.empty() ? ec.message() : report.message;
    if (!report.path.empty()) message = report.path + ": " + message;
    return {http::status::bad_gateway, "Billagain data cannot be shown as XML (" + message + ")"};
}

}  // namespace

step<std::string> outbound(const mapping::dto_mapping& dto, std::string_view json) {
    std::string xml;
    mapping::conversion_report report;
    if (auto ec = dto.to_xml(json, xml, report)) return unshowable(ec, report);
    return xml;
}

step<std::string> outbound(const mapping::dto_mapping& dto, const json::tree::value& json) {
    std::string xml;
    mapping::conversion_report report;
    if (auto ec = dto.to_xml(json, xml, report)) return unshowable(ec, report);
    return xml;
}

std::string status_document(const runtime& rt, bool success, std::optional<std::uint64_t> id,
                            const std::optional<std::string>& reference, const std::vector<std::string>& errors) {
    const auto& roles = rt.dtos.status_roles;
    std::vector<json::member> members;
    members.push_back({roles.success, success ? "true" : "false"});
    if (id) members.push_back({roles.id, std::to_string(*id)});
    if (reference) members.push_back({roles.reference, json::quote(*reference)});
    if (!errors.empty()) {
        std::vector<std::string> items;
        for (const auto& e : errors) items.push_back(json::join_object({{roles.message, json::quote(e)}}));
        members.push_back({roles.errors, json::join_array(items)});
    }
    std::string xml;
    mapping::conversion_report report;
    if (rt.dtos.status->to_xml(json::join_object(members), xml, report)) {
        // Only a broken status mapping gets here; the client still gets well-formed XML.
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><status><success>False</success></status>";
    }
    return xml;
}

}  // namespace blubridge::gateway
