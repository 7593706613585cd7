#include "runtime.hpp"

#include "account_registry.hpp"
#include "billagain_api.hpp"
#include "json_text.hpp"

#include <blubridge/config/load_config.hpp>

#include <pugixml.hpp>

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

// The status text of each flag pair, converted once. A pair the value map does not
// cover stays empty (no customer shows it, no filter finds it).
template <class Roles>
std::array<std::string, 4> status_names(const mapping::dto_mapping& dto, const Roles& roles) {
    std::array<std::string, 4> names;
    for (unsigned pair = 0; pair < names.size(); ++pair) {
        const auto json = json::join_object({{roles.active, pair & 2 ? "true" : "false"},
                                             {roles.suspended, pair & 1 ? "true" : "false"}});
        std::string xml;
        mapping::conversion_report report;
        if (dto.to_xml(json, xml, report)) continue;
        pugi::xml_document doc;
        if (doc.load_string(xml.c_str())) names[pair] = doc.document_element().child_value();
    }
    return names;
}

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
    c.customer_status = b.dto("customer_status");
    c.customer_transition_list = b.dto("customer_transition_list");

    c.customer_roles = {b.role(c.customer, "id"),           b.role(c.customer, "reference"),
                        b.role(c.customer, "billing_contact"), b.role(c.customer, "sales_contact"),
                        b.role(c.customer, "name"),         b.role(c.customer, "last_name"),
                        b.role(c.customer, "company"),      b.role(c.customer, "email"),
                        b.role(c.customer, "active"),       b.role(c.customer, "suspended"),
                        b.role(c.customer, "payment_method"), b.role(c.customer, "created"),
                        b.role(c.customer, "kept")};
    c.list_roles = {b.role(c.customer_list, "ids")};
    c.status_state_role = b.role(c.customer_status, "state");
    c.transition_roles = {b.role(c.customer_transition_list, "id"), b.role(c.customer_transition_list, "date"),
                          b.role(c.customer_transition_list, "previous"), b.role(c.customer_transition_list, "next"),
                          b.role(c.customer_transition_list, "customer")};
    c.contact_roles = {b.role(c.sales_contact, "id"), b.role(c.sales_contact, "customer_id"),
                       b.role(c.sales_contact, "kept")};
    c.status_roles = {b.role(c.status, "success"), b.role(c.status, "id"), b.role(c.status, "reference"),
                      b.role(c.status, "errors"), b.role(c.status, "message")};
    c.autopay_roles = {b.role(c.autopay, "customer_id"), b.role(c.autopay, "type"), b.role(c.autopay, "id"),
                       b.role(c.autopay, "primary"), b.role(c.autopay, "preference"), b.role(c.autopay, "valid"),
                       b.role(c.autopay, "kept"), b.role(c.autopay_list, "kept")};
    c.order_roles = {b.role(c.add_customer_and_order_response, "subscriptions")};

    if (c.customer_status != nullptr) c.status_names = status_names(*c.customer_status, c.customer_roles);

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
        rt->clients.push_back({c.username, c.billagain.account_id, basic_authorization(c.billagain.account_id, c.billagain.api_key)});
    }
    rt->authenticator = std::make_shared<const auth::basic_authenticator>(std::move(entries));
    rt->config = std::move(config);
    rt->mappings = std::move(mappings);
    return rt;
}

std::shared_ptr<const runtime> with_accounts(const runtime& rt, std::shared_ptr<const account_registry> accounts) {
    auto out = std::make_shared<runtime>(rt);
    out->accounts = std::move(accounts);
    return out;
}

std::shared_ptr<const runtime> build_runtime(const std::filesystem::path& config_file) {
    auto config = config::load_gateway_config(config_file);
    auto mappings = mapping::load_mappings(config->mappings_dir);
    return build_runtime(std::move(config), std::move(mappings));
}

}  // namespace blubridge::gateway
