#pragma once
// Test-harness endpoints under the reserved prefix /_sandbox/ (no Billagain credentials;
// the sandbox listens on loopback by default, so only local harnesses reach them):
//   POST   /_sandbox/reset                 back to the loaded fixture (or empty)       204
//   GET    /_sandbox/faults                active fault rules                           200
//   POST   /_sandbox/faults                add one (see fault_injector::add)            201 {"id":n}
//   DELETE /_sandbox/faults                remove all                                   204
//   GET    /_sandbox/stats                 /v1 request counts (see request_stats)        200
//   DELETE /_sandbox/stats                 zero them                                    204
//   POST   /_sandbox/customers/bulk?count=N  N generated customers (N <= 1,000,000)     201
//   GET    /_sandbox/health                {"customers":n}                              200
// Control requests are never counted, delayed or faulted.
#include "api_error.hpp"
#include "fault_injector.hpp"
#include "request_stats.hpp"
#include "store.hpp"

#include <boost/beast/http/verb.hpp>
#include <boost/url/url_view.hpp>

#include <string_view>

namespace blubridge::sandbox {

class control_api {
public:
    control_api(store& s, fault_injector& faults, request_stats& stats);

    result<api_answer> handle(boost::beast::http::verb method, const boost::urls::url_view& url,
                              std::string_view body);

private:
    store& store_;
    fault_injector& faults_;
    request_stats& stats_;
};

inline constexpr std::size_t max_bulk_customers = 1'000'000;

}  // namespace blubridge::sandbox
