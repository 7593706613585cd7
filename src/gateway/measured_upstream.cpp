#include "measured_upstream.hpp"

#include "billagain_api.hpp"

namespace blubridge::gateway {

namespace {

class measured_client final : public upstream::client {
public:
    measured_client(std::shared_ptr<upstream::client> inner, std::shared_ptr<gateway_metrics> metrics)
        : inner_(std::move(inner)), metrics_(std::move(metrics)) {}

    net::awaitable<boost::system::result<upstream::response>> send(upstream::request req) override {
        const auto method = http::to_string(req.method());
        const auto route = path_template(req.target());
        const auto started = std::chrono::steady_clock::now();
        auto res = co_await inner_->send(std::move(req));
        metrics_->upstream_done(method, route, res ? res->result_int() : 0,
                                std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                                      started));
        co_return res;
    }

    std::chrono::seconds retry_after() const override { return inner_->retry_after(); }
    bool healthy() const override { return inner_->healthy(); }
    upstream::pool_stats stats() const override { return inner_->stats(); }

private:
    std::shared_ptr<upstream::client> inner_;
    std::shared_ptr<gateway_metrics> metrics_;
};

}  // namespace

std::shared_ptr<upstream::client> measured_upstream(std::shared_ptr<upstream::client> inner,
                                                    std::shared_ptr<gateway_metrics> metrics) {
    return std::make_shared<measured_client>(std::move(inner), std::move(metrics));
}

}  // namespace blubridge::gateway
