#include "customer_lookup.hpp"

#include "customer_resolver.hpp"
#include "json_text.hpp"
#include "state_call.hpp"

#include <blubridge/directory/customer_directory.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>

namespace blubridge::gateway {

net::awaitable<boost::system::result<std::uint64_t, failure>> resolve_reference(operation_context& ctx,
                                                                              const std::string& ref) {
    if (auto known = ctx.resolver.resolve_in_memory(ref)) co_return std::move(*known);
    co_return co_await state_call(ctx, [&] { return ctx.resolver.resolve(ref); });
}

net::awaitable<void> observe_record(operation_context& ctx, std::string_view record) {
    // Alone, observe is as quick as its memory half (and reads the record once).
    if (ctx.directory.shared() && ctx.resolver.observe_in_memory(record)) co_return;
    co_await state_call(ctx, [&] { ctx.resolver.observe(record); });
}

net::awaitable<void> forget_customer(operation_context& ctx, std::uint64_t id) {
    co_await state_call(ctx, [&] { ctx.resolver.removed(id); });
}

net::awaitable<step<std::uint64_t>> customer_id(operation_context& ctx) {
    if (ctx.target.customer.id) co_return *ctx.target.customer.id;
    co_return co_await resolve_reference(ctx, ctx.target.customer.ext_ref);
}

namespace {

// What a read of customer `id` for the request's reference `ref` tells the resolver:
// a customer that is gone or no longer carries the reference corrects its index (the
// caller then resolves once more). True if the record does carry `ref`.
net::awaitable<bool> confirms_reference(operation_context& ctx, std::uint64_t id, const step<billagain_reply>& record,
                                        const std::string& ref) {
    if (!record) {
        if (record.error().status == http::status::not_found) co_await forget_customer(ctx, id);
        co_return false;
    }
    co_await observe_record(ctx, record->body);
    co_return json::string_member(record->body, ctx.rt.dtos.customer_roles.reference) == ref;
}

}  // namespace

net::awaitable<step<std::uint64_t>> confirmed_customer_id(operation_context& ctx) {
    const auto& ref = ctx.target.customer.ext_ref;
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto id = co_await customer_id(ctx);
        if (!id || ref.empty()) co_return id;
        auto record = co_await ctx.billagain.get("/v1/customers/" + std::to_string(*id));
        if (co_await confirms_reference(ctx, *id, record, ref)) co_return *id;
        if (!record && record.error().status != http::status::not_found) co_return record.error();
    }
    co_return not_found("no customer has extCustomerRef '" + ref + "'");
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


net::awaitable<step<locked_customer>> lock_selected_customer(operation_context& ctx) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto id = co_await customer_id(ctx);
        if (!id) co_return id.error();
        auto guard = co_await lock_for_write(ctx, *id, "customer " + std::to_string(*id));
        if (!guard) co_return guard.error();
        auto graph = co_await read_selected_customer(ctx);
        if (!graph) co_return graph.error();
        if (graph->id == *id) {
            if (auto unreadable = split_raw_contacts(*graph)) co_return *unreadable;  // a write sends them back
            co_return locked_customer{std::move(*guard), std::move(*graph)};
        }
        // The reference led elsewhere once read: lock the customer it names now.
    }
    co_return failure{http::status::service_unavailable,
                      "extCustomerRef '" + ctx.target.customer.ext_ref + "' keeps moving between customers; try again"};
}

net::awaitable<step<keyed_mutex::guard>> lock_reference(operation_context& ctx, const std::string& ref) {
    // References share the lock table with customer ids: the top bit keeps them apart
    // (ids stay far below 2^63); a hash collision only makes two creates wait in turn.
    constexpr std::uint64_t reference_space = std::uint64_t{1} << 63;
    co_return co_await lock_for_write(ctx, std::hash<std::string>{}(ref) | reference_space, "reference " + ref);
}

namespace {

constexpr auto shared_lock_patience = std::chrono::seconds(30);
constexpr auto shared_lock_retry = std::chrono::milliseconds(20);

}  // namespace

net::awaitable<step<keyed_mutex::guard>> lock_for_write(operation_context& ctx, std::uint64_t key,
                                                        std::string shared_name) {
    auto guard = co_await ctx.locks_owner->lock(key);
    auto* shared = ctx.directory.write_locks();
    if (shared == nullptr) co_return guard;
    const auto give_up = std::chrono::steady_clock::now() + shared_lock_patience;
    net::steady_timer pause(co_await net::this_coro::executor);
    while (true) {
        const auto taken = co_await run_on(ctx.locks_owner->lock_order(), [&] { return shared->try_lock(shared_name); });
        if (!taken) {
            failure f{http::status::service_unavailable, "the gateways' shared state cannot be reached; try again"};
            f.retry_after_seconds = 1;
            co_return f;
        }
        if (*taken) break;
        if (std::chrono::steady_clock::now() >= give_up) {
            failure f{http::status::service_unavailable, "this customer is being changed through another gateway; try again"};
            f.retry_after_seconds = 1;
            co_return f;
        }
        pause.expires_after(shared_lock_retry);
        co_await pause.async_wait(net::use_awaitable);
    }
    // Released on the same thread, so it runs after this lock and before any later one.
    guard.also_release([locks = ctx.locks_owner, shared, name = std::move(shared_name)] {
        net::post(locks->lock_order(), [shared, name] { shared->unlock(name); });
    });
    co_return guard;
}


net::awaitable<std::optional<failure>> refuse_reference_in_use(operation_context& ctx, const std::string& ref,
                                                               std::optional<std::uint64_t> taker) {
    if (ref.empty()) co_return std::nullopt;  // an empty extCustomerRef names nobody: nothing to clash with
    auto holders = co_await state_call(ctx, [&] { return ctx.resolver.holders(ref); });
    if (!holders) co_return holders.error();
    if (holders->empty()) co_return std::nullopt;
    const std::string who = taker ? "customer " + std::to_string(*taker) + " was not changed"
                                  : "the new customer was not created";
    co_return conflict("extCustomerRef '" + ref + "' is already used by " + name_customers(*holders) + "; " + who);
}

}  // namespace blubridge::gateway
