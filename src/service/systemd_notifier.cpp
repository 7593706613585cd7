#include <blubridge/service/systemd_notifier.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <systemd/sd-daemon.h>

#include <cstdint>
#include <cstdlib>
#include <ctime>

namespace blubridge::service {

namespace {

// How often STATUS= is brought up to date while the first sync is still running.
constexpr std::chrono::microseconds status_poll = std::chrono::seconds(1);

void notify(const std::string& state) { ::sd_notify(0, state.c_str()); }

}  // namespace

systemd_notifier::systemd_notifier(net::any_io_executor executor, std::function<bool()> synced)
    : strand_(net::make_strand(executor)),
      synced_(std::move(synced)),
      watchdog_(watchdog_interval()),
      timer_(strand_) {}

bool systemd_notifier::under_systemd() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    return socket != nullptr && *socket != '\0';
}

std::optional<std::chrono::microseconds> systemd_notifier::watchdog_interval() {
    std::uint64_t usec = 0;
    // 0: no watchdog; negative: malformed variables, treated the same (nothing to feed).
    if (!under_systemd() || ::sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
    return std::chrono::microseconds(usec / 2);
}

std::string systemd_notifier::status_text() const {
    return (reported_synced_ ? "serving; customer directory synced"
                             : "serving; customer directory: first sync in progress (/readyz answers 503)") +
           last_reload_;
}

void systemd_notifier::ready() {
    if (!under_systemd()) return;
    net::dispatch(strand_, [self = shared_from_this()] {
        self->reported_synced_ = self->synced_();
        notify("READY=1\nSTATUS=" + self->status_text());
        if (self->watchdog_ || !self->reported_synced_) {
            net::co_spawn(self->strand_, self->keep_alive(self), net::detached);
        }
    });
}

void systemd_notifier::reloading() {
    if (!under_systemd()) return;
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);  // sd_notify's clock for MONOTONIC_USEC=
    const auto usec = static_cast<std::uint64_t>(now.tv_sec) * 1'000'000u + static_cast<std::uint64_t>(now.tv_nsec) / 1000u;
    net::post(strand_, [self = shared_from_this(), usec] {
        if (self->stopped_) return;
        notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec) +
               "\nSTATUS=reloading the configuration and mappings");
    });
}

void systemd_notifier::reloaded(bool ok) {
    if (!under_systemd()) return;
    net::post(strand_, [self = shared_from_this(), ok] {
        if (self->stopped_) return;
        self->last_reload_ = ok ? "; last reload applied" : "; last reload refused (see the log), old configuration serving";
        notify("READY=1\nSTATUS=" + self->status_text());
    });
}

void systemd_notifier::stopping() {
    if (!under_systemd()) return;
    net::dispatch(strand_, [self = shared_from_this()] {
        if (self->stopped_) return;
        self->stopped_ = true;
        self->timer_.cancel();
        notify("STOPPING=1\nSTATUS=draining: finishing the requests in flight");
    });
}

net::awaitable<void> systemd_notifier::keep_alive(std::shared_ptr<systemd_notifier> /*keeps this alive*/) {
    while (!stopped_) {
        if (watchdog_) notify("WATCHDOG=1");
        if (!reported_synced_ && synced_()) {
            reported_synced_ = true;
            notify("STATUS=" + status_text());
        }
        if (!watchdog_ && reported_synced_) co_return;  // nothing left to report
        const auto interval = reported_synced_ ? *watchdog_ : std::min(status_poll, watchdog_.value_or(status_poll));
        timer_.expires_after(interval);
        boost::system::error_code ec;
        co_await timer_.async_wait(net::redirect_error(net::use_awaitable, ec));
    }
}

}  // namespace blubridge::service
