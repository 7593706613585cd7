#include <blubridge/upstream/pooled_client.hpp>

#include "connection_pool.hpp"

#include <boost/asio/ssl/context.hpp>

namespace blubridge::upstream {

namespace {

bool is_idempotent(http::verb method) {
    return method == http::verb::get || method == http::verb::head;
}

// Failures after which a GET may be sent again: the request never produced an answer.
bool retry_allowed(const boost::system::error_code& ec) {
    return ec == error::connect_failed || ec == error::connection_lost;
}

class pooled_client final : public client {
public:
    explicit pooled_client(std::shared_ptr<connection_pool> pool) : pool_(std::move(pool)) {}

    net::awaitable<boost::system::result<response>> send(request req) override {
        const auto& target = pool_->target();
        const auto& options = pool_->options();
        req.set(http::field::host, target.host_header);
        if (!target.path_prefix.empty()) {
            req.target(target.path_prefix + std::string(req.target()));
        }
        req.keep_alive(true);
        req.prepare_payload();

        const unsigned attempts = is_idempotent(req.method()) ? options.retry.idempotent_attempts
                                                              : options.retry.unsent_attempts;
        boost::system::error_code last;
        for (unsigned attempt = 1; attempt <= std::max(1u, attempts); ++attempt) {
            auto leased = co_await pool_->acquire();
            if (!leased) {
                last = leased.error();
                if (last == error::connect_failed) continue;  // nothing was sent
                co_return last;
            }
            response res;
            last = co_await leased->conn().exchange(req, res, options.request_timeout,
                                                   options.max_response_bytes);
            if (!last) {
                if (res.keep_alive()) leased->keep();
                co_return res;
            }
            // Anything but a GET may have reached the upstream: never send it twice.
            if (!is_idempotent(req.method()) || !retry_allowed(last)) co_return last;
        }
        co_return last;
    }

private:
    std::shared_ptr<connection_pool> pool_;
};

boost::system::result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(
    const client_options& options) {
    auto ctx = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
    boost::system::error_code ec;
    ctx->set_options(boost::asio::ssl::context::default_workarounds |
                         boost::asio::ssl::context::no_sslv2 | boost::asio::ssl::context::no_sslv3 |
                         boost::asio::ssl::context::no_tlsv1 | boost::asio::ssl::context::no_tlsv1_1,
                     ec);
    if (!ec) ctx->set_default_verify_paths(ec);
    if (!ec && !options.ca_file.empty()) ctx->load_verify_file(options.ca_file, ec);
    if (!ec) {
        ctx->set_verify_mode(options.verify_peer ? boost::asio::ssl::verify_peer
                                                 : boost::asio::ssl::verify_none,
                             ec);
    }
    if (ec) return ec;
    return ctx;
}

}  // namespace

boost::system::result<std::shared_ptr<client>> make_pooled_client(net::any_io_executor executor,
                                                                  const client_options& options) {
    auto target = parse_upstream_target(options.base_url);
    if (!target) return target.error();
    std::shared_ptr<boost::asio::ssl::context> tls;
    if (target->tls) {
        auto ctx = make_tls_context(options);
        if (!ctx) return ctx.error();
        tls = std::move(*ctx);
    }
    auto pool = std::make_shared<connection_pool>(std::move(executor), std::move(*target),
                                                  std::move(tls), options);
    return std::shared_ptr<client>(std::make_shared<pooled_client>(std::move(pool)));
}

}  // namespace blubridge::upstream
