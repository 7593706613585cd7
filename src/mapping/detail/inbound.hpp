#ifndef BLUBRIDGE_MAPPING_DETAIL_INBOUND_HPP
#define BLUBRIDGE_MAPPING_DETAIL_INBOUND_HPP

#include "program.hpp"

#include <blubridge/mapping/report.hpp>

#include <boost/system/error_code.hpp>
#include <pugixml.hpp>

#include <string>

namespace blubridge::mapping::detail {

/// Runs `p` over the element `root` and appends the JSON text to `out`.
boost::system::error_code run_inbound(const program& p, pugi::xml_node root, std::string& out,
                                      conversion_report& report, bool apply_defaults);

} // namespace blubridge::mapping::detail

#endif
