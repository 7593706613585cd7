#include "directory_resolver.hpp"

#include <chrono>

namespace blubridge::gateway {

directory::unix_seconds unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

failure directory_not_ready() {
    failure f{http::status::service_unavailable,
              "the customer directory is still being built from Billagain (first sync); try again shortly"};
    f.retry_after_seconds = 5;
    return f;
}

std::string name_customers(const std::vector<std::uint64_t>& ids) {
    std::string out = ids.size() == 1 ? "customer " : "customers ";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i != 0) out += i + 1 == ids.size() ? " and " : ", ";
        out += std::to_string(ids[i]);
    }
    return out;
}

directory_resolver::directory_resolver(std::shared_ptr<directory::customer_directory> directory)
    : directory_(std::move(directory)) {}

namespace {

boost::system::result<std::uint64_t, failure> the_one(const std::string& ref, const std::vector<std::uint64_t>& ids) {
    if (ids.empty()) return not_found("no customer has extCustomerRef '" + ref + "'");
    if (ids.size() > 1) {
        return conflict("extCustomerRef '" + ref + "' is shared by " + name_customers(ids) +
                        ": select the customer by its id");
    }
    return ids.front();
}

}  // namespace

boost::system::result<std::uint64_t, failure> directory_resolver::resolve(const std::string& ref) const {
    if (!directory_->ready()) return directory_not_ready();
    return the_one(ref, directory_->find_by_reference(ref));
}

std::optional<boost::system::result<std::uint64_t, failure>> directory_resolver::resolve_in_memory(
    const std::string& ref) const {
    if (!directory_->ready()) return directory_not_ready();
    auto ids = directory_->find_by_reference_in_memory(ref);
    // Shared state: memory may not have heard of a customer another gateway just created.
    if (ids.empty() && !ref.empty() && directory_->shared()) return std::nullopt;
    return the_one(ref, ids);
}

bool directory_resolver::observe_in_memory(std::string_view record) { return directory_->observe_if_unchanged(record); }

boost::system::result<std::vector<std::uint64_t>, failure> directory_resolver::holders(const std::string& ref) const {
    if (!directory_->ready()) return directory_not_ready();
    return directory_->find_by_reference(ref);
}

void directory_resolver::observe(std::string_view record) { directory_->observe(record, unix_now()); }

void directory_resolver::removed(std::uint64_t id) { directory_->observe_removed(id, unix_now()); }

}  // namespace blubridge::gateway
