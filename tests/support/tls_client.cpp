#include <test_support/leak_capture.hpp>
#include <test_support/tls_client.hpp>
#include <test_support/wire_text.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/ssl.h>

namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;

namespace blubridge::test_support {

namespace {

ssl::context client_context(const tls_client_options& o, boost::system::error_code& ec) {
    ssl::context ctx(ssl::context::tls_client);
    SSL_CTX* handle = ctx.native_handle();
    if (o.min_version != 0) SSL_CTX_set_min_proto_version(handle, o.min_version);
    if (o.max_version != 0) SSL_CTX_set_max_proto_version(handle, o.max_version);
    if (o.allow_legacy) SSL_CTX_set_cipher_list(handle, "DEFAULT@SECLEVEL=0");
    if (!o.trusted_ca.empty()) {
        ctx.load_verify_file(o.trusted_ca.string(), ec);
        if (!ec) ctx.set_verify_mode(ssl::verify_peer, ec);
    }
    if (!ec && !o.certificate.empty()) ctx.use_certificate_chain_file(o.certificate.string(), ec);
    if (!ec && !o.private_key.empty()) ctx.use_private_key_file(o.private_key.string(), ssl::context::pem, ec);
    return ctx;
}

}  // namespace

tls_exchange https_request(const std::string& host, unsigned short port, const tls_client_options& options,
                           http::verb method, const std::string& target, const std::string& authorization) {
    tls_exchange out;
    boost::asio::io_context ioc;
    ssl::context ctx = client_context(options, out.handshake);
    if (out.handshake) return out;
    ssl::stream<boost::beast::tcp_stream> stream(ioc, ctx);
    if (!options.trusted_ca.empty()) stream.set_verify_callback(ssl::host_name_verification(host));

    auto& tcp = stream.next_layer();
    tcp.expires_after(options.timeout);
    tcp.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address(host), port), out.handshake);
    if (!out.handshake) stream.handshake(ssl::stream_base::client, out.handshake);
    if (out.handshake) return out;
    out.protocol = SSL_get_version(stream.native_handle());

    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, host + ":" + std::to_string(port));
    req.set(http::field::user_agent, "blubridge-tests");
    if (!authorization.empty()) req.set(http::field::authorization, authorization);
    req.keep_alive(false);
    req.prepare_payload();
    const std::string title = "https " + std::string(req.method_string()) + " " + target;
    leak_capture::append(leak_capture::requests, "gateway", title, wire_text(req));

    http::write(stream, req, out.exchange);
    if (out.exchange) return out;
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res, out.exchange);
    if (out.exchange) return out;
    leak_capture::append(leak_capture::responses, "gateway", title, wire_text(res));
    out.status = res.result_int();
    out.body = res.body();
    boost::system::error_code ignored;
    stream.shutdown(ignored);
    return out;
}

}  // namespace blubridge::test_support
