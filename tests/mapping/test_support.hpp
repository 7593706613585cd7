#ifndef BLUBRIDGE_TESTS_MAPPING_TEST_SUPPORT_HPP
#define BLUBRIDGE_TESTS_MAPPING_TEST_SUPPORT_HPP

#include "print_error.hpp"

#include <blubridge/mapping/mapping_set.hpp>

#include <pugixml.hpp>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace blubridge::mapping::test {

inline std::string read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::string data(const std::string& name)
{
    return read_file(std::string(BLUBRIDGE_TEST_DATA_DIR) + "/" + name);
}

/// The default mappings, loaded once per test executable.
inline const mapping_set& defaults()
{
    static const std::shared_ptr<const mapping_set> set = load_mappings(BLUBRIDGE_MAPPINGS_DIR);
    return *set;
}

inline const dto_mapping& mapping(std::string_view name)
{
    const dto_mapping* m = defaults().find(name);
    if (!m) throw std::runtime_error("no mapping " + std::string(name));
    return *m;
}

/// XML re-serialised without insignificant whitespace, for comparing documents.
inline std::string canonical_xml(const std::string& xml)
{
    pugi::xml_document doc;
    doc.load_string(xml.c_str());
    std::ostringstream out;
    doc.document_element().print(out, "", pugi::format_raw);
    return out.str();
}

} // namespace blubridge::mapping::test

#endif
