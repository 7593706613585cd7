#pragma once
// systemd's side of the notification protocol, for tests of what the gateway tells it.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace gateway_test {

/// The service manager's end: a datagram socket at a path, as systemd gives in NOTIFY_SOCKET.
class notify_socket {
public:
    explicit notify_socket(std::filesystem::path path) : path_(std::move(path)) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        const auto text = path_.string();
        if (fd_ < 0 || text.size() >= sizeof addr.sun_path) throw std::runtime_error("no notify socket");
        text.copy(addr.sun_path, text.size());
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("bind failed");
        timeval wait{30, 0};  // a message that never comes fails the test instead of hanging it
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    }
    ~notify_socket() { ::close(fd_); }
    notify_socket(const notify_socket&) = delete;
    notify_socket& operator=(const notify_socket&) = delete;

    const std::filesystem::path& path() const { return path_; }

    /// The next datagram ("" after 30 s without one).
    std::string receive() {
        char buffer[4096];
        const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
        return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
    }

    /// Receives until a datagram contains `needle`; that datagram, or "" if none came.
    std::string receive_until(const std::string& needle) {
        for (std::string m = receive(); !m.empty(); m = receive())
            if (m.find(needle) != std::string::npos) return m;
        return {};
    }

private:
    std::filesystem::path path_;
    int fd_ = -1;
};

/// Sets an environment variable for the children started while it lives.
struct scoped_env {
    const char* name;
    scoped_env(const char* n, const std::string& value) : name(n) { ::setenv(name, value.c_str(), 1); }
    ~scoped_env() { ::unsetenv(name); }
};

}  // namespace gateway_test
