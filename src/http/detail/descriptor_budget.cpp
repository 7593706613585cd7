#include "descriptor_budget.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace blubridge::http_server::detail {

std::size_t connections_within_descriptor_limit(std::size_t wanted) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return wanted;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
    }
    if (limit.rlim_cur == RLIM_INFINITY) return wanted;
    const auto descriptors = static_cast<std::size_t>(limit.rlim_cur);
    const std::size_t reserve = std::min(reserved_descriptors, descriptors / 2);
    return std::max<std::size_t>(1, std::min(wanted, descriptors - reserve));
}

}  // namespace blubridge::http_server::detail
