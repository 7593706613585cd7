#pragma once
#include "gateway_metrics.hpp"

#include <blubridge/http/handler.hpp>

#include <memory>

namespace blubridge::gateway {

/// The metrics listener's handler (`metrics_listen`): `GET /metrics` answers every metric
/// in Prometheus' text format, `GET /healthz` 200 while the process serves; anything else
/// is 404 (405 for another method on those paths). No credentials: the listener's
/// address is what limits who may read it (loopback by default).
class metrics_handler final : public http_server::handler {
public:
    explicit metrics_handler(std::shared_ptr<gateway_metrics> metrics);

    net::awaitable<http_server::reply> handle(http_server::request req, http_server::connection_info conn) override;

private:
    std::shared_ptr<gateway_metrics> metrics_;
};

}  // namespace blubridge::gateway
