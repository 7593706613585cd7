#include <blubridge/http/handler.hpp>

#include <string>

namespace blubridge::http_server {

response handler::protocol_error(http::status status, std::string_view reason,
                                 unsigned version) const {
    response res{status, version};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = std::string(reason) + "\n";
    res.keep_alive(false);
    res.prepare_payload();
    return res;
}

}  // namespace blubridge::http_server
