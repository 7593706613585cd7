#include <blubridge/upstream/pooled_client.hpp>

#include "backoff.hpp"
#include "circuit_breaker.hpp"
#include "connection_pool.hpp"
#include "retry_budget.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>

namespace blubridge::upstream {

namespace {

using clock = std::chrono::steady_clock;

bool is_idempotent(http::verb method) {
    return method == http::verb::get || method == http::verb::head;
}

// What one attempt came to: an answer, or why none, and whether the request may have
// reached the upstream.
struct attempt_outcome {
    boost::system::result<response> answer = make_error_code(error::connection_lost);
    bool maybe_sent = false;
};

// Failures after which the request may be sent again: an unsent one always, a GET only
// when the connection broke without an answer (a timeout may still be running upstream).
bool retry_allowed(http::verb method, const attempt_outcome& o) {
    const auto& ec = o.answer.error();
    if (!o.maybe_sent) return ec == error::connect_failed;
    return is_idempotent(method) && (ec == error::connect_failed || ec == error::connection_lost);
}

// Whether an attempt says something about the host's health; a full local queue does not.
bool says_nothing_about_the_host(const boost::system::error_code& ec) {
    return ec == error::pool_exhausted || ec == error::invalid_url;
}

bool host_failed(const attempt_outcome& o) {
    return o.answer ? o.answer->result_int() >= 500 : true;
}

// Settles a breaker admission exactly once, also when the coroutine is destroyed mid-attempt.
class breaker_ticket {
public:
    breaker_ticket(circuit_breaker& breaker, circuit_breaker::admission a) : breaker_(breaker), admission_(a) {}
    breaker_ticket(const breaker_ticket&) = delete;
    breaker_ticket& operator=(const breaker_ticket&) = delete;
    ~breaker_ticket() {
        if (!settled_) breaker_.abandon(admission_);
    }
    void settle(const attempt_outcome& o) {
        settled_ = true;
        if (!o.answer && says_nothing_about_the_host(o.answer.error())) breaker_.abandon(admission_);
        else breaker_.record(admission_, !host_failed(o), clock::now());
    }

private:
    circuit_breaker& breaker_;
    circuit_breaker::admission admission_;
    bool settled_ = false;
};

class pooled_client final : public client {
public:
    explicit pooled_client(std::vector<std::shared_ptr<connection_pool>> pools)
        : pools_(std::move(pools)),
          options_(pools_.front()->options()),
          budget_(options_.retry),
          breaker_(options_.breaker) {}

    net::awaitable<boost::system::result<response>> send(request req) override {
        const auto& options = options_;
        const auto deadline = clock::now() + options.connect_timeout + options.request_timeout;
        prepare(req);
        auto& pool = pool_for(co_await net::this_coro::executor);

        const unsigned attempts = std::max(1u, is_idempotent(req.method()) ? options.retry.idempotent_attempts
                                                                           : options.retry.unsent_attempts);
        budget_.on_request(clock::now());
        boost::system::error_code last;
        for (unsigned attempt = 1;; ++attempt) {
            const auto admission = breaker_.admit(clock::now());
            // A retry refused by the breaker reports what went wrong with the request itself.
            if (admission == circuit_breaker::admission::refused) {
                co_return attempt == 1 ? make_error_code(error::circuit_open) : last;
            }
            breaker_ticket ticket(breaker_, admission);
            auto outcome = co_await attempt_once(pool, req, deadline);
            ticket.settle(outcome);
            if (outcome.answer) co_return std::move(*outcome.answer);
            last = outcome.answer.error();

            if (attempt >= attempts || !retry_allowed(req.method(), outcome)) co_return last;
            const auto wait = jittered_backoff(options.retry, attempt);
            if (clock::now() + wait >= deadline || !budget_.try_retry(clock::now())) co_return last;
            retries_.fetch_add(1, std::memory_order_relaxed);
            if (wait.count() > 0) {
                net::steady_timer timer(co_await net::this_coro::executor, wait);
                (void)co_await timer.async_wait(net::as_tuple(net::use_awaitable));
            }
        }
    }

    std::chrono::seconds retry_after() const override { return breaker_.retry_after(clock::now()); }
    bool healthy() const override { return breaker_.current() == circuit_breaker::state::closed; }

    pool_stats stats() const override {
        pool_stats s;
        for (const auto& pool : pools_) {
            const auto one = pool->stats();
            s.in_use += one.in_use;
            s.idle += one.idle;
            s.waiting += one.waiting;
        }
        s.retries = retries_.load(std::memory_order_relaxed);
        return s;
    }

private:
    // The pool whose connections live on the caller's io_context.
    connection_pool& pool_for(const net::any_io_executor& caller) const {
        if (pools_.size() > 1) {
            const auto* context = &net::query(caller, net::execution::context);
            for (const auto& pool : pools_) {
                if (&pool->context() == context) return *pool;
            }
        }
        return *pools_.front();
    }

    void prepare(request& req) const {
        const auto& target = pools_.front()->target();
        req.set(http::field::host, target.host_header);
        if (!target.path_prefix.empty()) req.target(target.path_prefix + std::string(req.target()));
        req.keep_alive(true);
        req.prepare_payload();
    }

    net::awaitable<attempt_outcome> attempt_once(connection_pool& pool, request& req, clock::time_point deadline) {
        const auto& options = options_;
        attempt_outcome o;
        auto leased = co_await pool.acquire(deadline);
        if (!leased) {
            o.answer = leased.error();  // nothing was sent
            co_return o;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
        if (left.count() <= 0) {
            o.answer = make_error_code(error::timed_out);
            co_return o;
        }
        o.maybe_sent = true;
        response res;
        const auto ec = co_await leased->conn().exchange(req, res, std::min(options.request_timeout, left),
                                                         options.max_response_bytes);
        if (ec) {
            o.answer = ec;
            co_return o;
        }
        if (res.keep_alive()) leased->keep();
        o.answer = std::move(res);
        co_return o;
    }

    std::vector<std::shared_ptr<connection_pool>> pools_;
    const client_options options_;
    retry_budget budget_;
    circuit_breaker breaker_;
    std::atomic<std::uint64_t> retries_{0};
};

boost::system::result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(
    const client_options& options) {
    auto ctx = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
    boost::system::error_code ec;
    ctx->set_options(boost::asio::ssl::context::default_workarounds |
                         boost::asio::ssl::context::no_sslv2 | boost::asio::ssl::context::no_sslv3 |
                         boost::asio::ssl::context::no_tlsv1 | boost::asio::ssl::context::no_tlsv1_1,
                     ec);
    if (!ec) ctx->set_default_verify_paths(ec);
    if (!ec && !options.ca_file.empty()) ctx->load_verify_file(options.ca_file, ec);
    if (!ec) {
        ctx->set_verify_mode(options.verify_peer ? boost::asio::ssl::verify_peer
                                                 : boost::asio::ssl::verify_none,
                             ec);
    }
    if (ec) return ec;
    return ctx;
}

}  // namespace

boost::system::result<std::shared_ptr<client>> make_pooled_client(net::any_io_executor executor,
                                                                  const client_options& options) {
    return make_pooled_client(std::vector<net::any_io_executor>{std::move(executor)}, options);
}

boost::system::result<std::shared_ptr<client>> make_pooled_client(const std::vector<net::any_io_executor>& executors,
                                                                  const client_options& options) {
    if (executors.empty()) return make_error_code(error::invalid_url);
    auto target = parse_upstream_target(options.base_url);
    if (!target) return target.error();
    std::shared_ptr<boost::asio::ssl::context> tls;
    if (target->tls) {
        auto ctx = make_tls_context(options);
        if (!ctx) return ctx.error();
        tls = std::move(*ctx);
    }
    // Each pool gets its share of the limits, so the host sees no more than configured.
    auto share = options;
    const auto n = executors.size();
    share.max_connections = std::max<std::size_t>(1, options.max_connections / n);
    share.max_waiting = std::max<std::size_t>(1, options.max_waiting / n);
    std::vector<std::shared_ptr<connection_pool>> pools;
    for (const auto& executor : executors) {
        pools.push_back(std::make_shared<connection_pool>(executor, *target, tls, n == 1 ? options : share));
    }
    return std::shared_ptr<client>(std::make_shared<pooled_client>(std::move(pools)));
}

}  // namespace blubridge::upstream
