#ifndef BLUBRIDGE_TESTS_MAPPING_PRINT_ERROR_HPP
#define BLUBRIDGE_TESTS_MAPPING_PRINT_ERROR_HPP

// Lets Boost.Test print mapping errors in failed assertions (found by ADL).

#include <blubridge/mapping/error.hpp>

#include <ostream>

namespace blubridge::mapping {

inline std::ostream& boost_test_print_type(std::ostream& os, error e)
{
    return os << make_error_code(e).message();
}

} // namespace blubridge::mapping

#endif
