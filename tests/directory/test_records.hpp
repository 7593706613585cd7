#pragma once
// Shared by the directory tests: a temporary folder, and customer records shaped like
// Billagain's (member names as the customer mapping's roles name them).
#include <blubridge/directory/customer_directory.hpp>

#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace blubridge::directory::test {

/// A fresh folder under the system temp folder, removed with its contents.
class temp_folder {
public:
    temp_folder() {
        std::random_device random;
        path_ = std::filesystem::temp_directory_path() /
                ("blubridge-directory-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
        std::filesystem::create_directories(path_);
    }
    ~temp_folder() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    temp_folder(const temp_folder&) = delete;
    temp_folder& operator=(const temp_folder&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

inline record_fields billagain_fields() {
    return {.id = "customerID",
            .reference = "Reference",
            .name = "Name",
            .last_name = "LastName",
            .company = "Company",
            .email = "Email",
            .active = "isActive",
            .suspended = "isSuspended",
            .created = "CreatedDate"};
}

/// The customer mapping's customer_status table: suspended (by Billagain, or by the gateway
/// while Billagain shows the customer inactive) reads Suspended1.
inline std::string blubilling_status(status_flags f) {
    if (f.suspended) return "Suspended1";
    return f.active ? "Active" : "InActive1";
}

inline directory_options options_for(const std::filesystem::path& database, std::vector<std::string> urls = {}) {
    return {.database = database,
            .postgresql = std::nullopt,
            .fields = billagain_fields(),
            .status_name = blubilling_status,
            .callback_urls = std::move(urls)};
}

inline std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out + "\"";
}

/// One Billagain customer record. Members the directory does not keep (Balance, the
/// payment method's token) are there so tests can show they change only the fingerprint
/// and are never stored.
struct record {
    customer_id id = 0;
    std::string reference{}, name{}, last_name{}, company{}, email{};
    bool active = true;
    bool suspended = false;
    std::string created = "2016-03-11T16:34:53.8018224+02:00";
    std::string balance = "0.0000";

    std::string json() const {
        return "{\"customerID\":" + std::to_string(id) + ",\"Reference\":" + json_string(reference) +
               ",\"Name\":" + json_string(name) + ",\"LastName\":" + json_string(last_name) + ",\"Company\":" + json_string(company) +
               ",\"Email\":" + json_string(email) + ",\"CreatedDate\":" + json_string(created) +
               ",\"isActive\":" + (active ? "true" : "false") + ",\"isSuspended\":" + (suspended ? "true" : "false") +
               ",\"Balance\":" + balance +
               ",\"PrimaryPaymentMethodInfo\":{\"paymentMethodID\":20406,\"Token\":\"tok-5555444433331111\"}}";
    }
};

inline std::string page_of(const std::vector<record>& records) {
    std::string page = "[";
    for (const auto& r : records) {
        if (page.size() > 1) page += ',';
        page += r.json();
    }
    return page + "]";
}

/// A generated customer as in the memory budget: "BULK-<n>", Bulk / Customer <n>.
inline record bulk_record(customer_id id) {
    const auto n = std::to_string(id);
    return {.id = id,
            .reference = "BULK-" + n,
            .name = "Bulk",
            .last_name = "Customer " + n,
            .company = "",
            .email = "bulk" + n + "@example.com"};
}

}  // namespace blubridge::directory::test
