// billagain-sandbox: serves the Billagain v1 API from memory for development and tests.
#include "command_line.hpp"
#include "fixture_loader.hpp"
#include "sandbox_handler.hpp"

#include <blubridge/http/server.hpp>

#include <boost/asio/ip/address.hpp>

#include <iostream>

int main(int argc, char** argv) {
    namespace sb = blubridge::sandbox;
    namespace net = boost::asio;
    int exit_code = 0;
    const auto options = sb::parse_command_line(argc, argv, std::cout, std::cerr, exit_code);
    if (!options) return exit_code;

    try {
        sb::store_state fixture = options->fixture.empty() ? sb::store_state{} : sb::load_fixture_file(options->fixture);
        auto data = std::make_shared<sb::store>(std::move(fixture));
        auto app = std::make_shared<sb::sandbox_handler>(data, sb::basic_auth(options->account, options->api_key));

        boost::system::error_code ec;
        const auto address = net::ip::make_address(options->host, ec);
        if (ec) {
            std::cerr << "billagain-sandbox: --listen: '" << options->host << "' is not an IP address\n";
            return 2;
        }
        net::io_context ioc(static_cast<int>(options->threads));
        blubridge::http_server::server srv(ioc, app, blubridge::http_server::server_limits{});
        if (ec = srv.listen({address, options->port}); ec) {
            std::cerr << "billagain-sandbox: cannot listen on " << options->host << ':' << options->port << ": "
                      << ec.message() << '\n';
            return 1;
        }
        const auto ep = srv.local_endpoint();
        const auto host = ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string();
        std::cout << "billagain-sandbox listening on http://" << host << ':' << ep.port() << std::endl;
        srv.start();
        blubridge::http_server::run_until_signal(ioc, srv, options->threads);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "billagain-sandbox: " << e.what() << '\n';
        return 1;
    }
}
