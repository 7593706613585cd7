#include "control_api.hpp"

#include "json_writer.hpp"
#include "requests.hpp"

#include <boost/url/params_view.hpp>

#include <charconv>

namespace blubridge::sandbox {

using boost::beast::http::verb;

control_api::control_api(store& s, fault_injector& faults, request_stats& stats)
    : store_(s), faults_(faults), stats_(stats) {}

result<api_answer> control_api::handle(verb method, const boost::urls::url_view& url, std::string_view body) {
    std::string_view path = url.encoded_path();
    if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
    bool known_path = true;

    if (path == "/_sandbox/reset") {
        if (method == verb::post) {
            store_.reset();
            return api_answer{204, {}};
        }
    } else if (path == "/_sandbox/faults") {
        if (method == verb::get) return api_answer{200, faults_.to_json()};
        if (method == verb::delete_) {
            faults_.clear();
            return api_answer{204, {}};
        }
        if (method == verb::post) {
            auto doc = parse_body(body);
            if (!doc) return doc.error();
            auto id = faults_.add(*doc);
            if (!id) return id.error();
            return api_answer{201, "{\"id\":" + std::to_string(*id) + "}"};
        }
    } else if (path == "/_sandbox/stats") {
        if (method == verb::get) return api_answer{200, stats_.to_json()};
        if (method == verb::delete_) {
            stats_.clear();
            return api_answer{204, {}};
        }
    } else if (path == "/_sandbox/customers/bulk") {
        if (method == verb::post) {
            const auto params = url.params();
            auto it = params.find("count");
            if (it == params.end()) return field_required("count");
            const std::string text = (*it).value;
            std::size_t count = 0;
            const auto r = std::from_chars(text.data(), text.data() + text.size(), count);
            if (r.ec != std::errc{} || r.ptr != text.data() + text.size() || count == 0 || count > max_bulk_customers)
                return field_invalid("count", text);
            const auto [first, last] = store_.bulk_create_customers(count);
            std::string out;
            json_writer w(out);
            w.start_object();
            w.field("created", static_cast<std::int64_t>(count));
            w.field("firstCustomerID", first);
            w.field("lastCustomerID", last);
            w.end_object();
            return api_answer{201, std::move(out)};
        }
    } else if (path == "/_sandbox/health") {
        if (method == verb::get)
            return api_answer{200, "{\"customers\":" + std::to_string(store_.customer_count()) + "}"};
    } else {
        known_path = false;
    }
    if (known_path) return api_error{405, "The requested resource does not support this http method."};
    return api_error{404, "No sandbox control resource matches the request URI."};
}

}  // namespace blubridge::sandbox
