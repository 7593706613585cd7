#pragma once
// The Billagain v1 operations: one matched route plus the request's query and body in, the
// store's answer out. No I/O, so every endpoint can be driven from unit tests too.
#include "router.hpp"
#include "store.hpp"

#include <boost/url/url_view.hpp>

#include <string_view>

namespace blubridge::sandbox {

/// Runs the operation `match` names (it must be `matched`). Paging parameters are read for
/// every list route; bodies are parsed and validated before the store is touched.
result<api_answer> call_v1(store& s, const route_match& match, const boost::urls::url_view& url,
                           std::string_view body);

}  // namespace blubridge::sandbox
