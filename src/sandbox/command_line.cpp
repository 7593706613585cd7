#include "command_line.hpp"

#include <boost/program_options.hpp>
#include <boost/url/parse.hpp>

#include <fstream>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace blubridge::sandbox {

namespace po = boost::program_options;

namespace {

void parse_listen(const std::string& spec, sandbox_options& o) {
    // HOST:PORT through Boost.URL's authority grammar (also takes [::1]:8081).
    auto a = boost::urls::parse_authority(spec);
    if (!a || !a->has_port() || a->encoded_host().empty() || a->has_userinfo())
        throw std::invalid_argument("--listen must be HOST:PORT, e.g. 127.0.0.1:8081");
    const auto port = a->port();
    unsigned long n = 0;
    try {
        std::size_t used = 0;
        n = std::stoul(std::string(port), &used);
        if (used != port.size()) throw std::invalid_argument("");
    } catch (const std::exception&) {
        throw std::invalid_argument("--listen: bad port '" + std::string(port) + "'");
    }
    if (n > 65535) throw std::invalid_argument("--listen: port out of range");
    o.port = static_cast<unsigned short>(n);
    std::string host(a->encoded_host());
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    o.host = host == "localhost" ? "127.0.0.1" : host;
}

std::string read_key_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::invalid_argument("--api-key-file: cannot read " + path);
    std::stringstream s;
    s << in.rdbuf();
    std::string key = s.str();
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r' || key.back() == ' ')) key.pop_back();
    if (key.empty()) throw std::invalid_argument("--api-key-file: " + path + " is empty");
    return key;
}

}  // namespace

std::optional<sandbox_options> parse_command_line(int argc, const char* const* argv, std::ostream& out,
                                                  std::ostream& err, int& exit_code) {
    po::options_description desc(
        "billagain-sandbox: an in-memory Billagain v1 API for development and tests.\n"
        "Control endpoints under /_sandbox/ need no credentials; keep the default loopback address\n"
        "unless the network is trusted.\n\nOptions");
    std::string listen, key_file;
    unsigned threads = 0;
    sandbox_options o;
    desc.add_options()
        ("help,h", "show this help and exit")
        ("listen", po::value(&listen)->default_value("127.0.0.1:8081"), "HOST:PORT to listen on (port 0 = any free port)")
        ("account", po::value(&o.account), "Billagain account id (the Basic user name); required")
        ("api-key", po::value(&o.api_key), "API key (the Basic password)")
        ("api-key-file", po::value(&key_file), "file holding the API key (instead of --api-key)")
        ("fixture", po::value(&o.fixture), "JSON fixture to start from (and to reset to); default: empty")
        ("threads", po::value(&threads), "I/O threads (default: hardware concurrency)");
    try {
        po::variables_map vm;
        po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
        if (vm.count("help")) {
            out << desc << '\n';
            exit_code = 0;
            return std::nullopt;
        }
        po::notify(vm);
        parse_listen(listen, o);
        if (o.account.empty()) throw std::invalid_argument("--account is required");
        if (vm.count("api-key") && vm.count("api-key-file"))
            throw std::invalid_argument("give --api-key or --api-key-file, not both");
        if (vm.count("api-key-file")) o.api_key = read_key_file(key_file);
        if (o.api_key.empty()) throw std::invalid_argument("--api-key or --api-key-file is required");
        if (vm.count("threads")) {
            if (threads == 0 || threads > 256) throw std::invalid_argument("--threads must be 1..256");
            o.threads = threads;
        } else {
            o.threads = std::max(1u, std::thread::hardware_concurrency());
        }
    } catch (const std::exception& e) {
        err << "billagain-sandbox: " << e.what() << "\n(try --help)\n";
        exit_code = 2;
        return std::nullopt;
    }
    return o;
}

}  // namespace blubridge::sandbox
