#ifndef BLUBRIDGE_MAPPING_DETAIL_SET_STORAGE_HPP
#define BLUBRIDGE_MAPPING_DETAIL_SET_STORAGE_HPP

#include "program.hpp"

#include <blubridge/mapping/dto_mapping.hpp>
#include <blubridge/mapping/mapping_set.hpp>

#include <memory>
#include <string>
#include <vector>

namespace blubridge::mapping {

// Owns every compiled object; pointers between them stay valid because each lives
// in its own heap allocation.
struct mapping_set::storage {
    std::vector<std::unique_ptr<detail::program>> programs;
    std::vector<std::unique_ptr<detail::value_map>> maps;
    std::vector<std::unique_ptr<dto_mapping>> named;  // load order
    std::vector<std::string> secret_xml_names;        // sorted, for redaction
    std::vector<std::string> secret_json_names;       // sorted, for redaction
};

} // namespace blubridge::mapping

#endif
