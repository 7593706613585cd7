#pragma once
#include "failure.hpp"
#include "route.hpp"

#include <blubridge/beast.hpp>

#include <boost/system/result.hpp>

#include <string_view>

namespace blubridge::gateway {

/// Maps a BluBilling request line onto a `route`, following section 4.1 of the BluBilling
/// REST API: singular `/rest/customer/…` for one customer (by id in the path or by
/// `extCustomerRef`), plural `/rest/customers` for lists and creation, `actionName` for
/// actions. Query parsing is Boost.URL's.
///
/// Fails with 400 for a malformed target, a non-numeric id, both an id and a reference,
/// a missing or unknown `actionName`, a `format` other than xml or bad paging values;
/// 404 for a path outside the API; 405 (with the allowed methods) for a wrong method.
/// Routes without a Billagain counterpart come back as `operation_kind::not_supported`.
boost::system::result<route, failure> route_request(http::verb method, std::string_view target);

/// The route's name for log lines and metric labels (`get_customer`, `list_customers`, …):
/// one of a fixed set, whatever the client sent.
std::string_view route_name(operation_kind op);

}  // namespace blubridge::gateway
