#include <blubridge/upstream/error.hpp>

namespace blubridge::upstream {

namespace {

class category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "blubridge.upstream"; }

    std::string message(int ev) const override {
        switch (static_cast<error>(ev)) {
        case error::invalid_url: return "invalid upstream URL";
        case error::resolve_failed: return "upstream host name did not resolve";
        case error::connect_failed: return "could not connect to upstream";
        case error::tls_handshake_failed: return "TLS handshake with upstream failed";
        case error::timed_out: return "upstream did not answer in time";
        case error::connection_lost: return "upstream connection lost";
        case error::malformed_response: return "malformed upstream response";
        case error::pool_exhausted: return "too many requests waiting for an upstream connection";
        case error::circuit_open: return "upstream failed repeatedly; requests are paused";
        }
        return "unknown upstream error";
    }
};

}  // namespace

const boost::system::error_category& error_category() noexcept {
    static const category instance;
    return instance;
}

}  // namespace blubridge::upstream
