#include <blubridge/http/io_threads.hpp>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <thread>

namespace blubridge::http_server {

io_threads::io_threads(net::io_context& main, unsigned threads) {
    contexts_.push_back(&main);
    for (unsigned i = 1; i < std::max(1u, threads); ++i) {
        // Concurrency hint 1: each context is run by one thread, so Asio can skip its locks.
        owned_.push_back(std::make_unique<net::io_context>(1));
        contexts_.push_back(owned_.back().get());
        guards_.emplace_back(owned_.back()->get_executor());
    }
}

io_threads::~io_threads() = default;

net::io_context& io_threads::next() {
    return *contexts_[turn_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()];
}

std::vector<net::any_io_executor> io_threads::executors() const {
    std::vector<net::any_io_executor> out;
    for (auto* c : contexts_) out.emplace_back(c->get_executor());
    return out;
}

void io_threads::run() {
    std::vector<std::thread> threads;
    for (auto& c : owned_) threads.emplace_back([ctx = c.get()] { ctx->run(); });
    contexts_.front()->run();
    for (auto& t : threads) t.join();
}

void io_threads::release() {
    // Each guard is reset on its own context, so this is safe from any thread.
    for (std::size_t i = 0; i < guards_.size(); ++i) {
        net::post(*owned_[i], [this, i] { guards_[i].reset(); });
    }
}

void io_threads::stop() {
    for (auto* c : contexts_) c->stop();
}

}  // namespace blubridge::http_server
