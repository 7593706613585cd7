// The callback deliverer against real loopback receivers (the project's HTTP server) and
// an in-memory outbox: delivery, back-off, a receiver down then up, a renderer that cannot
// render yet, stop, and receivers that do not wait on each other.
#define BOOST_TEST_MODULE callbacks_deliverer
#include <boost/test/unit_test.hpp>

#include "callback_test_support.hpp"

#include <blubridge/callbacks/callback_deliverer.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <thread>

namespace net = boost::asio;
namespace http = boost::beast::http;
namespace cb = blubridge::callbacks;
namespace dir = blubridge::directory;
using blubridge::test::deadline;
using blubridge::test::receiver;
using blubridge::test::unix_now;
using namespace std::chrono_literals;

namespace {

// The outbox part of the directory, in memory; every other member is unused here.
class fake_directory final : public dir::customer_directory {
public:
    struct retry {
        std::uint64_t transition_id;
        std::string url;
        dir::unix_seconds at, due;
    };

    // Records a transition and queues it for `urls`, as the directory does after a pass.
    void record(std::uint64_t id, const std::vector<std::string>& urls, dir::unix_seconds due = 0) {
        std::function<void()> wake;
        {
            std::lock_guard lock(mutex_);
            transitions_[id] = {id, 300 + id, "REF" + std::to_string(id), unix_now(), "Active", "InActive1"};
            for (const auto& url : urls) outbox_[{id, url}] = {id, url, 0, due == 0 ? unix_now() : due};
            wake = wake_;
        }
        if (wake) wake();
    }
    // A delivery whose transition was never recorded.
    void queue_only(std::uint64_t id, const std::string& url) {
        std::lock_guard lock(mutex_);
        outbox_[{id, url}] = {id, url, 0, unix_now()};
    }

    bool is_delivered(std::uint64_t id, const std::string& url) const {
        std::lock_guard lock(mutex_);
        return std::count(delivered_.begin(), delivered_.end(), std::pair{id, url}) > 0;
    }
    std::size_t delivered_count() const {
        std::lock_guard lock(mutex_);
        return delivered_.size();
    }
    std::vector<retry> retries() const {
        std::lock_guard lock(mutex_);
        return retries_;
    }
    std::optional<dir::delivery> pending(std::uint64_t id, const std::string& url) const {
        std::lock_guard lock(mutex_);
        auto it = outbox_.find({id, url});
        if (it == outbox_.end()) return std::nullopt;
        return it->second;
    }
    // Waits for `done` (checked under the lock) until the test deadline.
    template <class Pred>
    bool wait(Pred done) const {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, deadline, [&] { return done(); });
    }
    bool wait_delivered(std::uint64_t id, const std::string& url) const {
        return wait([&] { return std::count(delivered_.begin(), delivered_.end(), std::pair{id, url}) > 0; });
    }
    bool wait_retries(std::size_t n) const {
        return wait([&] { return retries_.size() >= n; });
    }

    // --- the outbox ---
    std::optional<dir::transition> find_transition(std::uint64_t id) const override {
        std::lock_guard lock(mutex_);
        auto it = transitions_.find(id);
        if (it == transitions_.end()) return std::nullopt;
        return it->second;
    }
    std::vector<dir::delivery> due_deliveries(dir::unix_seconds now, std::size_t limit) const override {
        std::lock_guard lock(mutex_);
        std::vector<dir::delivery> due;
        for (const auto& [key, d] : outbox_) {
            if (d.due <= now) due.push_back(d);
        }
        std::stable_sort(due.begin(), due.end(), [](const auto& a, const auto& b) { return a.due < b.due; });
        if (due.size() > limit) due.resize(limit);
        return due;
    }
    std::optional<dir::unix_seconds> next_delivery_due() const override {
        std::lock_guard lock(mutex_);
        std::optional<dir::unix_seconds> next;
        for (const auto& [key, d] : outbox_) {
            if (!next || d.due < *next) next = d.due;
        }
        return next;
    }
    dir::outbox_summary outbox() const override {
        std::lock_guard lock(mutex_);
        return {.depth = outbox_.size(), .oldest = std::nullopt};
    }
    void delivered(std::uint64_t id, const std::string& url) override {
        {
            std::lock_guard lock(mutex_);
            outbox_.erase({id, url});
            delivered_.emplace_back(id, url);
        }
        changed_.notify_all();
    }
    void retry_later(std::uint64_t id, const std::string& url, dir::unix_seconds due) override {
        {
            std::lock_guard lock(mutex_);
            auto& d = outbox_.at({id, url});
            ++d.attempts;
            d.due = due;
            retries_.push_back({id, url, unix_now(), due});
        }
        changed_.notify_all();
    }
    bool claim_delivery(std::uint64_t, const std::string&, dir::unix_seconds, dir::unix_seconds) override {
        return true;
    }
    bool lead_refresh() override { return true; }
    bool shared() const override { return false; }
    dir::shared_write_locks* write_locks() override { return nullptr; }
    std::vector<dir::customer_id> find_by_reference_in_memory(std::string_view) const override { return {}; }
    std::optional<dir::customer_entry> find_in_memory(dir::customer_id) const override { return std::nullopt; }
    bool observe_if_unchanged(std::string_view) override { return false; }
    bool keeps_members_of(dir::customer_id) const override { return false; }
    void on_deliveries_queued(std::function<void()> wake) override {
        std::lock_guard lock(mutex_);
        wake_ = std::move(wake);
    }

    // --- not used by the deliverer ---
    bool ready() const override { return true; }
    std::size_t size() const override { return 0; }
    std::vector<dir::customer_id> find_by_reference(std::string_view) const override { return {}; }
    std::optional<dir::customer_entry> find(dir::customer_id) const override { return std::nullopt; }
    dir::query_page query(const dir::customer_query&) const override { return {}; }
    bool observe(std::string_view, dir::unix_seconds) override { return false; }
    void observe_removed(dir::customer_id, dir::unix_seconds) override {}
    std::unique_ptr<pass> begin_pass() override { return nullptr; }
    std::vector<dir::transition> transitions(dir::unix_seconds, dir::unix_seconds) const override { return {}; }
    void set_autopay_preference(dir::customer_id, std::uint64_t, int) override {}
    std::optional<int> autopay_preference(std::uint64_t) const override { return std::nullopt; }
    void forget_autopay(dir::customer_id) override {}
    void forget_payment_method(dir::customer_id, std::uint64_t, std::string_view) override {}
    void keep_members(dir::customer_id, std::string_view, std::string_view) override {}
    std::vector<dir::kept_members> kept(dir::customer_id) const override { return {}; }
    void mark_suspended(dir::customer_id) override {}
    void clear_suspended(dir::customer_id) override {}
    std::optional<dir::customer_id> highest_id() const override { return std::nullopt; }
    // The deliverer never touches idempotency answers: reaching this is a test failure.
    dir::idempotency_store& idempotency() override { std::abort(); }

private:
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::map<std::uint64_t, dir::transition> transitions_;
    std::map<std::pair<std::uint64_t, std::string>, dir::delivery> outbox_;
    std::vector<std::pair<std::uint64_t, std::string>> delivered_;
    std::vector<retry> retries_;
    std::function<void()> wake_;
};

// The body the test renderer produces for a transition.
std::string body_for(const dir::transition& t) {
    return R"(<?xml version="1.0" encoding="UTF-8"?><list><customerTransition id=")" + std::to_string(t.id) +
           R"("><previousStatus>)" + t.previous + "</previousStatus><newStatus>" + t.next +
           "</newStatus></customerTransition></list>";
}

// Counts renders; the first `refusals` answer nullopt (as when Billagain is down).
struct render_state {
    std::atomic<int> calls{0};
    std::atomic<int> refusals{0};
};

net::awaitable<std::optional<std::string>> render(std::shared_ptr<render_state> state, dir::transition t) {
    ++state->calls;
    if (state->refusals.fetch_sub(1) > 0) co_return std::nullopt;
    co_return body_for(t);
}

// Log lines, kept for assertions. A line is written just after the outcome is recorded,
// so tests wait for the line they expect.
struct log_lines {
    std::mutex mutex;
    std::condition_variable added;
    std::vector<std::string> lines;

    // Problems (failed attempts) are kept with a "problem: " prefix.
    cb::delivery_log sink() {
        return [this](bool problem, std::string_view line) {
            {
                std::lock_guard lock(mutex);
                lines.push_back((problem ? "problem: " : "") + std::string(line));
            }
            added.notify_all();
        };
    }
    std::vector<std::string> all() {
        std::lock_guard lock(mutex);
        return lines;
    }
    bool any_contains(std::string_view text) {
        std::unique_lock lock(mutex);
        return added.wait_for(lock, deadline, [&] {
            return std::any_of(lines.begin(), lines.end(),
                               [&](const std::string& l) { return l.find(text) != std::string::npos; });
        });
    }
};

blubridge::config::callback_settings settings_for(std::vector<std::string> urls) {
    blubridge::config::callback_settings s;
    s.urls = std::move(urls);
    s.retry_initial = 50ms;  // the outbox's whole seconds make it up to 1 s
    s.retry_max = 2s;
    s.timeout = 5s;
    return s;
}

// A deliverer on its own io_context and thread, over a fake outbox.
struct running_deliverer {
    explicit running_deliverer(std::vector<std::string> urls, int refusals = 0)
        : running_deliverer(settings_for(std::move(urls)), refusals) {}
    explicit running_deliverer(const blubridge::config::callback_settings& settings, int refusals = 0) {
        renders->refusals = refusals;
        deliverer = cb::make_callback_deliverer(
            ioc.get_executor(), outbox, settings,
            [state = renders](const dir::transition& t) { return render(state, t); }, log.sink());
        deliverer->start();
        runner = std::async(std::launch::async, [this] { ioc.run(); });
    }
    ~running_deliverer() {
        deliverer->stop();
        if (runner.valid() && runner.wait_for(deadline) != std::future_status::ready) ioc.stop();
    }
    // stop(), then wait until the deliverer holds no more work (in-flight ones finished).
    bool stop_and_drain() {
        deliverer->stop();
        return runner.wait_for(deadline) == std::future_status::ready;
    }

    std::shared_ptr<fake_directory> outbox = std::make_shared<fake_directory>();
    std::shared_ptr<render_state> renders = std::make_shared<render_state>();
    log_lines log;
    net::io_context ioc;
    std::shared_ptr<cb::callback_deliverer> deliverer;
    std::future<void> runner;
};

}  // namespace

BOOST_AUTO_TEST_CASE(delivered_once_with_the_rendered_body_and_content_type) {
    receiver r;
    const auto url = r.url("/blubilling?src=gw");
    running_deliverer d({url});
    d.outbox->record(1, {url});
    BOOST_TEST_REQUIRE(d.outbox->wait_delivered(1, url));
    d.outbox->record(2, {url});
    BOOST_TEST_REQUIRE(d.outbox->wait_delivered(2, url));

    const auto seen = r.handler->seen();
    BOOST_TEST_REQUIRE(seen.size() == 2u);  // each once
    BOOST_TEST(seen[0].method == "POST");
    BOOST_TEST(seen[0].target == "/blubilling?src=gw");
    BOOST_TEST(seen[0].content_type == "application/xml; charset=utf-8");
    BOOST_TEST(seen[0].authorization.empty());
    BOOST_TEST(seen[0].body == body_for(*d.outbox->find_transition(1)));
    BOOST_TEST(seen[1].body == body_for(*d.outbox->find_transition(2)));
    BOOST_TEST(d.outbox->retries().empty());
    BOOST_TEST(d.log.any_contains("callback http://127.0.0.1:" + std::to_string(r.port()) +
                                  "/blubilling transition 1: delivered (HTTP 200)"));
    BOOST_TEST(d.log.any_contains("transition 2: delivered (HTTP 200)"));
    for (const auto& line : d.log.all()) {
        BOOST_TEST(line.find("customerTransition") == std::string::npos, line);  // never the body
        BOOST_TEST(line.find("src=gw") == std::string::npos, line);              // nor the query
    }
}

BOOST_AUTO_TEST_CASE(user_info_is_basic_authorization_and_stays_out_of_the_log) {
    receiver r;
    const auto url = "http://hook:s3cret@127.0.0.1:" + std::to_string(r.port()) + "/in?token=abc";
    running_deliverer d({url});
    d.outbox->record(1, {url});
    BOOST_TEST_REQUIRE(d.outbox->wait_delivered(1, url));
    const auto seen = r.handler->seen();
    BOOST_TEST_REQUIRE(seen.size() == 1u);
    BOOST_TEST(seen[0].authorization == "Basic aG9vazpzM2NyZXQ=");
    BOOST_TEST(seen[0].target == "/in?token=abc");
    BOOST_TEST(d.log.any_contains("http://127.0.0.1:" + std::to_string(r.port()) + "/in transition 1: delivered"));
    for (const auto& line : d.log.all()) {
        BOOST_TEST(line.find("s3cret") == std::string::npos, line);
        BOOST_TEST(line.find("abc") == std::string::npos, line);
    }
}

BOOST_AUTO_TEST_CASE(an_error_status_is_retried_with_back_off) {
    receiver r;
    r.handler->answer({http::status::internal_server_error, http::status::service_unavailable});
    const auto url = r.url();
    running_deliverer d({url});
    d.outbox->record(1, {url});
    BOOST_TEST_REQUIRE(d.outbox->wait_delivered(1, url));

    BOOST_TEST(r.handler->seen().size() == 3u);
    const auto retries = d.outbox->retries();
    BOOST_TEST_REQUIRE(retries.size() == 2u);
    for (const auto& retry : retries) BOOST_TEST(retry.due > retry.at);  // never due at once
    BOOST_TEST(d.log.any_contains("transition 1: HTTP 500; attempt 1 failed, next attempt at "));
    BOOST_TEST(d.log.any_contains("transition 1: HTTP 503; attempt 2 failed, next attempt at "));
    BOOST_TEST(d.log.any_contains("transition 1: delivered (HTTP 200)"));
    // Failed attempts are problems (warnings in the gateway's log); the delivery is not.
    for (const auto& line : d.log.all()) {
        const bool failed = line.find("failed") != std::string::npos;
        BOOST_TEST((line.rfind("problem: ", 0) == 0) == failed, line);
    }
}

BOOST_AUTO_TEST_CASE(a_receiver_down_then_up_gets_it_later) {
    unsigned short port = 0;
    {
        receiver gone;  // a port that was free a moment ago, now refusing
        port = gone.port();
    }
    const auto url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
    running_deliverer d({url});
    d.outbox->record(1, {url});
    BOOST_TEST_REQUIRE(d.outbox->wait_retries(1));
    BOOST_TEST(!d.outbox->is_delivered(1, url));
    BOOST_TEST(d.log.any_contains("transition 1: could not connect to upstream; attempt 1 failed"));

    receiver back(port);
    BOOST_TEST_REQUIRE(d.outbox->wait_delivered(1, url));
    BOOST_TEST(back.handler->seen().size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_transition_that_cannot_be_rendered_yet_is_retried) {
    receiver r;
    const auto url = r.url();
    running_deliverer d({url}, 2);
    d.outbox->record(1, {url});
    BOOST_TEST_REQUIRE(d.outbox->wait_delivered(1, url));
    BOOST_TEST(d.renders->calls == 3);
    BOOST_TEST(d.outbox->retries().size() == 2u);
    BOOST_TEST(r.handler->seen().size() == 1u);  // nothing is sent until there is a body
    BOOST_TEST(d.log.any_contains("transition 1: cannot be rendered now; attempt 1 failed"));
}

BOOST_AUTO_TEST_CASE(stop_finishes_the_delivery_in_flight_and_leaves_the_rest_pending) {
    receiver r;
    const auto url = r.url("/slow");
    running_deliverer d({url});
    d.outbox->record(1, {url});
    BOOST_TEST_REQUIRE(r.handler->wait_for_requests(1));  // in flight: answered after 300 ms
    d.deliverer->stop();
    d.outbox->record(2, {url});
    BOOST_TEST_REQUIRE(d.stop_and_drain());  // the deliverer holds no work: it sends nothing more
    BOOST_TEST(d.outbox->is_delivered(1, url));
    const auto left = d.outbox->pending(2, url);
    BOOST_TEST_REQUIRE(left.has_value());
    BOOST_TEST(left->attempts == 0u);
    BOOST_TEST(r.handler->seen().size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_hanging_receiver_does_not_hold_up_another) {
    net::io_context unused;
    // Listens but never accepts: connections open, nothing is ever answered.
    net::ip::tcp::acceptor hole(unused, {net::ip::make_address("127.0.0.1"), 0});
    const auto stuck = "http://127.0.0.1:" + std::to_string(hole.local_endpoint().port()) + "/hook";
    receiver r;
    const auto fine = r.url();
    auto settings = settings_for({stuck, fine});
    settings.timeout = 2s;
    running_deliverer d(settings);
    d.outbox->record(1, {stuck, fine});
    d.outbox->record(2, {stuck, fine});
    BOOST_TEST_REQUIRE(d.outbox->wait_delivered(2, fine));
    BOOST_TEST(d.outbox->is_delivered(1, fine));
    BOOST_TEST(d.outbox->retries().empty());  // the stuck one is still waiting for its answer
    BOOST_TEST_REQUIRE(d.outbox->wait_retries(1));
    const auto retry = d.outbox->retries().front();
    BOOST_TEST(retry.url == stuck);
    BOOST_TEST(retry.transition_id == 1u);  // oldest first, one at a time
    BOOST_TEST(d.log.any_contains("transition 1: upstream did not answer in time; attempt 1 failed"));
}

BOOST_AUTO_TEST_CASE(deliveries_for_unconfigured_urls_or_vanished_transitions) {
    receiver r;
    const auto url = r.url();
    running_deliverer d({url});
    d.outbox->queue_only(7, url);                              // no such transition
    d.outbox->record(8, {"http://127.0.0.1:1/removed-from-config"});  // no such receiver
    BOOST_TEST_REQUIRE(d.outbox->wait_delivered(7, url));
    BOOST_TEST(r.handler->seen().empty());
    BOOST_TEST_REQUIRE(d.outbox->wait_retries(1));
    const auto retry = d.outbox->retries().front();
    BOOST_TEST(retry.transition_id == 8u);
    BOOST_TEST(retry.due >= retry.at + 2);  // looked at again only after retry_max
    BOOST_TEST(d.log.any_contains("transition 7: the transition is no longer recorded; dropped"));
    BOOST_TEST(d.log.any_contains("transition 8: its URL is no longer configured"));
}

BOOST_AUTO_TEST_CASE(a_url_that_is_not_http_is_refused) {
    auto outbox = std::make_shared<fake_directory>();
    net::io_context ioc;
    for (const char* url : {"ftp://example.com/x", "/relative", "mailto:a@b.c"}) {
        BOOST_CHECK_THROW(cb::make_callback_deliverer(ioc.get_executor(), outbox, settings_for({url}), {}, {}),
                          std::invalid_argument);
    }
}
