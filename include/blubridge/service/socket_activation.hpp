#pragma once
#include <optional>
#include <string>

namespace blubridge::service {

/// What systemd passed to a socket-activated service (sd_listen_fds(3)).
struct activation {
    std::optional<int> socket;  ///< the listening socket's descriptor; none when not activated
    std::string problem;        ///< set when systemd passed something unusable
};

/// The one listening TCP socket a `.socket` unit passed (`$LISTEN_FDS` for this process), or
/// none when the process was started otherwise. More than one descriptor, or one that is not
/// a listening TCP socket, is a `problem`. Unsets the variables, so children do not see them.
activation socket_from_systemd();

}  // namespace blubridge::service
