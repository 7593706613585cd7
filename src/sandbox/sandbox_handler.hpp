#pragma once
// The sandbox's application: Billagain v1 behind Basic authentication, the /_sandbox/
// control API beside it, request counting and fault injection in front of both /v1 paths.
#include "basic_auth.hpp"
#include "control_api.hpp"
#include "fault_injector.hpp"
#include "request_stats.hpp"
#include "store.hpp"

#include <blubridge/http/handler.hpp>

#include <memory>

namespace blubridge::sandbox {

class sandbox_handler final : public http_server::handler {
public:
    /// `data` is shared so a test can inspect it; the handler only reads the pointer.
    sandbox_handler(std::shared_ptr<store> data, basic_auth auth);

    boost::asio::awaitable<http_server::reply> handle(http_server::request req, http_server::connection_info conn) override;

    /// Billagain-style JSON error for requests the server refused (400/408/413/431/503).
    http_server::response protocol_error(http::status status, std::string_view reason,
                                         unsigned version) const override;

    request_stats& stats() { return stats_; }
    fault_injector& faults() { return faults_; }

private:
    http_server::reply answer(const http_server::request& req);

    std::shared_ptr<store> store_;
    basic_auth auth_;
    fault_injector faults_;
    request_stats stats_;
    control_api control_;
};

}  // namespace blubridge::sandbox
