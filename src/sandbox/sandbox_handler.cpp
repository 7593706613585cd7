#include "sandbox_handler.hpp"

#include "router.hpp"
#include "v1_api.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>

namespace blubridge::sandbox {

namespace net = boost::asio;
using http_server::reply;
using http_server::request;
using http_server::response;

namespace {

constexpr std::string_view json_type = "application/json; charset=utf-8";

response make_response(unsigned status, std::string body, unsigned version) {
    response res{static_cast<http::status>(status), version};
    if (!body.empty()) {
        res.set(http::field::content_type, json_type);
        res.body() = std::move(body);
    }
    return res;
}

response from_result(result<api_answer>&& r, unsigned version) {
    if (r) return make_response(r->status, std::move(r->body), version);
    return make_response(r.error().status, error_body(r.error().message), version);
}

bool starts_with_segment(std::string_view path, std::string_view first) {
    // "/v1" or "/v1/…", not "/v1x".
    return path.starts_with(first) && (path.size() == first.size() || path[first.size()] == '/');
}

}  // namespace

sandbox_handler::sandbox_handler(std::shared_ptr<store> data, basic_auth auth)
    : store_(std::move(data)), auth_(std::move(auth)), control_(*store_, faults_, stats_) {}

response sandbox_handler::protocol_error(http::status status, std::string_view reason, unsigned version) const {
    std::string message = "The request was refused: ";
    message += reason;
    auto res = make_response(static_cast<unsigned>(status), error_body(message), version);
    res.keep_alive(false);
    return res;
}

net::awaitable<reply> sandbox_handler::handle(request req, http_server::connection_info) {
    const auto version = req.version();
    auto url = boost::urls::parse_origin_form(req.target());
    if (!url) co_return reply{make_response(400, error_body("The request target is not a valid URI."), version)};
    const std::string_view path = url->encoded_path();

    if (starts_with_segment(path, "/_sandbox")) {
        co_return reply{from_result(control_.handle(req.method(), *url, req.body()), version)};
    }
    const std::string_view request_id = req["X-Request-Id"];
    if (!starts_with_segment(path, "/v1")) {
        stats_.count(nullptr, request_id);
        co_return reply{make_response(404, error_body("No HTTP resource was found that matches the request URI."), version)};
    }

    const auto match = match_route(req.method(), url->encoded_segments());
    stats_.count(match.result == route_match::outcome::matched ? match.route : nullptr, request_id);

    const auto fault = faults_.decide(req.method_string(), path);
    if (fault.delay.count() > 0) {
        net::steady_timer timer(co_await net::this_coro::executor);
        timer.expires_after(fault.delay);
        (void)co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    }
    if (fault.action && !fault.after) {
        if (*fault.action == fault_kind::drop) co_return reply{response{}, true};
        co_return reply{make_response(fault.status,
                                      error_body("Injected fault: status " + std::to_string(fault.status)), version)};
    }

    response res;
    if (!auth_.accepts(req[http::field::authorization])) {
        res = make_response(401, error_body("Authorization has been denied for this request."), version);
        res.set(http::field::www_authenticate, basic_auth::challenge);
    } else if (match.result == route_match::outcome::not_found) {
        res = make_response(404, error_body("No HTTP resource was found that matches the request URI."), version);
    } else if (match.result == route_match::outcome::wrong_method) {
        res = make_response(405, error_body("The requested resource does not support http method '" +
                                            std::string(req.method_string()) + "'."),
                            version);
    } else {
        res = from_result(call_v1(*store_, match, *url, req.body()), version);
    }

    if (fault.action) {  // an "after" fault: the request was applied, its answer is lost
        switch (*fault.action) {
        case fault_kind::drop: co_return reply{response{}, true};
        case fault_kind::status:
            res = make_response(fault.status, error_body("Injected fault: status " + std::to_string(fault.status)),
                                version);
            break;
        case fault_kind::malformed:
            res.body() = malform(res.body());
            res.set(http::field::content_type, json_type);
            if (res.result() == http::status::no_content) res.result(http::status::ok);  // 204 cannot carry a body
            break;
        case fault_kind::latency: break;
        }
    }
    co_return reply{std::move(res)};
}

}  // namespace blubridge::sandbox
