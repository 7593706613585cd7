#pragma once
#include "customer_resolver.hpp"

#include <blubridge/directory/customer_directory.hpp>

#include <memory>

namespace blubridge::gateway {

/// Resolves references through the customer directory: one memory lookup, no upstream
/// call. Until the directory's first full sync has completed it cannot say that a
/// reference is unknown or unique, so it answers 503 (with Retry-After) instead of
/// guessing.
class directory_resolver final : public customer_resolver {
public:
    explicit directory_resolver(std::shared_ptr<directory::customer_directory> directory);

    boost::system::result<std::uint64_t, failure> resolve(const std::string& ref) const override;
    boost::system::result<std::vector<std::uint64_t>, failure> holders(const std::string& ref) const override;
    void observe(std::string_view record) override;
    std::optional<boost::system::result<std::uint64_t, failure>> resolve_in_memory(const std::string& ref) const override;
    bool observe_in_memory(std::string_view record) override;
    void removed(std::uint64_t id) override;

private:
    std::shared_ptr<directory::customer_directory> directory_;
};

/// 503 for requests that need the customer directory before its first full sync.
failure directory_not_ready();

/// Seconds since 1970 UTC, now.
directory::unix_seconds unix_now();

}  // namespace blubridge::gateway
