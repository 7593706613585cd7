#pragma once
#include <chrono>
#include <string_view>

namespace blubridge::gateway {

/// What is recorded of every request: never a body, never a credential.
struct request_record {
    std::string_view client;   ///< authenticated user name, or empty
    std::string_view method;
    std::string_view target;   ///< path and query as received
    unsigned status = 0;
    std::chrono::microseconds duration{0};
    unsigned upstream_calls = 0;
    std::string_view error;    ///< the message a failed request was answered with
    std::string_view ignored;  ///< inbound elements dropped under an `ignore` policy
};

/// The one place every request passes when it is done: logs now, metrics later.
class request_log {
public:
    virtual ~request_log() = default;
    virtual void record(const request_record& r) = 0;
};

/// One `key=value` line per request on stderr (journald picks it up under systemd).
class stderr_request_log final : public request_log {
public:
    void record(const request_record& r) override;
};

}  // namespace blubridge::gateway
