#pragma once
// Start-up data for the sandbox. A fixture is a JSON object whose lists hold records in
// the very form Billagain answers with, so seed examples can be pasted in verbatim:
//   "packages":       [{"packageID":291,"PackageName":"AGENT-BASIC"}]  (names for PackageName)
//   "customers":      GET /v1/customers/with_customfields/{id} objects (computed members
//                     comp_status and ActiveSubs are ignored; CustomFields optional)
//   "subscriptions":  GET /v1/subscriptions/{id} objects (comp_Status, isExpired,
//                     CustomerName are computed and ignored; PackageName feeds "packages")
//   "contacts":       customer contact objects
//   "paymentmethods": payment method objects, plus "Token"
// List order is creation order. Ids are kept; new ids continue after the largest.
// Errors throw std::runtime_error naming the record and member (start-up only).
#include "store_state.hpp"

#include <string>
#include <string_view>

namespace blubridge::sandbox {

store_state fixture_from_json(std::string_view text);
store_state load_fixture_file(const std::string& path);

}  // namespace blubridge::sandbox
