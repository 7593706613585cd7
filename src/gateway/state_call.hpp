#pragma once
// Calls on the customer directory that may wait for a database, kept off the I/O threads.
#include "keyed_mutex.hpp"
#include "operation_context.hpp"

#include <blubridge/directory/customer_directory.hpp>
#include <blubridge/net.hpp>
#include <blubridge/run_on.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>

namespace blubridge::gateway {

/// With state shared by several gateways (PostgreSQL) `call` runs on the gateway's
/// blocking pool, off the I/O thread; alone (SQLite, a local file, as fast as the hop
/// itself) it runs inline.
template <class Call>
net::awaitable<std::invoke_result_t<Call>> state_call(operation_context& ctx, Call call) {
    if (!ctx.directory.shared()) co_return call();
    co_return co_await run_on(ctx.locks_owner->blocking_executor(), std::move(call));
}

}  // namespace blubridge::gateway
