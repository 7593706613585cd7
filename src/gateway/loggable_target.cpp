#include "loggable_target.hpp"

#include "billagain_api.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace blubridge::gateway {

std::string loggable_target(std::string_view target, const mapping::mapping_set& mappings) {
    auto parsed = boost::urls::parse_origin_form(target);
    if (!parsed) return redact_long_numbers(target);
    boost::urls::url url(*parsed);
    auto params = url.params();
    for (auto it = params.begin(); it != params.end(); ++it) {
        const auto param = *it;
        if (param.has_value && mappings.is_secret_xml_name(param.key)) it = params.set(it, "***");
    }
    return redact_long_numbers(url.buffer());
}

}  // namespace blubridge::gateway
