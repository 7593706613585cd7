#include <blubridge/service/socket_activation.hpp>

#include <systemd/sd-daemon.h>

#include <sys/socket.h>

#include <cstring>

namespace blubridge::service {

activation socket_from_systemd() {
    const int count = ::sd_listen_fds(1);
    if (count == 0) return {};
    if (count < 0) return {std::nullopt, std::string("cannot read the sockets systemd passed: ") + std::strerror(-count)};
    if (count > 1) {
        return {std::nullopt, "systemd passed " + std::to_string(count) + " sockets; blubridge serves one (one ListenStream=)"};
    }
    const int fd = SD_LISTEN_FDS_START;
    if (::sd_is_socket_inet(fd, AF_UNSPEC, SOCK_STREAM, 1, 0) <= 0) {
        return {std::nullopt, "the socket systemd passed is not a listening TCP socket (ListenStream=HOST:PORT)"};
    }
    return {fd, {}};
}

}  // namespace blubridge::service
