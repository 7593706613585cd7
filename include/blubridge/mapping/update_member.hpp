#ifndef BLUBRIDGE_MAPPING_UPDATE_MEMBER_HPP
#define BLUBRIDGE_MAPPING_UPDATE_MEMBER_HPP

#include <string>

namespace blubridge::mapping {

/// One member of an API's update form (a mapping's `update_form:`): the name the update
/// takes and the name the record is read with, which differ where the API spells them
/// differently (Billagain reads `StatementDate` and takes `StatementDay`).
/// `replaced_by` names a member whose presence leaves this one out (a country sent by code
/// replaces the country id read back, which the API would otherwise prefer).
struct update_member {
    std::string send;
    std::string read;
    std::string replaced_by;  ///< empty: never left out
};

} // namespace blubridge::mapping

#endif
