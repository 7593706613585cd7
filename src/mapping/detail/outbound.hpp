#ifndef BLUBRIDGE_MAPPING_DETAIL_OUTBOUND_HPP
#define BLUBRIDGE_MAPPING_DETAIL_OUTBOUND_HPP

#include "program.hpp"

#include <blubridge/mapping/report.hpp>

#include <boost/system/error_code.hpp>
#include <pugixml.hpp>
#include <rapidjson/document.h>

namespace blubridge::mapping::detail {

/// Runs `p` over `root` and appends one element named after the program's root under `parent`.
boost::system::error_code run_outbound(const program& p, const rapidjson::Value& root,
                                       pugi::xml_node parent, conversion_report& report);

} // namespace blubridge::mapping::detail

#endif
