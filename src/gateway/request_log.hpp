#pragma once
#include "billagain_api.hpp"
#include "gateway_metrics.hpp"

#include <blubridge/log/logger.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace blubridge::gateway {

/// What is recorded of every request: never a body, never a credential.
struct request_record {
    std::string_view request_id{};
    std::string_view client{};       ///< authenticated user name, or empty
    std::string_view remote{};       ///< the client's address and port
    std::string_view method{};
    std::string_view route{};        ///< the router's route name (`get_customer`), `unrouted`, or a probe's
    std::string_view target{};       ///< path and query, secrets masked (see `loggable_target`)
    std::string_view customer_id{};  ///< the customer id the request names, or empty
    std::string_view ext_ref{};      ///< the extCustomerRef it names, or empty
    unsigned status = 0;
    std::uint64_t bytes = 0;       ///< body bytes sent
    std::chrono::microseconds duration{0};
    std::span<const upstream_call> upstream{};  ///< each Billagain call made for it
    std::string_view error{};        ///< the message a failed request was answered with
    std::string_view ignored{};      ///< inbound elements dropped under an `ignore` policy
};

/// The one place every request passes when it is done: logged and measured there.
class request_log {
public:
    virtual ~request_log() = default;
    virtual void record(const request_record& r) = 0;
    /// Whether a request answered with `status` gets a line (and so needs the fields only a
    /// line shows: the remote address, the masked target). Metrics are recorded either way.
    virtual bool writes_line(unsigned /*status*/) const { return true; }
};

/// One structured line per request (event `request`, level info; warn for 5xx) through
/// the logger, and the request counted in the metrics.
class observed_request_log final : public request_log {
public:
    observed_request_log(std::shared_ptr<const log::logger> logger, std::shared_ptr<gateway_metrics> metrics);
    void record(const request_record& r) override;
    bool writes_line(unsigned status) const override;

private:
    std::shared_ptr<const log::logger> logger_;
    std::shared_ptr<gateway_metrics> metrics_;
};

}  // namespace blubridge::gateway
