// GET operations: the customer graph, one contact, customer lists.
#include "operations.hpp"

#include "../customer_lookup.hpp"
#include "../dto_conversion.hpp"
#include "../json_text.hpp"
#include "../directory_resolver.hpp"

#include <array>

namespace blubridge::gateway::operations {

net::awaitable<operation_result> get_customer(operation_context& ctx) {
    auto graph = co_await read_selected_customer(ctx);
    if (!graph) co_return graph.error();
    auto xml = outbound(*ctx.rt.dtos.customer, graph->shown->root());
    if (!xml) co_return xml.error();
    co_return xml_reply{http::status::ok, std::move(*xml), {}};
}

net::awaitable<operation_result> get_contact(operation_context& ctx) {
    auto graph = co_await read_selected_customer(ctx);
    if (!graph) co_return graph.error();
    step<std::string> xml = failure{};
    if (ctx.target.contact == contact_kind::billing) {
        xml = outbound(*ctx.rt.dtos.billing_contact, graph->shown->root());
    } else {
        const auto* sales = graph->sales_shown(ctx.rt.dtos.customer_roles.sales_contact);
        if (!sales) co_return not_found("customer " + std::to_string(graph->id) + " has no salesContact");
        xml = outbound(*ctx.rt.dtos.sales_contact, *sales);
    }
    if (!xml) co_return xml.error();
    co_return xml_reply{http::status::ok, std::move(*xml), {}};
}

namespace {

// A ?status= value as BluBilling spells it (any case is taken), checked against the nine
// states by the customer_status mapping; a 400 naming them for anything else.
step<std::string> spelled_status(const runtime& rt, const std::string& asked) {
    pugi::xml_document doc;
    doc.append_child(std::string(rt.dtos.customer_status->xml_root()).c_str()).text().set(asked.c_str());
    std::string json;
    mapping::conversion_report report;
    if (rt.dtos.customer_status->to_json(doc.document_element(), json, report) ||
        !json::string_member(json, rt.dtos.status_state_role)) {
        return bad_request("unknown status '" + asked + "': " + report.message);
    }
    return *json::string_member(json, rt.dtos.status_state_role);
}

// The directory's form of a list request: the status asked for becomes the flag pairs
// that show it (found once per snapshot through the customer mapping).
directory::customer_query directory_query(const runtime& rt, const list_query& l, const std::string& status) {
    directory::customer_query q;
    q.search = l.search;
    if (!status.empty()) {
        std::array<bool, 4> keep{};
        for (std::size_t i = 0; i < keep.size(); ++i) keep[i] = rt.dtos.status_names[i] == status;
        q.statuses = keep;
    }
    q.created_from = l.create_start;
    q.created_to = l.create_end;
    q.updated_from = l.update_start;
    q.updated_to = l.update_end;
    q.offset = l.offset;
    q.max = l.max;
    return q;
}

}  // namespace

// Filtered and paged from the customer directory, then the page's records fetched in one
// upstream call, whatever the number of customers.
net::awaitable<operation_result> list_customers(operation_context& ctx) {
    const auto& list = ctx.target.list;
    const auto bound = ctx.rt.config->responses.max_list_page;
    if (list.max > bound) co_return bad_request("max must be a whole number from 0 to " + std::to_string(bound));
    std::string status;
    if (!list.status.empty()) {
        auto spelled = spelled_status(ctx.rt, list.status);
        if (!spelled) co_return spelled.error();
        status = std::move(*spelled);
    }
    if (!ctx.directory.ready()) co_return directory_not_ready();
    const auto page = ctx.directory.query(directory_query(ctx.rt, list, status));
    auto customers = co_await customers_with_contacts(ctx, page.ids);
    if (!customers) co_return customers.error();
    // Each customer's tree is moved into the list; each stays the owner of its storage, and
    // `elements` holds only the array itself.
    rapidjson::MemoryPoolAllocator<> elements(1024);
    json::tree::value shown(rapidjson::kArrayType);
    shown.Reserve(static_cast<rapidjson::SizeType>(customers->size()), elements);
    for (auto& c : *customers) shown.PushBack(c.shown->root(), elements);
    auto xml = outbound(*ctx.rt.dtos.customer_list, shown);
    if (!xml) co_return xml.error();
    co_return xml_reply{http::status::ok, std::move(*xml), {}};
}

}  // namespace blubridge::gateway::operations
