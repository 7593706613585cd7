#pragma once
// HTTP Basic authentication as Billagain does it: user = account id, password = API key.
#include <string>
#include <string_view>

namespace blubridge::sandbox {

class basic_auth {
public:
    basic_auth(std::string account, std::string api_key);

    /// True when `authorization` (the header value) is `Basic base64(account:api_key)`.
    /// The scheme is case-insensitive; the comparison does not stop at the first
    /// differing byte.
    bool accepts(std::string_view authorization) const;

    /// The `WWW-Authenticate` value of a 401 answer.
    static constexpr std::string_view challenge = "Basic realm=\"Billagain\"";

private:
    std::string expected_;  // "account:api_key"
};

}  // namespace blubridge::sandbox
