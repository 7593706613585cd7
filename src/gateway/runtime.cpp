#include "runtime.hpp"

#include "billagain_api.hpp"

#include <blubridge/config/load_config.hpp>

namespace blubridge::gateway {

namespace {

// Collects what is missing so one start-up attempt reports all of it.
struct catalog_builder {
    const mapping::mapping_set& set;
    std::vector<std::string> missing;

    const mapping::dto_mapping* dto(std::string_view name) {
        const auto* d = set.find(name);
        if (d == nullptr) missing.push_back("mapping '" + std::string(name) + "' is missing");
        return d;
    }

    std::string role(const mapping::dto_mapping* d, std::string_view role) {
        if (d == nullptr) return {};
        auto path = d->role(role);
        if (path.empty()) {
            missing.push_back("mapping '" + std::string(d->name()) + "' declares no role '" + std::string(role) + "'");
        }
        return std::string(path);
    }
};

dto_catalog build_catalog(const mapping::mapping_set& set) {
    catalog_builder b{set, {}};
    dto_catalog c;
    c.customer = b.dto("customer");
    c.billing_contact = b.dto("billing_contact");
    c.sales_contact = b.dto("sales_contact");
    c.customer_list = b.dto("customer_list");
    c.status = b.dto("status");
    c.autopay = b.dto("autopay");
    c.autopay_list = b.dto("autopay_list");
    c.add_customer_and_order = b.dto("add_customer_and_order");
    c.add_customer_and_order_response = b.dto("add_customer_and_order_response");

    c.customer_roles = {b.role(c.customer, "id"),           b.role(c.customer, "reference"),
                        b.role(c.customer, "billing_contact"), b.role(c.customer, "sales_contact"),
                        b.role(c.customer, "name"),         b.role(c.customer, "last_name"),
                        b.role(c.customer, "company"),      b.role(c.customer, "email"),
                        b.role(c.customer, "active"),       b.role(c.customer, "suspended"),
                        b.role(c.customer, "payment_method")};
    c.contact_roles = {b.role(c.sales_contact, "id"), b.role(c.sales_contact, "customer_id")};
    c.status_roles = {b.role(c.status, "success"), b.role(c.status, "id"), b.role(c.status, "reference"),
                      b.role(c.status, "errors"), b.role(c.status, "message")};
    c.autopay_roles = {b.role(c.autopay, "customer_id"), b.role(c.autopay, "type"), b.role(c.autopay, "id"),
                       b.role(c.autopay, "primary")};
    c.order_roles = {b.role(c.add_customer_and_order_response, "subscriptions")};

    if (!b.missing.empty()) {
        std::string text = "the mappings lack what the gateway needs:\n";
        for (const auto& m : b.missing) text += "  " + m + "\n";
        throw runtime_error(text);
    }
    return c;
}

}  // namespace

std::shared_ptr<const runtime> build_runtime(std::shared_ptr<const config::gateway_config> config,
                                             std::shared_ptr<const mapping::mapping_set> mappings) {
    auto rt = std::make_shared<runtime>();
    rt->dtos = build_catalog(*mappings);
    std::vector<auth::basic_authenticator::entry> entries;
    for (const auto& c : config->clients) {
        auto hash = auth::parse_password_hash(c.password_hash);
        if (!hash) throw runtime_error("client '" + c.username + "' has an unreadable password hash");
        entries.push_back({c.username, std::move(*hash)});
        rt->clients.push_back({c.username, basic_authorization(c.billagain.account_id, c.billagain.api_key)});
    }
    rt->authenticator = std::make_shared<const auth::basic_authenticator>(std::move(entries));
    rt->config = std::move(config);
    rt->mappings = std::move(mappings);
    return rt;
}

std::shared_ptr<const runtime> build_runtime(const std::filesystem::path& config_file) {
    auto config = config::load_gateway_config(config_file);
    auto mappings = mapping::load_mappings(config->mappings_dir);
    return build_runtime(std::move(config), std::move(mappings));
}

}  // namespace blubridge::gateway
