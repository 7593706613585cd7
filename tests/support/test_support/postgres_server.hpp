#pragma once
// A real, throwaway PostgreSQL server for a test, on a free loopback port.
#include <boost/process/child.hpp>

#include <filesystem>
#include <string>

namespace blubridge::test_support {

/// initdb in a fresh folder under /tmp, then postgres on a free 127.0.0.1 port with trust
/// authentication (no password) and durability off for speed (fsync, synchronous_commit,
/// full_page_writes). The superuser is `blubridge`, and a database `blubridge` exists.
/// Binaries come from $BLUBRIDGE_PG_BINDIR, else /usr/lib/postgresql/15/bin. As root (initdb
/// refuses root) the server runs as the `postgres` user (through setpriv), in a folder it owns.
/// Ready when the constructor returns (it polls the server's own Unix socket, 20 s at most);
/// throws std::runtime_error with initdb's or postgres's output when it cannot start, after
/// retrying a few ports if another process took the one it picked. The destructor stops the
/// server at once (SIGQUIT: immediate shutdown) and removes the folder.
class postgres_server {
public:
    postgres_server();
    ~postgres_server();
    postgres_server(const postgres_server&) = delete;
    postgres_server& operator=(const postgres_server&) = delete;

    unsigned short port() const { return port_; }
    /// "host=127.0.0.1 port=N user=blubridge dbname=DATABASE".
    std::string conninfo(const std::string& database = "blubridge") const;
    /// CREATE DATABASE `name` (a fresh, isolated database per test case); returns conninfo(name).
    /// Throws std::runtime_error with the server's message when it fails (e.g. it exists).
    std::string create_database(const std::string& name);
    /// Everything the server has logged so far.
    std::string log() const;

private:
    bool start_postgres();  // false when the port was taken meanwhile
    void stop();
    void execute(const std::string& sql);

    std::filesystem::path folder_;
    std::filesystem::path bindir_;
    bool as_postgres_ = false;
    boost::process::child server_;
    unsigned short port_ = 0;
};

}  // namespace blubridge::test_support

namespace blubridge::test {
using test_support::postgres_server;
}
