#pragma once
// Calls on the customer directory that may wait for a database, kept off the I/O threads.
#include "keyed_mutex.hpp"
#include "operation_context.hpp"

#include <blubridge/directory/customer_directory.hpp>
#include <blubridge/net.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>

namespace blubridge::gateway {

/// Runs `call` on `where` and comes back to the calling coroutine's executor.
template <class Call>
net::awaitable<std::invoke_result_t<Call>> run_on(net::any_io_executor where, Call call) {
    const auto home = co_await net::this_coro::executor;
    co_await net::post(where, net::use_awaitable);
    if constexpr (std::is_void_v<std::invoke_result_t<Call>>) {
        call();
        co_await net::post(home, net::use_awaitable);
    } else {
        auto result = call();
        co_await net::post(home, net::use_awaitable);
        co_return result;
    }
}

/// With state shared by several gateways (PostgreSQL) `call` runs on the gateway's
/// blocking pool, off the I/O thread; alone (SQLite, a local file, as fast as the hop
/// itself) it runs inline.
template <class Call>
net::awaitable<std::invoke_result_t<Call>> state_call(operation_context& ctx, Call call) {
    if (ctx.directory.write_locks() == nullptr) co_return call();
    co_return co_await run_on(ctx.locks_owner->blocking_executor(), std::move(call));
}

}  // namespace blubridge::gateway
