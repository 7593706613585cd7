#pragma once
#include "failure.hpp"

#include <blubridge/net.hpp>
#include <blubridge/upstream/client.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace blubridge::gateway {

/// A successful Billagain answer: its status (200, 201, 204) and JSON body (may be empty).
struct billagain_reply {
    unsigned status = 0;
    std::string body;
};

using api_result = boost::system::result<billagain_reply, failure>;
using api_result_list = boost::system::result<std::vector<std::string>, failure>;

/// One Billagain call made through a `billagain_api`, for the request's log line.
struct upstream_call {
    std::string_view method;  ///< GET, POST, PUT, DELETE
    std::string route;        ///< the path as a template: `/v1/customers/{id}/contacts`
    unsigned status = 0;      ///< 0: no answer came (timeout, connection failure, breaker open)
    std::chrono::microseconds duration{0};
};

/// `target`'s path with its query dropped and every all-digit segment as `{id}`, so a
/// route names its kind of call, not one customer (log lines and metric labels).
std::string path_template(std::string_view target);

/// Reads the human message out of a Billagain error body (`{"Errors":[…]}`); the shape
/// is declared in the mappings, so this is supplied by the runtime. Empty if none.
using error_describer = std::function<std::string(std::string_view body)>;

/// Billagain calls made on behalf of one gateway client: its account's credentials on
/// every request, and every failure already translated into what the BluBilling client
/// should be told:
/// - transport: timeout → 504, all connections busy → 503, the host's circuit breaker
///   open → 503 with `Retry-After`, anything else → 502;
/// - 400 → 400 with Billagain's message; 404 and 410 → 404; 409 → a conflict (400, or the configured `conflict_status`);
///   401/403 → 502 (the gateway's credentials, not the client's fault); 429 → 503;
///   other statuses → 502.
class billagain_api {
public:
    /// `request_id` (if not empty) goes out as `X-Request-Id` on every call, so Billagain's
    /// logs can be matched with the gateway's.
    billagain_api(upstream::client& client, std::string authorization, error_describer describe,
                  std::string request_id = {});

    net::awaitable<api_result> get(std::string target);
    net::awaitable<api_result> post(std::string target, std::string json);
    net::awaitable<api_result> put(std::string target, std::string json);
    net::awaitable<api_result> remove(std::string target);

    /// Whether several calls may go out at once (see `upstream::client::healthy`).
    bool healthy() const { return client_.healthy(); }

    /// Requests sent so far through this object.
    unsigned calls() const { return static_cast<unsigned>(calls_.size()); }
    /// Each of them, in the order they were sent (for the request log); a call still
    /// waiting for its answer has status 0.
    const std::vector<upstream_call>& calls_made() const { return calls_; }
    /// The same, moved out when the request is done (no copy for its log line).
    std::vector<upstream_call> take_calls() { return std::move(calls_); }

private:
    net::awaitable<api_result> send(http::verb method, std::string target, std::string json);

    upstream::client& client_;
    std::string authorization_;
    error_describer describe_;
    std::string request_id_;
    std::vector<upstream_call> calls_;  // one strand per request: no lock needed
};

/// `POST /v1/by_customer_ids` for `ids`, at most 200 per call (Billagain's largest page):
/// each answer's body (a JSON array of customer records), in call order. `ids_member` is
/// the request's member name (from the mappings). The first failure ends it.
net::awaitable<api_result_list> customers_by_id_pages(billagain_api& api, std::string_view ids_member,
                                                     const std::vector<std::uint64_t>& ids);

/// Billagain's largest page of `/v1/customers` (which lists in creation order).
inline constexpr std::size_t customers_page_size = 200;

/// `/v1/customers` page `page` (from 1) of `customers_page_size` records.
std::string customers_page_target(std::uint64_t page);

/// `text` with every run of 12 or more digits (spaces and dashes between them allowed)
/// replaced by `***`: a card or account number Billagain might echo in an error message
/// must reach neither the client nor the log.
std::string redact_long_numbers(std::string_view text);

/// What a client is told when Billagain answered `status` with `body`.
failure failure_from_upstream_status(unsigned status, const std::string& upstream_message);

/// What a client is told when no answer came from Billagain. `retry_after` is the
/// client's `upstream::client::retry_after()`, used for `error::circuit_open` (at least 1 s).
/// A timeout, a connection lost mid-request or an unreadable answer sets `outcome_unknown`.
failure failure_from_transport(const boost::system::error_code& ec,
                               std::chrono::seconds retry_after = std::chrono::seconds(0));

/// `Basic base64(account:api_key)`, computed once per client when the runtime loads.
std::string basic_authorization(std::string_view account, std::string_view api_key);

}  // namespace blubridge::gateway
