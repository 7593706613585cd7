#include "scan_resolver.hpp"

#include "json_text.hpp"

namespace blubridge::gateway {

namespace {
constexpr int page_size = 200;  // Billagain's largest page
}

net::awaitable<boost::system::result<std::vector<std::uint64_t>, failure>> scan_resolver::scan(
    const std::string& ref, billagain_api& api, const runtime& rt) {
    const auto& roles = rt.dtos.customer_roles;
    std::vector<std::uint64_t> ids;
    for (int page = 1;; ++page) {
        auto reply = co_await api.get("/v1/customers?page=" + std::to_string(page) +
                                      "&page_size=" + std::to_string(page_size));
        if (!reply) co_return reply.error();
        auto customers = json::split_array(reply->body);
        if (!customers) co_return failure{http::status::bad_gateway, "Billagain sent an unreadable customer list"};
        for (const auto& c : *customers) {
            if (json::string_member(c, roles.reference) != ref) continue;
            if (auto id = json::integer_member(c, roles.id)) ids.push_back(*id);
        }
        if (customers->size() < page_size) break;
    }
    co_return ids;
}

net::awaitable<boost::system::result<std::uint64_t, failure>> scan_resolver::resolve(const std::string& ref,
                                                                                     billagain_api& api,
                                                                                     const runtime& rt) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = cache_.find(ref); it != cache_.end()) co_return it->second;
    }
    auto ids = co_await scan(ref, api, rt);
    if (!ids) co_return ids.error();
    if (ids->empty()) co_return not_found("no customer has extCustomerRef '" + ref + "'");
    if (ids->size() > 1) {
        std::string list;
        for (auto id : *ids) list += (list.empty() ? "" : ", ") + std::to_string(id);
        co_return conflict("extCustomerRef '" + ref + "' is shared by customers " + list);
    }
    remember(ref, ids->front());
    co_return ids->front();
}

net::awaitable<boost::system::result<bool, failure>> scan_resolver::in_use(const std::string& ref,
                                                                           billagain_api& api,
                                                                           const runtime& rt) {
    // A cached id may be stale (deleted elsewhere): only a scan can say "free".
    auto ids = co_await scan(ref, api, rt);
    if (!ids) co_return ids.error();
    if (ids->size() == 1) remember(ref, ids->front());
    co_return !ids->empty();
}

void scan_resolver::remember(const std::string& ref, std::uint64_t id) {
    if (ref.empty()) return;  // many customers may have no reference; it resolves nobody
    std::lock_guard lock(mutex_);
    cache_[ref] = id;
}

void scan_resolver::forget(const std::string& ref) {
    std::lock_guard lock(mutex_);
    cache_.erase(ref);
}

}  // namespace blubridge::gateway
