#pragma once
// The client's XML and Billagain's JSON converted through the mappings, and the <status>
// documents the gateway answers with.
#include "json_tree.hpp"
#include "operation_context.hpp"

#include <blubridge/mapping/dto_mapping.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blubridge::gateway {

/// Request XML → Billagain JSON through `dto`; 400 naming the field on failure.
/// `apply_defaults` is false for updates laid over the record read: a mapping's
/// defaults (such as isWaiveTaxes) must not overwrite what the customer already has.
step<std::string> inbound(const mapping::dto_mapping& dto, std::string_view xml, std::vector<std::string>& ignored,
                          bool apply_defaults = true);

/// Billagain JSON → BluBilling XML through `dto`; 502 if Billagain's data cannot be shown.
step<std::string> outbound(const mapping::dto_mapping& dto, std::string_view json);
/// The same for JSON already parsed (a customer graph's `shown`).
step<std::string> outbound(const mapping::dto_mapping& dto, const json::tree::value& json);

/// A `<status>` document: success flag, the customer's id and reference when known,
/// and error messages.
std::string status_document(const runtime& rt, bool success, std::optional<std::uint64_t> id,
                            const std::optional<std::string>& reference, const std::vector<std::string>& errors);

}  // namespace blubridge::gateway
