#include "metrics_handler.hpp"

namespace blubridge::gateway {

namespace {

// Prometheus' text exposition format, version 0.0.4.
constexpr std::string_view exposition_type = "text/plain; version=0.0.4; charset=utf-8";

http_server::response text_response(http::status status, unsigned version, std::string_view type, std::string body) {
    http_server::response res{status, version};
    res.set(http::field::content_type, type);
    res.set(http::field::cache_control, "no-store");
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

}  // namespace

metrics_handler::metrics_handler(std::shared_ptr<gateway_metrics> metrics) : metrics_(std::move(metrics)) {}

net::awaitable<http_server::reply> metrics_handler::handle(http_server::request req, http_server::connection_info) {
    const unsigned version = req.version();
    constexpr std::string_view plain = "text/plain; charset=utf-8";
    http_server::reply out;
    const auto path = std::string_view(req.target()).substr(0, std::string_view(req.target()).find('?'));
    if (path != "/metrics" && path != "/healthz") {
        out.message = text_response(http::status::not_found, version, plain, "not found: /metrics or /healthz\n");
    } else if (req.method() != http::verb::get) {
        out.message = text_response(http::status::method_not_allowed, version, plain, "GET only\n");
        out.message.set(http::field::allow, "GET");
    } else if (path == "/healthz") {
        out.message = text_response(http::status::ok, version, plain, "serving\n");
    } else {
        out.message = text_response(http::status::ok, version, exposition_type, metrics_->exposition());
    }
    co_return out;
}

}  // namespace blubridge::gateway
