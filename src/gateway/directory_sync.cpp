#include "directory_sync.hpp"

#include "billagain_api.hpp"
#include "directory_resolver.hpp"
#include "request_id.hpp"
#include "state_call.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>

namespace blubridge::gateway {

namespace {

constexpr auto retry_before_first_sync = std::chrono::seconds(2);

}  // namespace

// What the workers of one pass share. Only touched on the sync's strand.
struct directory_sync::pass_state {
    std::unique_ptr<directory::customer_directory::pass> pass;
    std::uint64_t next_page = 1;
    bool last_page_seen = false;
    std::string error;  ///< the first failure; empty while all is well
    std::size_t running = 0;
    std::unique_ptr<net::steady_timer> all_done;
    std::string request_id = new_request_id();
};

directory_sync::directory_sync(net::any_io_executor executor,
                               std::shared_ptr<directory::customer_directory> directory,
                               std::shared_ptr<upstream::client> upstream, std::string authorization,
                               std::string ids_member, config::directory_settings settings, std::string account,
                               std::shared_ptr<const log::logger> logger)
    : strand_(net::make_strand(executor)),
      directory_(std::move(directory)),
      upstream_(std::move(upstream)),
      authorization_(std::move(authorization)),
      ids_member_(std::move(ids_member)),
      settings_(settings),
      account_(std::move(account)),
      logger_(std::move(logger)),
      timer_(strand_),
      store_thread_(directory_->shared() ? std::make_unique<net::thread_pool>(1) : nullptr) {
    if (!store_thread_) leading_ = true;
}

template <class Call>
net::awaitable<std::invoke_result_t<Call>> directory_sync::in_store(Call call) {
    if (!store_thread_) co_return call();
    co_return co_await run_on(store_thread_->get_executor(), std::move(call));
}

std::optional<std::chrono::system_clock::time_point> directory_sync::last_pass() const {
    const auto ms = last_pass_ms_.load();
    if (ms == 0) return std::nullopt;
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

void directory_sync::start() { net::co_spawn(strand_, loop(shared_from_this()), net::detached); }

void directory_sync::stop() {
    net::post(strand_, [self = shared_from_this()] {
        self->stopped_ = true;
        self->timer_.cancel();
    });
}

void directory_sync::set_authorization(std::string authorization) {
    net::post(strand_, [self = shared_from_this(), authorization = std::move(authorization)]() mutable {
        self->authorization_ = std::move(authorization);
    });
}

net::awaitable<void> directory_sync::loop(std::shared_ptr<directory_sync> /*keeps this alive*/) {
    while (!stopped_) {
        // Gateways sharing their state page Billagain once between them: the leader does.
        const bool leading = co_await in_store([this] { return directory_->lead_refresh(); });
        if (leading != leading_) {
            leading_ = leading;
            logger_->write(log::level::info, leading ? "directory_refresh_leading" : "directory_refresh_following",
                           {{"account", std::string_view(account_)}});
        }
        const bool ok = leading && co_await run_pass();
        const auto wait = ok || directory_->ready()
                              ? settings_.refresh_interval
                              : std::min<std::chrono::milliseconds>(settings_.refresh_interval, retry_before_first_sync);
        if (stopped_) break;
        timer_.expires_after(wait);
        co_await timer_.async_wait(net::as_tuple(net::use_awaitable));
    }
}

// Takes the next page until the last one (shorter than a full page) has been read.
net::awaitable<void> directory_sync::page_worker(std::shared_ptr<pass_state> state) {
    billagain_api api(*upstream_, authorization_, {}, state->request_id);
    while (!state->last_page_seen && state->error.empty() && !stopped_) {
        const auto page = state->next_page++;
        auto reply = co_await api.get(customers_page_target(page));
        if (!reply) {
            state->error = "page " + std::to_string(page) + ": " + reply.error().message;
            break;
        }
        auto count = co_await in_store([&] { return state->pass->observe_page(reply->body, unix_now()); });
        if (!count) {
            state->error = "page " + std::to_string(page) + " is not a readable customer list";
            break;
        }
        if (*count < customers_page_size) state->last_page_seen = true;
    }
    if (--state->running == 0) state->all_done->cancel();
}

// A customer missing from the pages may only have moved between pages while others were
// deleted: ask for the missing ones by id, 200 at a time, before dropping any.
net::awaitable<bool> directory_sync::confirm_unseen(pass_state& state) {
    billagain_api api(*upstream_, authorization_, {}, state.request_id);
    const auto unseen = state.pass->unseen();
    auto pages = co_await customers_by_id_pages(api, ids_member_, unseen);
    if (!pages) {
        state.error = "confirming unseen customers: " + pages.error().message;
        co_return false;
    }
    for (const auto& page : *pages) {
        if (!co_await in_store([&] { return state.pass->observe_page(page, unix_now()); })) {
            state.error = "confirming unseen customers: unreadable answer";
            co_return false;
        }
    }
    co_return true;
}

net::awaitable<bool> directory_sync::run_pass() {
    const auto started = std::chrono::steady_clock::now();
    auto state = std::make_shared<pass_state>();
    state->pass = directory_->begin_pass();
    state->all_done = std::make_unique<net::steady_timer>(strand_, net::steady_timer::time_point::max());
    const unsigned workers = std::max(1u, settings_.parallel_pages);
    state->running = workers;
    for (unsigned i = 0; i < workers; ++i) net::co_spawn(strand_, page_worker(state), net::detached);
    co_await state->all_done->async_wait(net::as_tuple(net::use_awaitable));

    if (state->error.empty() && !stopped_) co_await confirm_unseen(*state);
    if (!state->error.empty() || stopped_) {
        if (!state->error.empty()) {
            logger_->write(log::level::warn, "directory_pass_failed",
                           {{"account", std::string_view(account_)},
                            {"request_id", std::string_view(state->request_id)},
                            {"error", std::string_view(state->error)}});
        }
        co_return false;
    }
    const auto s = co_await in_store([&] { return state->pass->finish(unix_now()); });
    const auto now = std::chrono::system_clock::now();
    last_pass_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    logger_->write(log::level::info, "directory_pass",
                   {{"account", std::string_view(account_)},
                    {"request_id", std::string_view(state->request_id)},
                    {"customers", std::uint64_t{directory_->size()}},
                    {"seen", std::uint64_t{s.seen}},
                    {"added", std::uint64_t{s.added}},
                    {"changed", std::uint64_t{s.changed}},
                    {"removed", std::uint64_t{s.removed}},
                    {"transitions", std::uint64_t{s.transitions}},
                    {"ms", std::int64_t{ms}}});
    co_return true;
}

}  // namespace blubridge::gateway
