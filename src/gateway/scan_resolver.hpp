#pragma once
#include "customer_resolver.hpp"

#include <mutex>
#include <unordered_map>
#include <vector>

namespace blubridge::gateway {

/// Resolves references by paging through `/v1/customers` (200 per page) and caches the
/// answers. O(customers) upstream calls on a miss: the customer directory replaces it.
class scan_resolver final : public customer_resolver {
public:
    net::awaitable<boost::system::result<std::uint64_t, failure>> resolve(const std::string& ref,
                                                                          billagain_api& api,
                                                                          const runtime& rt) override;
    net::awaitable<boost::system::result<bool, failure>> in_use(const std::string& ref, billagain_api& api,
                                                                const runtime& rt) override;
    void remember(const std::string& ref, std::uint64_t id) override;
    void forget(const std::string& ref) override;

private:
    /// Every customer id whose reference is `ref`, by a full scan.
    net::awaitable<boost::system::result<std::vector<std::uint64_t>, failure>> scan(const std::string& ref,
                                                                                    billagain_api& api,
                                                                                    const runtime& rt);

    std::mutex mutex_;
    std::unordered_map<std::string, std::uint64_t> cache_;
};

}  // namespace blubridge::gateway
