#include "gateway_handler.hpp"

#include "state_call.hpp"

#include "dto_conversion.hpp"
#include "idempotency.hpp"
#include "json_text.hpp"
#include "loggable_target.hpp"
#include "request_id.hpp"
#include "operations/operations.hpp"
#include "router.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace blubridge::gateway {

namespace {

constexpr std::string_view xml_content_type = "application/xml; charset=utf-8";
constexpr std::string_view ignored_header = "X-Blubridge-Ignored-Elements";
constexpr std::string_view readiness_path = "/readyz";
constexpr std::string_view liveness_path = "/healthz";

http_server::response probe_response(http::status status, unsigned version, std::string text) {
    http_server::response res{status, version};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.body() = std::move(text);
    res.prepare_payload();
    return res;
}

http_server::response readiness_response(bool ready, unsigned version) {
    return ready ? probe_response(http::status::ok, version, "ready\n")
                 : probe_response(http::status::service_unavailable, version,
                                  "customer directory: first sync not complete\n");
}

http_server::response xml_response(http::status status, unsigned version, std::string xml) {
    http_server::response res{status, version};
    res.set(http::field::content_type, xml_content_type);
    res.set(http::field::cache_control, "no-store");
    res.body() = std::move(xml);
    res.prepare_payload();
    return res;
}

http_server::response failure_response(const runtime& rt, const failure& f, unsigned version) {
    const auto status = f.clash ? rt.config->responses.conflict_status : f.status;
    auto res = xml_response(status, version, status_document(rt, false, std::nullopt, std::nullopt, {f.message}));
    if (f.status == http::status::unauthorized) res.set(http::field::www_authenticate, "Basic realm=\"blubridge\"");
    if (!f.allow.empty()) res.set(http::field::allow, f.allow);
    if (f.retry_after_seconds != 0) res.set(http::field::retry_after, std::to_string(f.retry_after_seconds));
    return res;
}

// Billagain's error body names its message through the status mapping's roles.
error_describer upstream_message_reader(const runtime& rt) {
    return [&roles = rt.dtos.status_roles](std::string_view body) -> std::string {
        auto members = json::split_object(body);
        if (!members) return {};
        for (const auto& m : *members) {
            if (m.name != roles.errors) continue;
            auto items = json::split_array(m.raw);
            if (!items || items->empty()) return {};
            return json::string_member(items->front(), roles.message).value_or("");
        }
        return {};
    };
}

}  // namespace

gateway_handler::gateway_handler(std::shared_ptr<runtime_holder> runtimes,
                                 std::shared_ptr<upstream::client> upstream,
                                 std::shared_ptr<request_log> log)
    : runtimes_(std::move(runtimes)),
      upstream_(std::move(upstream)),
      log_(std::move(log)),
      limiter_(runtimes_->current()->config->auth_failures) {}

namespace {

// The slow check, as a coroutine of its own: its parameters live in its frame while it
// runs on the authentication thread (no lambda captures across threads).
net::awaitable<std::optional<std::size_t>> verify_credentials(std::shared_ptr<const runtime> rt,
                                                              std::string header) {
    co_return rt->authenticator->authenticate(header);
}

failure unauthenticated() {
    return {http::status::unauthorized, "authentication required: HTTP Basic with a configured client"};
}

}  // namespace

net::awaitable<boost::system::result<std::size_t, failure>> gateway_handler::authenticate(
    std::shared_ptr<const runtime> rt, std::string_view header, const net::ip::address& from) {
    const auto& authenticator = *rt->authenticator;
    const auto header_digest = authenticator.digest_of(header);  // the one HMAC of the request
    // The usual request: from an address nothing is held against (no failure, no lockout, no
    // check in flight), credentials already verified. It needs no attempt of its own. The
    // address is asked first, so a locked-out client's credentials are not looked at (not
    // even the time a lookup takes could tell a guess right).
    if (limiter_.quiet(from)) {
        if (auto quick = authenticator.check_remembered(header, header_digest); quick && *quick) co_return **quick;
    }
    // Before any credential is looked at: during a lockout the right password is refused
    // too, or guessing would go on at the speed of the remembered-credentials check.
    auto attempt = limiter_.begin(from, auth::basic_authenticator::fingerprint(header_digest));
    if (!attempt.admitted()) {
        failure f{http::status::too_many_requests, "too many failed authentications from this address; retry after " +
                                                       std::to_string(attempt.retry_after().count()) + " s"};
        f.retry_after_seconds = static_cast<unsigned>(attempt.retry_after().count());
        co_return f;
    }
    if (header.empty()) co_return unauthenticated();  // `attempt` ends unreported: not a failure

    if (auto quick = authenticator.check_remembered(header, header_digest)) {
        // Settled without a check: a malformed header, or credentials already checked and
        // found wrong. Resending those is no new guess, so it is not counted as one.
        if (!*quick) co_return unauthenticated();
        attempt.succeeded();
        co_return **quick;
    }
    auto client = co_await net::co_spawn(auth_pool_, verify_credentials(std::move(rt), std::string(header)),
                                         net::use_awaitable);
    if (!client) {
        attempt.failed();
        co_return unauthenticated();
    }
    attempt.succeeded();
    co_return *client;
}

namespace {

std::string address_text(const net::ip::tcp::endpoint& remote) {
    const auto a = remote.address();
    return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(remote.port());
}

// What a request names, for its log line: its route's name and customer.
struct request_names {
    std::string_view route = "unrouted";  // the router refused it
    std::string customer_id;
    std::string_view ext_ref;
};

request_names names_of(const boost::system::result<route, failure>& routed) {
    request_names n;
    if (!routed) return n;
    n.route = route_name(routed->op);
    if (routed->customer.id) n.customer_id = std::to_string(*routed->customer.id);
    n.ext_ref = routed->customer.ext_ref;
    return n;
}

}  // namespace

net::awaitable<http_server::reply> gateway_handler::handle(http_server::request req, http_server::connection_info conn) {
    const auto started = std::chrono::steady_clock::now();
    const auto rt = runtimes_->current();  // this request keeps its snapshot to the end
    const unsigned version = req.version();
    const auto request_id = request_id_for(req[request_id_header]);

    http_server::reply out;
    if (req.target() == readiness_path || req.target() == liveness_path) {
        out.message = req.target() == readiness_path ? readiness_response(rt->accounts->ready(), version)
                                                     : probe_response(http::status::ok, version, "serving\n");
        out.message.set(request_id_header, request_id);
        co_return out;  // probes are frequent: not logged
    }

    std::string client_name, error_text, ignored;
    std::vector<upstream_call> upstream_calls;
    // Routed before authentication only to name the request in the log and the metrics;
    // a refused route is still answered after the credentials are checked.
    const auto routed = route_request(req.method(), req.target());
    const auto names = names_of(routed);
    const auto client = co_await authenticate(rt, req[http::field::authorization], conn.remote.address());
    const account* acct = client ? rt->accounts->find(rt->clients[*client].account_id) : nullptr;
    if (client && acct == nullptr) {
        // Cannot happen: a snapshot serves only with every client's account open.
        failure f{http::status::service_unavailable, "this client's Billagain account is not open"};
        out.message = failure_response(*rt, f, version);
        error_text = f.message;
    } else if (!client) {
        out.message = failure_response(*rt, client.error(), version);
        error_text = client.error().message;
    } else {
        client_name = rt->clients[*client].username;
        if (!routed) {
            out.message = failure_response(*rt, routed.error(), version);
            error_text = routed.error().message;
        } else {
            auto& answers = acct->directory->idempotency();
            // With shared state the key's claim and answer wait for the database: off the I/O thread.
            const bool shared_state = acct->directory->shared();
            const auto begin = [&] { return begin_idempotent(req, client_name, answers, rt->config->idempotency); };
            idempotent_request idempotent;
            if (shared_state)
                idempotent = co_await run_on(locks_->blocking_executor(), begin);
            else
                idempotent = begin();
            if (idempotent.refused) {
                out.message = failure_response(*rt, *idempotent.refused, version);
                error_text = idempotent.refused->message;
            } else if (idempotent.replay) {
                out.message = xml_response(static_cast<http::status>(idempotent.replay->status), version,
                                           idempotent.replay->body);
                out.message.set(idempotent_replayed_header, "true");
            } else {
                billagain_api api(*upstream_, rt->clients[*client].billagain_authorization, upstream_message_reader(*rt),
                                  request_id);
                operation_context ctx{*rt, *routed, req.body(), api, *acct->resolver, *acct->directory, *locks_, locks_};
                ctx.resume_create_after = idempotent.resume_create_after;
                auto result = co_await operations::run(ctx);
                upstream_calls = api.take_calls();
                if (result) {
                    out.message = xml_response(result->status, version, std::move(result->xml));
                    for (const auto& path : result->ignored) ignored += (ignored.empty() ? "" : ", ") + path;
                    if (!ignored.empty()) out.message.set(ignored_header, ignored);
                } else {
                    out.message = failure_response(*rt, result.error(), version);
                    error_text = result.error().message;
                }
                const auto finish = [&] {
                    finish_idempotent(idempotent, answers, out.message.result_int(), out.message.body(),
                                      ctx.unresolved_create_after);
                };
                if (shared_state && idempotent.claimed)
                    co_await run_on(locks_->blocking_executor(), finish);
                else
                    finish();
            }
        }
    }
    out.message.set(request_id_header, request_id);

    // The address and the masked target are only shown on a log line: not built without one.
    const bool line = log_->writes_line(out.message.result_int());
    const auto remote = line ? address_text(conn.remote) : std::string();
    const auto target = line ? loggable_target(req.target(), *rt->mappings) : std::string();
    log_->record({.request_id = request_id,
                  .client = client_name,
                  .remote = remote,
                  .method = req.method_string(),
                  .route = names.route,
                  .target = target,
                  .customer_id = names.customer_id,
                  .ext_ref = names.ext_ref,
                  .status = out.message.result_int(),
                  .bytes = out.message.body().size(),
                  .duration = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                                    started),
                  .upstream = upstream_calls,
                  .error = error_text,
                  .ignored = ignored});
    co_return out;
}

http_server::response gateway_handler::protocol_error(http::status status, std::string_view reason,
                                                      unsigned version) const {
    auto res = failure_response(*runtimes_->current(), failure{status, std::string(reason)}, version);
    res.keep_alive(false);
    const auto request_id = new_request_id();  // the request was not read far enough to offer one
    res.set(request_id_header, request_id);
    // Refused before routing (malformed, too large, too many): still one log line each.
    log_->record({.request_id = request_id,
                  .method = "-",
                  .route = "refused",
                  .target = "-",
                  .status = res.result_int(),
                  .bytes = res.body().size(),
                  .error = reason});
    return res;
}

}  // namespace blubridge::gateway
