#pragma once
#include <blubridge/auth/failure_policy.hpp>
#include <blubridge/http/server_limits.hpp>
#include <blubridge/http/tls_settings.hpp>
#include <blubridge/log/log_settings.hpp>
#include <blubridge/upstream/client_options.hpp>

#include <boost/beast/http/status.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace blubridge::config {

/// The Billagain account a gateway client's requests are made with.
struct billagain_account {
    std::string account_id;
    /// The API key, read at load time from the environment variable or file the YAML
    /// names (e.g. a systemd credential); never written in the YAML itself.
    std::string api_key;
};

/// A legacy integration allowed to call the gateway with HTTP Basic authentication.
struct client_entry {
    std::string username;
    /// `pbkdf2-sha256$<iterations>$<salt base64>$<key base64>`; see auth/password_hash.hpp.
    std::string password_hash;
    billagain_account billagain;
};

/// The customer directory (extCustomerRef lookups, lists, transitions): `directory:`.
struct directory_settings {
    /// How often Billagain is paged again to pick up changes made elsewhere. Default 60 s.
    std::chrono::milliseconds refresh_interval{std::chrono::seconds(60)};
    /// Pages of `/v1/customers` fetched at once during a pass (1..32). Default 4.
    unsigned parallel_pages = 4;

    bool operator==(const directory_settings&) const = default;
};

/// `state:`: where the gateway keeps what it must remember (directory, transitions, callback
/// outbox, autopay preferences, kept fields, idempotency keys).
struct state_settings {
    /// `sqlite` (the default): one instance, a database per account in `state_dir`.
    /// `postgresql`: two or more gateways sharing one database.
    enum class kind { sqlite, postgresql };
    kind backend = kind::sqlite;
    /// libpq connection string (key=value or postgresql:// URI), without a password (one in
    /// it is refused at load). Set only with `postgresql`.
    std::string conninfo;
    /// Read at load time from password_env/password_file/password_credential; never in the
    /// YAML itself. Empty: none (peer, trust, ~/.pgpass or a client certificate).
    std::string password;

    bool operator==(const state_settings&) const = default;
};

/// `Idempotency-Key` on POST and PUT: `idempotency:`.
struct idempotency_settings {
    /// How long a complete answer is kept for retries with the same key. Default 24 h.
    std::chrono::seconds retention{std::chrono::hours(24)};
    /// A claimed key whose request never finished (the gateway stopped mid-request) is
    /// taken over by a retry after this long. Default 5 min (well past any request's
    /// upstream deadlines).
    std::chrono::seconds lease{std::chrono::minutes(5)};
};

/// Website callbacks (BluBilling "System >> Website Callbacks"): `callbacks:`.
struct callback_settings {
    /// Each customer transition is POSTed to every URL (http:// or https://).
    std::vector<std::string> urls;
    /// First retry delay after a failed delivery; doubles per attempt. Default 1 s.
    std::chrono::milliseconds retry_initial{std::chrono::seconds(1)};
    /// Longest delay between attempts. Default 10 min.
    std::chrono::milliseconds retry_max{std::chrono::minutes(10)};
    /// Bounds the connect and then the request of one delivery, each (so one delivery
    /// takes at most twice this). Default 10 s.
    std::chrono::milliseconds timeout{std::chrono::seconds(10)};
    /// PEM bundle of extra trusted CAs for https receivers; empty: system store only.
    std::string ca_file;

    bool operator==(const callback_settings&) const = default;
};

/// How answers that BluBilling and plain HTTP would give differently are given.
struct response_settings {
    /// The status of a request that clashes with a customer's state (a duplicate
    /// extCustomerRef): 400 as BluBilling answers every failure, or 409. Default 400.
    boost::beast::http::status conflict_status = boost::beast::http::status::bad_request;
    /// The largest `max` a customer list serves (the seed sets no limit; Billagain's
    /// by_customer_ids takes 200 ids a call, so a page of 1,000 is five calls). Default 1,000.
    std::uint64_t max_list_page = 1000;
};

/// An address to listen on, `HOST:PORT` in the YAML (an IPv6 host in brackets).
struct listen_endpoint {
    std::string address;
    unsigned short port = 0;  ///< 0: any free port

    bool operator==(const listen_endpoint&) const = default;
};

/// Everything `config/*.yaml` says. Immutable once loaded; a reload builds a new one.
struct gateway_config {
    std::filesystem::path source;       ///< the file it was read from
    std::string listen_address = "127.0.0.1";
    unsigned short listen_port = 8080;
    /// `tls:`: the listener serves HTTPS with these (paths resolved, files checked at load).
    http_server::tls_settings tls;
    /// `allow_plain_http: true`: a non-loopback listener may serve plain HTTP (a TLS proxy
    /// in front terminates HTTPS). Default false: such a configuration is refused.
    bool allow_plain_http = false;
    unsigned threads = 0;               ///< 0: one per core
    std::filesystem::path mappings_dir; ///< resolved against the config file's folder
    /// Where the customer directory's SQLite database lives (with `state.backend: sqlite`);
    /// resolved against the config file's folder. Default /var/lib/blubridge (systemd's
    /// StateDirectory=blubridge).
    std::filesystem::path state_dir = "/var/lib/blubridge";
    /// `state:`: the SQLite files in `state_dir` (default) or a shared PostgreSQL database.
    state_settings state;
    /// `metrics_listen:` where `GET /metrics` (Prometheus text) is served, apart from the
    /// client listener and without client credentials. Unset (the default): not served, so
    /// several gateways on one host never clash over a port; the shipped configuration
    /// sets 127.0.0.1:9464 (loopback: whoever can reach it is trusted with the numbers).
    std::optional<listen_endpoint> metrics_listen;
    /// `log:`: the format and the lowest level of the lines on standard error.
    log::log_settings log;
    http_server::server_limits limits;
    upstream::client_options upstream;
    std::vector<client_entry> clients;
    /// `auth:`: how repeated failed authentications from one address are slowed down.
    auth::failure_policy auth_failures;
    directory_settings directory;
    callback_settings callbacks;
    idempotency_settings idempotency;
    response_settings responses;
};

}  // namespace blubridge::config
