#include "customer_graph.hpp"

#include "customer_lookup.hpp"
#include "customer_resolver.hpp"
#include "json_text.hpp"
#include "kept_members.hpp"
#include "state_call.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
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

// What the gateway keeps of a customer beside Billagain's record.
struct gateway_side {
    std::vector<directory::kept_members> kept;
    bool suspended = false;  ///< by the gateway (Billagain archived it)
};

// From memory when it can say (most customers: nothing kept, entry known), otherwise from
// the store through state_call.
net::awaitable<gateway_side> gateway_side_of(operation_context& ctx, std::uint64_t id) {
    gateway_side out;
    if (ctx.directory.keeps_members_of(id)) out.kept = co_await state_call(ctx, [&] { return ctx.directory.kept(id); });
    auto entry = ctx.directory.find_in_memory(id);
    if (!entry) entry = co_await state_call(ctx, [&] { return ctx.directory.find(id); });
    out.suspended = entry && entry->flags.suspended;
    co_return out;
}

// A customer record with its contacts list (the first is the billing contact, the second the
// sales contact), combined as the customer mapping reads it, with what the gateway keeps of
// the customer and the status it set (see customer_graph).
step<customer_graph> graph_of(const operation_context& ctx, std::uint64_t id, std::string record,
                              std::string contacts, const gateway_side& side) {
    const auto& roles = ctx.rt.dtos.customer_roles;
    customer_graph g;
    g.id = id;
    g.record = std::move(record);
    g.contacts = std::move(contacts);
    g.contacts_tree = json::tree::parse(g.contacts);
    if (!g.contacts_tree || !g.contacts_tree->root().IsArray()) return unreadable("contact list");
    g.shown = json::tree::parse(g.record);
    if (!g.shown || !g.shown->root().IsObject()) return unreadable("customer record");
    auto& shown = *g.shown;
    const auto& kept = side.kept;
    if (const auto customer_kept = kept_in(kept, customer_scope);
        customer_kept && !shown.set_parsed(shown.root(), roles.kept, *customer_kept)) {
        return unreadable("customer record");
    }
    if (side.suspended) {
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

std::optional<failure> split_raw_contacts(customer_graph& g) {
    auto list = json::split_array(g.contacts);
    if (!list) return unreadable("contact list");
    if (list->size() > 0) g.billing = std::move((*list)[0]);
    if (list->size() > 1) g.sales = std::move((*list)[1]);
    return std::nullopt;
}

net::awaitable<step<customer_graph>> read_customer(operation_context& ctx, std::uint64_t id) {
    auto both = co_await read_record_and_contacts(ctx.billagain, id);
    auto& record = both.record;
    auto& contacts = both.contacts;
    if (!record) {
        if (record.error().status == http::status::not_found) co_await forget_customer(ctx, id);
        co_return record.error();
    }
    co_await observe_record(ctx, record->body);  // every read keeps the directory current
    if (!contacts) co_return contacts.error();
    const auto side = co_await gateway_side_of(ctx, id);
    co_return graph_of(ctx, id, std::move(record->body), std::move(contacts->body), side);
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
            co_await observe_record(ctx, item);
            found.insert_or_assign(*id, std::move(item));
        }
    }
    std::vector<std::string> records;
    records.reserve(ids.size());
    for (auto id : ids) {
        auto it = found.find(id);
        if (it == found.end()) {
            co_await forget_customer(ctx, id);  // deleted in Billagain since the directory last looked
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
    // The reads run concurrently on this coroutine's executor (one thread, or the session's
    // strand), as billagain_api requires, and this coroutine waits while they run. (A strand
    // of its own cost a heap allocation per I/O operation of every read.)
    const auto executor = co_await net::this_coro::executor;
    using contact_read = decltype(net::co_spawn(executor, ctx.billagain.get({}), net::deferred));
    std::vector<customer_graph> combined;
    combined.reserve(records->size());
    for (std::size_t at = 0; at < records->size(); at += contact_reads_in_flight) {
        const std::size_t end = std::min(records->size(), at + contact_reads_in_flight);
        std::vector<std::uint64_t> batch;
        std::vector<contact_read> reads;
        for (std::size_t i = at; i < end; ++i) {
            const auto id = json::integer_member((*records)[i], roles.id).value_or(0);
            batch.push_back(id);
            reads.push_back(net::co_spawn(executor, ctx.billagain.get(customer_contacts_path(id)), net::deferred));
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
            const auto side = co_await gateway_side_of(ctx, batch[k]);
            auto graph = graph_of(ctx, batch[k], std::move((*records)[at + k]), std::move(contacts), side);
            if (!graph) co_return graph.error();
            combined.push_back(std::move(*graph));
        }
    }
    co_return combined;
}

}  // namespace blubridge::gateway
