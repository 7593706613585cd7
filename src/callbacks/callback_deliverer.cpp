#include <blubridge/callbacks/callback_deliverer.hpp>
#include <blubridge/run_on.hpp>

#include "detail/backoff.hpp"
#include "detail/callback_url.hpp"

#include <blubridge/upstream/pooled_client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <ctime>
#include <exception>
#include <stdexcept>
#include <vector>

namespace blubridge::callbacks {

namespace {

using std::chrono::steady_clock;
using std::chrono::system_clock;
using directory::unix_seconds;

// Outbox rows read per look; see the class comment.
constexpr std::size_t scan_limit = 1024;
// The outbox keeps whole seconds, so nothing is gained by looking more often than this.
constexpr auto poll_interval = std::chrono::seconds(1);
// A receiver's answer is read only for its status; a bigger body is an error, not a hang.
constexpr std::uint64_t max_answer_bytes = 1024 * 1024;

unix_seconds unix_now() {
    return std::chrono::floor<std::chrono::seconds>(system_clock::now().time_since_epoch()).count();
}

// Rounded up: a retry never falls due before its delay has passed, and is never due at once.
unix_seconds unix_after(std::chrono::milliseconds delay) {
    return std::chrono::ceil<std::chrono::seconds>((system_clock::now() + delay).time_since_epoch()).count();
}

steady_clock::time_point steady_at(unix_seconds t) {
    const auto wait = system_clock::time_point(std::chrono::seconds(t)) - system_clock::now();
    return steady_clock::now() + std::chrono::duration_cast<steady_clock::duration>(wait);
}

std::string utc_text(unix_seconds t) {
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    char text[32] = "?";
    if (gmtime_r(&tt, &tm) != nullptr) std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

// One configured receiver: its own connection pool, one delivery in flight at a time.
struct endpoint {
    std::string url;  // as configured: how the outbox names it
    detail::callback_url parts;
    std::shared_ptr<upstream::client> client;
    bool busy = false;
};

// How one attempt ended, for the outbox and the log.
struct outcome {
    enum { failed, delivered, dropped } kind = failed;
    std::string what;  // "HTTP 204", "could not connect to upstream", …
};

// One scheduler coroutine reads the outbox; each due delivery whose receiver is idle gets
// a coroutine of its own, so receivers never wait on each other, while one receiver gets
// its deliveries one at a time, oldest first, over a single keep-alive connection. All of
// it runs on one strand: the state needs no lock and the pools are awaited from a strand.
//
// The directory offers due deliveries of all URLs together, oldest first, `scan_limit` at
// a time: a receiver slower than its backlog of more than scan_limit due deliveries can
// delay newer deliveries to others until its backlog has had one attempt each.
class deliverer final : public callback_deliverer {
public:
    deliverer(net::any_io_executor executor, std::shared_ptr<directory::customer_directory> directory,
              const config::callback_settings& settings, renderer render, delivery_log log,
              net::any_io_executor blocking)
        : strand_(net::make_strand(std::move(executor))),
          blocking_(std::move(blocking)),
          directory_(std::move(directory)),
          settings_(settings),
          render_(std::move(render)),
          log_(std::move(log)),
          timer_(strand_) {
        for (const auto& url : settings_.urls) {
            auto ep = std::make_unique<endpoint>();
            ep->url = url;
            ep->parts = detail::parse_callback_url(url);
            upstream::client_options options;
            options.base_url = ep->parts.base_url;
            options.ca_file = settings_.ca_file;
            options.connect_timeout = settings_.timeout;
            options.request_timeout = settings_.timeout;
            options.max_connections = 1;
            options.max_response_bytes = max_answer_bytes;
            options.retry.unsent_attempts = 1;  // the outbox retries, with back-off
            auto client = upstream::make_pooled_client(strand_, options);
            if (!client) throw std::runtime_error("callback URL " + ep->parts.display + ": " + client.error().message());
            ep->client = std::move(*client);
            endpoints_.push_back(std::move(ep));
        }
    }

    void start() override {
        net::dispatch(strand_, [self = shared_self()] {
            if (self->started_ || self->stopped_) return;
            self->started_ = true;
            std::weak_ptr<deliverer> weak = self;
            self->directory_->on_deliveries_queued([weak] {
                if (auto s = weak.lock()) net::post(s->strand_, [s] { s->look_again(); });
            });
            net::co_spawn(self->strand_, self->schedule(self), net::detached);
        });
    }

    void stop() override {
        net::dispatch(strand_, [self = shared_self()] {
            self->stopped_ = true;
            self->timer_.cancel();
        });
    }

private:
    std::shared_ptr<deliverer> shared_self() { return std::static_pointer_cast<deliverer>(shared_from_this()); }

    void look_again() {
        if (!stopped_) timer_.cancel();
    }

    net::awaitable<void> schedule([[maybe_unused]] std::shared_ptr<deliverer> self) {  // self: kept alive
        while (!stopped_) {
            timer_.expires_at(co_await start_due());
            co_await timer_.async_wait(net::as_tuple(net::use_awaitable));  // cancelled: look again
        }
    }

    // Starts every due delivery whose receiver is idle; answers when to look again
    // unless woken first (new deliveries queued, or one finished).
    net::awaitable<steady_clock::time_point> start_due() {
        const auto now = unix_now();
        try {
            auto due = co_await on_store([&] { return directory_->due_deliveries(now, scan_limit); });
            for (auto& d : due) {
                endpoint* ep = find(d.url);
                if (ep == nullptr) {
                    co_await on_store([&] { postpone_unknown(d); });
                } else if (!ep->busy) {
                    // Gateways sharing their state deliver each once: the one that claims it.
                    const auto lease = now + claim_lease();
                    if (!co_await on_store([&] { return directory_->claim_delivery(d.transition_id, d.url, now, lease); }))
                        continue;
                    ep->busy = true;
                    net::co_spawn(strand_, deliver(shared_self(), *ep, std::move(d)), net::detached);
                }
            }
            const auto next = co_await on_store([&] { return directory_->next_delivery_due(); });
            if (!next) co_return steady_clock::time_point::max();
            // Still due: held behind a busy receiver, which wakes us when it is done. The
            // earliest future due time is not known then, so look again shortly.
            if (*next <= now) co_return steady_clock::now() + poll_interval;
            co_return steady_at(*next);
        } catch (const std::exception& e) {
            log(true, "callbacks: cannot read the outbox: " + std::string(e.what()));
        }
        co_return steady_clock::now() + std::max<std::chrono::milliseconds>(settings_.retry_initial, poll_interval);
    }

    // A call on the outbox: with shared state (a database round trip) on the blocking
    // pool, off the I/O thread this strand runs on; alone, inline.
    template <class Call>
    net::awaitable<std::invoke_result_t<Call>> on_store(Call call) {
        co_return co_await run_on_if(blocking_, std::move(call));
    }

    // Long enough for an attempt (connect, then request and answer, each within timeout)
    // and its rendering; a gateway that dies mid-attempt leaves it to another after this.
    std::int64_t claim_lease() const {
        const auto attempt = std::chrono::ceil<std::chrono::seconds>(3 * settings_.timeout).count();
        return std::max<std::int64_t>(60, attempt);
    }

    endpoint* find(const std::string& url) {
        for (auto& ep : endpoints_) {
            if (ep->url == url) return ep.get();
        }
        return nullptr;
    }

    // A URL removed from the configuration: its deliveries are kept (it may come back)
    // but looked at only every retry_max.
    void postpone_unknown(const directory::delivery& d) {
        const auto due = unix_after(settings_.retry_max);
        directory_->retry_later(d.transition_id, d.url, due);
        log(false, "callback transition " + std::to_string(d.transition_id) +
                       ": its URL is no longer configured; kept, next look at " + utc_text(due));
    }

    net::awaitable<void> deliver([[maybe_unused]] std::shared_ptr<deliverer> self, endpoint& ep, directory::delivery d) {
        outcome result;
        try {
            result = co_await attempt(ep, d);
        } catch (const std::exception& e) {
            result = {outcome::failed, e.what()};
        }
        try {
            co_await on_store([&] { record(ep, d, result); });
        } catch (const std::exception& e) {
            // It stays due in the outbox and is sent again: at least once.
            log(true, "callback " + ep.parts.display + " transition " + std::to_string(d.transition_id) +
                ": cannot record the outcome (" + result.what + "): " + e.what());
        }
        ep.busy = false;
        look_again();
    }

    net::awaitable<outcome> attempt(endpoint& ep, const directory::delivery& d) {
        const auto transition = co_await on_store([&] { return directory_->find_transition(d.transition_id); });
        if (!transition) co_return outcome{outcome::dropped, "the transition is no longer recorded"};
        auto body = co_await render_(*transition);
        if (!body) co_return outcome{outcome::failed, "cannot be rendered now"};

        upstream::request req{http::verb::post, ep.parts.target, 11};
        req.set(http::field::content_type, "application/xml; charset=utf-8");
        req.set(http::field::user_agent, "blubridge-callbacks");
        if (!ep.parts.authorization.empty()) req.set(http::field::authorization, ep.parts.authorization);
        req.body() = std::move(*body);
        auto answer = co_await ep.client->send(std::move(req));
        if (!answer) co_return outcome{outcome::failed, answer.error().message()};
        const auto status = answer->result_int();
        co_return outcome{status >= 200 && status < 300 ? outcome::delivered : outcome::failed,
                          "HTTP " + std::to_string(status)};
    }

    void record(const endpoint& ep, const directory::delivery& d, const outcome& result) {
        const auto head = "callback " + ep.parts.display + " transition " + std::to_string(d.transition_id) + ": ";
        if (result.kind != outcome::failed) {
            directory_->delivered(d.transition_id, d.url);  // dropped: nothing is left to send
            log(false,
                head + (result.kind == outcome::delivered ? "delivered (" + result.what + ")" : result.what + "; dropped"));
            return;
        }
        const auto due = unix_after(detail::retry_delay(settings_, d.attempts));
        directory_->retry_later(d.transition_id, d.url, due);
        log(true, head + result.what + "; attempt " + std::to_string(d.attempts + 1) + " failed, next attempt at " +
            utc_text(due));
    }

    void log(bool problem, std::string_view line) const {
        if (log_) log_(problem, line);
    }

    net::strand<net::any_io_executor> strand_;
    net::any_io_executor blocking_;  // unset: the outbox is read inline
    std::shared_ptr<directory::customer_directory> directory_;
    const config::callback_settings settings_;
    renderer render_;
    delivery_log log_;
    net::steady_timer timer_;
    std::vector<std::unique_ptr<endpoint>> endpoints_;
    bool started_ = false;
    bool stopped_ = false;
};

}  // namespace

std::shared_ptr<callback_deliverer> make_callback_deliverer(net::any_io_executor executor,
                                                            std::shared_ptr<directory::customer_directory> directory,
                                                            const config::callback_settings& settings, renderer render,
                                                            delivery_log log, net::any_io_executor blocking) {
    return std::make_shared<deliverer>(std::move(executor), std::move(directory), settings, std::move(render),
                                       std::move(log), std::move(blocking));
}

}  // namespace blubridge::callbacks
