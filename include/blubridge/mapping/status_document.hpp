#ifndef BLUBRIDGE_MAPPING_STATUS_DOCUMENT_HPP
#define BLUBRIDGE_MAPPING_STATUS_DOCUMENT_HPP

// BluBilling <status> documents (errors, confirmations) built through the `status` mapping,
// so their element names stay in mappings/status.yaml.

#include <blubridge/mapping/dto_mapping.hpp>

#include <boost/system/error_code.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace blubridge::mapping {

/// What a status document says. Empty `id`/`reference` are left out.
struct status_info {
    bool success = false;
    std::string id;         ///< the customer's identifier (integer text)
    std::string reference;  ///< the customer's extCustomerRef
    std::vector<std::string> messages;
};

/// Renders `info` as XML through `status_mapping`, using its roles `success`, `id`,
/// `reference`, `errors` and `message` (see mappings/status.yaml). Fails like `to_xml` if the
/// mapping lacks a role or rejects a value (e.g. a non-integer id). Never throws except bad_alloc.
boost::system::error_code render_status(const dto_mapping& status_mapping, const status_info& info,
                                        std::string& xml, conversion_report& report);

} // namespace blubridge::mapping

#endif
