#include "billagain_api.hpp"

#include "json_text.hpp"
#include "request_id.hpp"

#include <blubridge/auth/basic_authenticator.hpp>

#include <algorithm>
#include <cctype>

namespace blubridge::gateway {

billagain_api::billagain_api(upstream::client& client, std::string authorization, error_describer describe,
                             std::string request_id)
    : client_(client),
      authorization_(std::move(authorization)),
      describe_(std::move(describe)),
      request_id_(std::move(request_id)) {}

net::awaitable<api_result> billagain_api::get(std::string target) {
    co_return co_await send(http::verb::get, std::move(target), {});
}
net::awaitable<api_result> billagain_api::post(std::string target, std::string json) {
    co_return co_await send(http::verb::post, std::move(target), std::move(json));
}
net::awaitable<api_result> billagain_api::put(std::string target, std::string json) {
    co_return co_await send(http::verb::put, std::move(target), std::move(json));
}
net::awaitable<api_result> billagain_api::remove(std::string target) {
    co_return co_await send(http::verb::delete_, std::move(target), {});
}

net::awaitable<api_result> billagain_api::send(http::verb method, std::string target, std::string json) {
    upstream::request req{method, target, 11};
    req.set(http::field::authorization, authorization_);
    req.set(http::field::accept, "application/json");
    if (method == http::verb::post || method == http::verb::put) {
        req.set(http::field::content_type, "application/json");
        req.body() = std::move(json);
    }
    if (!request_id_.empty()) req.set(request_id_header, request_id_);
    // Its place is taken now, so calls sent together are logged in the order they were sent.
    const auto slot = calls_.size();
    calls_.push_back({http::to_string(method), path_template(target)});
    const auto started = std::chrono::steady_clock::now();
    auto res = co_await client_.send(std::move(req));
    auto& call = calls_[slot];
    call.duration = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    call.status = res ? res->result_int() : 0;
    if (!res) co_return failure_from_transport(res.error(), client_.retry_after());
    const unsigned status = res->result_int();
    if (status >= 200 && status < 300) co_return billagain_reply{status, std::move(res->body())};
    co_return failure_from_upstream_status(status,
                                           describe_ ? redact_long_numbers(describe_(res->body())) : std::string());
}

net::awaitable<api_result_list> customers_by_id_pages(billagain_api& api, std::string_view ids_member,
                                                     const std::vector<std::uint64_t>& ids) {
    constexpr std::size_t batch = 200;
    std::vector<std::string> pages;
    for (std::size_t at = 0; at < ids.size(); at += batch) {
        std::vector<std::string> numbers;
        for (std::size_t i = at; i < std::min(ids.size(), at + batch); ++i) numbers.push_back(std::to_string(ids[i]));
        std::string body = json::join_object({{std::string(ids_member), json::join_array(numbers)}});
        auto reply = co_await api.post("/v1/by_customer_ids?page_size=" + std::to_string(batch), std::move(body));
        if (!reply) co_return reply.error();
        pages.push_back(std::move(reply->body));
    }
    co_return pages;
}

std::string redact_long_numbers(std::string_view text) {
    constexpr std::size_t min_digits = 12;  // shorter than any card or IBAN-style account number
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
            out += text[i++];
            continue;
        }
        // A run of digits, possibly grouped by single spaces or dashes.
        std::size_t end = i, digits = 0, last_digit = i;
        while (end < text.size()) {
            const char c = text[end];
            if (std::isdigit(static_cast<unsigned char>(c))) {
                ++digits;
                last_digit = end;
            } else if (!((c == ' ' || c == '-') && end + 1 < text.size() &&
                         std::isdigit(static_cast<unsigned char>(text[end + 1])))) {
                break;
            }
            ++end;
        }
        if (digits >= min_digits) out += "***";
        else out.append(text.substr(i, last_digit + 1 - i));
        i = last_digit + 1;
    }
    return out;
}

failure failure_from_upstream_status(unsigned status, const std::string& upstream_message) {
    const std::string detail = upstream_message.empty() ? std::string() : ": " + upstream_message;
    switch (status) {
    case 400:
    case 422:
        return bad_request("Billagain rejected the request" + detail);
    case 404:
    case 410:
        return not_found(upstream_message.empty() ? std::string("not found") : upstream_message);
    case 409:
        return conflict("Billagain reported a conflict" + detail);
    case 401:
    case 403:
        return {http::status::bad_gateway, "Billagain refused the gateway's credentials for this client"};
    case 429:
        return {http::status::service_unavailable, "Billagain is limiting requests; try again later"};
    default:
        return {http::status::bad_gateway, "Billagain failed with status " + std::to_string(status) + detail};
    }
}

failure failure_from_transport(const boost::system::error_code& ec, std::chrono::seconds retry_after) {
    if (ec == upstream::error::timed_out) {
        failure f{http::status::gateway_timeout, "Billagain did not answer in time"};
        f.outcome_unknown = true;
        return f;
    }
    if (ec == upstream::error::pool_exhausted) {
        return {http::status::service_unavailable, "too many requests waiting for Billagain; try again later"};
    }
    if (ec == upstream::error::circuit_open) {
        failure f{http::status::service_unavailable, "Billagain failed repeatedly; requests are paused, try again later"};
        f.retry_after_seconds = static_cast<unsigned>(std::max<std::chrono::seconds::rep>(1, retry_after.count()));
        return f;
    }
    failure f{http::status::bad_gateway, "Billagain is unreachable (" + ec.message() + ")"};
    f.outcome_unknown = ec == upstream::error::connection_lost || ec == upstream::error::malformed_response;
    return f;
}

std::string path_template(std::string_view target) {
    const auto path = target.substr(0, target.find('?'));
    std::string out;
    std::size_t at = 0;
    while (at < path.size()) {
        const auto end = std::min(path.find('/', at + 1), path.size());
        const auto segment = path.substr(at, end - at);  // with its leading '/'
        const bool number = segment.size() > 1 && std::all_of(segment.begin() + 1, segment.end(), [](char c) {
                                return std::isdigit(static_cast<unsigned char>(c));
                            });
        out += number ? std::string_view("/{id}") : segment;
        at = end;
    }
    return out;
}

std::string customers_page_target(std::uint64_t page) {
    return "/v1/customers?page=" + std::to_string(page) + "&page_size=" + std::to_string(customers_page_size);
}

std::string basic_authorization(std::string_view account, std::string_view api_key) {
    return auth::make_basic_authorization(account, api_key);
}

}  // namespace blubridge::gateway
