#pragma once
#include <blubridge/net.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace blubridge::service {

/// Tells systemd how a `Type=notify` service is doing, through sd_notify(3). When the
/// process was not started by systemd (`NOTIFY_SOCKET` unset) every call does nothing and
/// no timer is started, so the program runs exactly as without it.
///
/// The watchdog is fed from the event loop itself: a timer on the given executor sends
/// `WATCHDOG=1` every half of `$WATCHDOG_USEC` (the unit's `WatchdogSec=`), so a loop that
/// stops running its handlers stops feeding it and systemd restarts the service.
class systemd_notifier : public std::enable_shared_from_this<systemd_notifier> {
public:
    /// `synced` answers whether the work `STATUS=` reports on is done (the customer
    /// directories' first full sync); it is asked on the event loop.
    systemd_notifier(net::any_io_executor executor, std::function<bool()> synced);

    /// `READY=1` with a `STATUS=`; then keeps `STATUS=` current (checked every second
    /// until `synced`) and feeds the watchdog. Call once, after the listener is bound.
    void ready();

    /// `RELOADING=1` with `MONOTONIC_USEC=` (which `Type=notify-reload` needs from systemd
    /// 253 on; earlier ones ignore it) and a `STATUS=`. Follow with `reloaded`. Thread-safe.
    void reloading();

    /// `READY=1` after `reloading`, with a `STATUS=` telling whether the reload was refused
    /// (the old configuration serving on). Thread-safe.
    void reloaded(bool ok);

    /// `STOPPING=1` with a `STATUS=`, and ends the timer so the event loop can run dry.
    /// Thread-safe; later calls do nothing.
    void stopping();

    /// The process was started by systemd with a notification socket.
    static bool under_systemd();

    /// Half of `$WATCHDOG_USEC` when the service manager expects keep-alives, else nullopt.
    static std::optional<std::chrono::microseconds> watchdog_interval();

private:
    net::awaitable<void> keep_alive(std::shared_ptr<systemd_notifier> keep_alive_until_done);
    std::string status_text() const;

    net::strand<net::any_io_executor> strand_;
    std::function<bool()> synced_;
    std::optional<std::chrono::microseconds> watchdog_;
    net::steady_timer timer_;
    bool reported_synced_ = false;
    bool stopped_ = false;
    std::string last_reload_;  ///< "" or "; last reload …", appended to STATUS=
};

}  // namespace blubridge::service
