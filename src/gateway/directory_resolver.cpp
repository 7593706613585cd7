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

directory_resolver::directory_resolver(std::shared_ptr<directory::customer_directory> directory)
    : directory_(std::move(directory)) {}

boost::system::result<std::uint64_t, failure> directory_resolver::resolve(const std::string& ref) const {
    if (!directory_->ready()) return directory_not_ready();
    const auto ids = directory_->find_by_reference(ref);
    if (ids.empty()) return not_found("no customer has extCustomerRef '" + ref + "'");
    if (ids.size() > 1) {
        std::string list;
        for (auto id : ids) list += (list.empty() ? "" : ", ") + std::to_string(id);
        return conflict("extCustomerRef '" + ref + "' is shared by customers " + list);
    }
    return ids.front();
}

boost::system::result<bool, failure> directory_resolver::in_use(const std::string& ref) const {
    if (!directory_->ready()) return directory_not_ready();
    return !directory_->find_by_reference(ref).empty();
}

void directory_resolver::observe(std::string_view record) { directory_->observe(record, unix_now()); }

void directory_resolver::removed(std::uint64_t id) { directory_->observe_removed(id, unix_now()); }

}  // namespace blubridge::gateway
