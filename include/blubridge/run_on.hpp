#pragma once
// Blocking work hopped off an I/O thread and back.
#include <blubridge/net.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>

namespace blubridge {

/// Runs `call` on `where` (a pool for blocking calls) and comes back to the calling
/// coroutine's executor, so the caller's thread serves others meanwhile.
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

/// run_on when `where` is set, else `call` inline.
template <class Call>
net::awaitable<std::invoke_result_t<Call>> run_on_if(const net::any_io_executor& where, Call call) {
    if (!where) co_return call();
    co_return co_await run_on(where, std::move(call));
}

}  // namespace blubridge
