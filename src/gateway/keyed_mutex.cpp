#include "keyed_mutex.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <utility>

namespace blubridge::gateway {

keyed_mutex::guard& keyed_mutex::guard::operator=(guard&& other) noexcept {
    if (this != &other) {
        release();
        owner_ = std::move(other.owner_);
        key_ = other.key_;
        also_ = std::move(other.also_);
    }
    return *this;
}

void keyed_mutex::guard::release() {
    if (also_) std::exchange(also_, nullptr)();
    if (owner_) {
        owner_->unlock(key_);
        owner_.reset();
    }
}

net::awaitable<keyed_mutex::guard> keyed_mutex::lock(std::uint64_t key) {
    auto me = std::make_shared<waiter>();
    {
        std::lock_guard lock(mutex_);
        auto& s = slots_[key];
        if (!s.held) {
            s.held = true;
            co_return guard(shared_from_this(), key);
        }
        me->timer = std::make_shared<net::steady_timer>(co_await net::this_coro::executor,
                                                        net::steady_timer::time_point::max());
        s.queue.push_back(me);
    }
    // Woken by unlock(), which marks us granted before cancelling the wait.
    co_await me->timer->async_wait(net::as_tuple(net::use_awaitable));
    co_return guard(shared_from_this(), key);
}

void keyed_mutex::unlock(std::uint64_t key) {
    std::lock_guard lock(mutex_);
    auto it = slots_.find(key);
    if (it == slots_.end()) return;
    auto& s = it->second;
    if (s.queue.empty()) {
        slots_.erase(it);
        return;
    }
    auto next = std::move(s.queue.front());
    s.queue.pop_front();
    next->granted = true;  // the key passes straight to the next waiter: held stays true
    net::post(next->timer->get_executor(), [timer = next->timer] { timer->cancel(); });
}

void keyed_mutex::start_blocking() {
    if (blocking_) return;
    blocking_ = std::make_unique<net::thread_pool>(2);
    lock_order_ = net::make_strand(blocking_->get_executor());
}

net::any_io_executor keyed_mutex::blocking_executor() {
    std::lock_guard lock(mutex_);
    start_blocking();
    return blocking_->get_executor();
}

net::any_io_executor keyed_mutex::lock_order() {
    std::lock_guard lock(mutex_);
    start_blocking();
    return lock_order_;
}

std::size_t keyed_mutex::active_keys() const {
    std::lock_guard lock(mutex_);
    return slots_.size();
}

}  // namespace blubridge::gateway
