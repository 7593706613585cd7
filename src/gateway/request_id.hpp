#pragma once
#include <string>
#include <string_view>

namespace blubridge::gateway {

/// The header that carries a request's id: from the client, back on every answer, and on
/// every Billagain call made for the request.
inline constexpr std::string_view request_id_header = "X-Request-Id";

/// The id a request is known by: the client's `X-Request-Id` when it is 1 to 128
/// characters of `A-Z a-z 0-9 . _ : -` (so it is safe in any log line and header), else a
/// fresh one (`new_request_id`).
std::string request_id_for(std::string_view offered);

/// 32 lowercase hex digits (16 random bytes from OpenSSL's generator, which is
/// thread-safe and needs no state of ours).
std::string new_request_id();

}  // namespace blubridge::gateway
