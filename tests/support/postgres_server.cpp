#include <test_support/postgres_server.hpp>

#include <boost/process/args.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/io.hpp>
#include <boost/process/start_dir.hpp>

#include <libpq-fe.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

namespace bp = boost::process;
namespace fs = std::filesystem;

namespace blubridge::test_support {

namespace {

constexpr auto ready_timeout = std::chrono::seconds(20);
constexpr auto stop_timeout = std::chrono::seconds(10);
constexpr int port_attempts = 5;

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// A port nobody listens on now; postgres binds it a moment later, and start_postgres
// reports when another process was quicker.
unsigned short free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("postgres_server: socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                       ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    ::close(fd);
    if (!bound) throw std::runtime_error("postgres_server: no free loopback port");
    return ntohs(address.sin_port);
}

// The command line that runs `program` as the server's user: setpriv execs it in place
// (runuser would fork and stay in between), so the child's pid is the postmaster's. Its
// parent-death signal stops the server when the test process dies without its destructor
// (a crash, a ctest timeout), so no server outlives its test.
std::vector<std::string> as_user(bool as_postgres, const fs::path& program, std::vector<std::string> args) {
    std::vector<std::string> line{"/usr/bin/setpriv", "--pdeathsig=KILL"};
    if (as_postgres) line.insert(line.end(), {"--reuid=postgres", "--regid=postgres", "--init-groups"});
    line.push_back("--");
    line.push_back(program.string());
    line.insert(line.end(), args.begin(), args.end());
    return line;
}

struct pq_finish {
    void operator()(PGconn* c) const { PQfinish(c); }
};

}  // namespace

postgres_server::postgres_server() {
    const char* bindir = std::getenv("BLUBRIDGE_PG_BINDIR");
    bindir_ = bindir && *bindir ? bindir : "/usr/lib/postgresql/15/bin";
    if (!fs::exists(bindir_ / "initdb"))
        throw std::runtime_error("postgres_server: no initdb in " + bindir_.string() +
                                 " (install postgresql-15 or set BLUBRIDGE_PG_BINDIR)");

    std::string folder = "/tmp/blubridge-pg-XXXXXX";
    if (!::mkdtemp(folder.data())) throw std::runtime_error("postgres_server: mkdtemp failed");  // mode 0700
    folder_ = folder;
    try {
        as_postgres_ = ::geteuid() == 0;
        if (as_postgres_) {
            const passwd* user = ::getpwnam("postgres");
            if (!user) throw std::runtime_error("postgres_server: running as root and there is no user postgres");
            if (::chown(folder_.c_str(), user->pw_uid, user->pw_gid) != 0)
                throw std::runtime_error("postgres_server: cannot chown " + folder_.string() + " to postgres");
        }

        // --no-sync: the data is thrown away, so initdb need not wait for the disk.
        const auto line = as_user(as_postgres_, bindir_ / "initdb",
                                  {"-D", (folder_ / "data").string(), "-U", "blubridge", "-A", "trust", "-E", "UTF8",
                                   "--locale=C", "--no-sync", "--no-instructions"});
        const auto initdb_log = folder_ / "initdb.log";
        bp::child initdb(bp::exe = line.front(), bp::args = std::vector<std::string>(line.begin() + 1, line.end()),
                         (bp::std_out & bp::std_err) > boost::filesystem::path(initdb_log.string()),
                         bp::std_in < bp::null, bp::start_dir = folder_.string());
        initdb.wait();
        if (initdb.exit_code() != 0)
            throw std::runtime_error("postgres_server: initdb failed:\n" + read_file(initdb_log));

        bool started = false;
        for (int attempt = 0; attempt < port_attempts && !started; ++attempt) started = start_postgres();
        if (!started)
            throw std::runtime_error("postgres_server: every port picked was taken; the last log:\n" + log());
        execute("CREATE DATABASE blubridge");
    } catch (...) {
        stop();
        throw;
    }
}

postgres_server::~postgres_server() { stop(); }

bool postgres_server::start_postgres() {
    port_ = free_port();
    const auto line = as_user(as_postgres_, bindir_ / "postgres",
                              {"-D", (folder_ / "data").string(), "-p", std::to_string(port_),
                               "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + folder_.string(),
                               // Durability off: a test's data never outlives the test.
                               "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                               "-c", "shared_buffers=32MB", "-c", "max_connections=100"});
    // A file, not a pipe: nobody has to keep reading for the server not to block.
    server_ = bp::child(bp::exe = line.front(), bp::args = std::vector<std::string>(line.begin() + 1, line.end()),
                        (bp::std_out & bp::std_err) > boost::filesystem::path((folder_ / "postgres.log").string()),
                        bp::std_in < bp::null, bp::start_dir = folder_.string());

    // The server's own Unix socket answers only when this server is ready.
    const std::string probe = "host=" + folder_.string() + " port=" + std::to_string(port_) +
                              " user=blubridge dbname=postgres connect_timeout=2";
    const auto deadline = std::chrono::steady_clock::now() + ready_timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        std::error_code ec;
        if (!server_.running(ec)) {
            server_.wait(ec);
            const std::string output = log();
            if (output.find("could not bind") != std::string::npos) return false;
            throw std::runtime_error("postgres_server: postgres exited during start:\n" + output);
        }
        if (PQping(probe.c_str()) == PQPING_OK) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("postgres_server: postgres not ready after 20 s:\n" + log());
}

void postgres_server::stop() {
    std::error_code ec;
    if (server_.valid() && server_.running(ec)) {
        // SIGQUIT: immediate shutdown, no waiting for clients or a checkpoint.
        ::kill(server_.id(), SIGQUIT);
        const auto deadline = std::chrono::steady_clock::now() + stop_timeout;
        while (server_.running(ec) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        if (server_.running(ec)) ::kill(server_.id(), SIGKILL);
    }
    if (server_.valid()) server_.wait(ec);
    if (!folder_.empty()) fs::remove_all(folder_, ec);
}

std::string postgres_server::conninfo(const std::string& database) const {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " user=blubridge dbname=" + database;
}

std::string postgres_server::create_database(const std::string& name) {
    std::string quoted = "\"";
    for (const char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    execute("CREATE DATABASE " + quoted + "\"");
    return conninfo(name);
}

std::string postgres_server::log() const { return read_file(folder_ / "postgres.log"); }

void postgres_server::execute(const std::string& sql) {
    const std::unique_ptr<PGconn, pq_finish> connection(PQconnectdb(conninfo("postgres").c_str()));
    if (PQstatus(connection.get()) != CONNECTION_OK)
        throw std::runtime_error("postgres_server: cannot connect: " + std::string(PQerrorMessage(connection.get())));
    PGresult* result = PQexec(connection.get(), sql.c_str());
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    const std::string message = ok ? "" : PQresultErrorMessage(result);
    PQclear(result);
    if (!ok) throw std::runtime_error("postgres_server: " + sql + " failed: " + message);
}

}  // namespace blubridge::test_support
