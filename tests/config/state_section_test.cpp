// `state:` (config/detail/state_section.cpp): the backend, PostgreSQL's conninfo checked by
// libpq, its password from a file, variable or credential and never from the YAML.
#define BOOST_TEST_MODULE config_state_section
#include <boost/test/unit_test.hpp>

#include "config_test_support.hpp"

#include <cstdlib>

using namespace config_test;
using kind = cfg::state_settings::kind;

namespace {

// Written where a password must not go; no problem message may quote it.
constexpr const char* leaked = "pg-leak-canary-7305";

// valid_yaml() and a `state:` section of `lines` (each indented by the caller), which begins
// at line lines_of(valid_yaml()) + 1.
std::string with_state(const std::string& lines) { return valid_yaml() + "state:\n" + lines; }

// The problems of `yaml`, none of which quotes `leaked` (nor does the whole error text).
std::vector<cfg::config_problem> problems_without_leak(const scratch& s, const std::string& yaml) {
    const auto file = s.write("gw.yaml", yaml);
    std::string all;
    try {
        cfg::load_gateway_config(file);
    } catch (const cfg::config_error& e) {
        all = e.what();
        for (const auto& p : e.problems()) all += p.to_string();
        BOOST_TEST(all.find(leaked) == std::string::npos, all);
        return e.problems();
    }
    return {};
}

const int base = lines_of(valid_yaml());

}  // namespace

BOOST_AUTO_TEST_CASE(sqlite_is_the_default) {
    scratch s;
    s.write("key.txt", "k\n");
    const auto c = cfg::load_gateway_config(s.write("gw.yaml", valid_yaml()));
    BOOST_TEST((c->state.backend == kind::sqlite));
    BOOST_TEST(c->state.conninfo.empty());
    BOOST_TEST(c->state.password.empty());
    BOOST_TEST((cfg::load_gateway_config(s.write("gw.yaml", with_state("  backend: sqlite\n")))->state == c->state));
}

BOOST_AUTO_TEST_CASE(a_postgresql_section_is_read_with_its_password_from_a_file) {
    scratch s;
    s.write("key.txt", "k\n");
    s.write("pg-password", "file-password\n");
    const auto c = cfg::load_gateway_config(s.write(
        "gw.yaml", with_state("  backend: postgresql\n"
                              "  postgresql:\n"
                              "    conninfo: \"host=db.example port=5432 dbname=blubridge user=blubridge "
                              "sslmode=verify-full\"\n"
                              "    password_file: pg-password\n")));
    BOOST_TEST((c->state.backend == kind::postgresql));
    BOOST_TEST(c->state.conninfo == "host=db.example port=5432 dbname=blubridge user=blubridge sslmode=verify-full");
    BOOST_TEST(c->state.password == "file-password");
    BOOST_TEST(c->state_dir == fs::path("/var/lib/blubridge"));  // still where a sqlite backend would keep its files
}

BOOST_AUTO_TEST_CASE(the_password_may_come_from_the_environment_a_credential_or_nowhere) {
    scratch s;
    s.write("key.txt", "k\n");
    const std::string pg = "  backend: postgresql\n"
                           "  postgresql:\n"
                           "    conninfo: postgresql://blubridge@db.example/blubridge\n";

    ::setenv("BLUBRIDGE_TEST_PG_PASSWORD", "env-password", 1);
    auto c = cfg::load_gateway_config(
        s.write("gw.yaml", with_state(pg + "    password_env: BLUBRIDGE_TEST_PG_PASSWORD\n")));
    ::unsetenv("BLUBRIDGE_TEST_PG_PASSWORD");
    BOOST_TEST(c->state.password == "env-password");
    BOOST_TEST(c->state.conninfo == "postgresql://blubridge@db.example/blubridge");

    fs::create_directories(s.dir / "creds");
    s.write("creds/pg-password", "credential-password\n");
    ::setenv("CREDENTIALS_DIRECTORY", (s.dir / "creds").c_str(), 1);
    c = cfg::load_gateway_config(s.write("gw.yaml", with_state(pg + "    password_credential: pg-password\n")));
    ::unsetenv("CREDENTIALS_DIRECTORY");
    BOOST_TEST(c->state.password == "credential-password");

    // Peer or trust authentication, ~/.pgpass, a client certificate: no password at all.
    c = cfg::load_gateway_config(s.write("gw.yaml", with_state(pg)));
    BOOST_TEST((c->state.backend == kind::postgresql));
    BOOST_TEST(c->state.password.empty());
}

BOOST_AUTO_TEST_CASE(backend_and_section_mismatches_are_refused) {
    scratch s;
    s.write("key.txt", "k\n");
    s.write("pg-password", "p\n");
    auto ps = problems_without_leak(s, with_state("  backend: mysql\n"));
    BOOST_TEST(mentions(ps, base + 2, "'backend' must be sqlite or postgresql"));

    const std::string section = "  postgresql:\n    conninfo: host=db.example\n";
    ps = problems_without_leak(s, with_state("  backend: sqlite\n" + section));
    BOOST_TEST(mentions(ps, base + 3, "'postgresql' is read only with backend: postgresql"));
    ps = problems_without_leak(s, with_state(section));  // sqlite by default
    BOOST_TEST(mentions(ps, base + 2, "only with backend: postgresql"));

    ps = problems_without_leak(s, with_state("  backend: postgresql\n"));
    BOOST_TEST(mentions(ps, base + 2, "backend: postgresql needs 'postgresql' with 'conninfo'"));
    ps = problems_without_leak(s, with_state("  backend: postgresql\n  postgresql:\n    password_file: pg-password\n"));
    BOOST_TEST(mentions(ps, base + 4, "missing required key 'conninfo'"));
    ps = problems_without_leak(s, with_state("  backend: postgresql\n  postgresql:\n    conninfo: \"\"\n"));
    BOOST_TEST(mentions(ps, base + 4, "'conninfo' is empty"));
}

BOOST_AUTO_TEST_CASE(a_password_in_the_conninfo_is_refused_and_never_quoted) {
    scratch s;
    s.write("key.txt", "k\n");
    const auto conninfo = [&](const std::string& text) {
        return problems_without_leak(
            s, with_state("  backend: postgresql\n  postgresql:\n    conninfo: \"" + text + "\"\n"));
    };
    const int at = base + 4;
    const std::string secret = leaked;
    BOOST_TEST(mentions(conninfo("host=db.example password=" + secret), at,
                        "'conninfo' must not hold a password ('password=')"));
    BOOST_TEST(mentions(conninfo("host=db.example password='" + secret + "'"), at, "password_file"));
    BOOST_TEST(mentions(conninfo("postgresql://blubridge:" + secret + "@db.example/blubridge"), at,
                        "'conninfo' must not hold a password (user:password@ in the URI)"));
    BOOST_TEST(mentions(conninfo("postgresql://db.example/blubridge?password=" + secret), at, "('password=')"));
    BOOST_TEST(mentions(conninfo("host=db.example sslpassword=" + secret), at,
                        "'conninfo' must not hold 'sslpassword='"));
    // Malformed around a password: libpq would quote what it stopped at, so its message is kept back.
    BOOST_TEST(mentions(conninfo("host=db.example password=two " + secret), at,
                        "'conninfo' is not a valid libpq connection string"));
    BOOST_TEST(mentions(conninfo("postgresql://blubridge:" + secret + "%zz@db.example/blubridge"), at,
                        "not a valid libpq connection string"));
    BOOST_TEST(mentions(conninfo("postgresql://blubridge:" + secret + "@[::1/blubridge"), at,
                        "not a valid libpq connection string"));
}

BOOST_AUTO_TEST_CASE(a_malformed_conninfo_is_reported_with_libpqs_message) {
    scratch s;
    s.write("key.txt", "k\n");
    const auto ps = problems_without_leak(
        s, with_state("  backend: postgresql\n  postgresql:\n    conninfo: \"host=db.example colour=blue\"\n"));
    BOOST_TEST(mentions(ps, base + 4,
                        "'conninfo' is not a valid libpq connection string: invalid connection option \"colour\""));
    BOOST_TEST(mentions(problems_without_leak(s, with_state("  backend: postgresql\n  postgresql:\n"
                                                            "    conninfo: \"host='db.example\"\n")),
                        base + 4, "unterminated quoted string"));
}

BOOST_AUTO_TEST_CASE(password_sources_and_unknown_keys_are_checked) {
    scratch s;
    s.write("key.txt", "k\n");
    s.write("pg-password", std::string(leaked) + "\n");
    const std::string head = "  backend: postgresql\n  postgresql:\n    conninfo: host=db.example\n";  // to base + 4
    ::setenv("BLUBRIDGE_TEST_PG_PASSWORD", leaked, 1);
    auto ps = problems_without_leak(s, with_state(head + "    password_file: pg-password\n"
                                                         "    password_env: BLUBRIDGE_TEST_PG_PASSWORD\n"));
    ::unsetenv("BLUBRIDGE_TEST_PG_PASSWORD");
    BOOST_TEST(mentions(ps, base + 4, "give at most one of 'password_env', 'password_file', 'password_credential'"));

    ps = problems_without_leak(s, with_state(head + "    password_env: BLUBRIDGE_TEST_PG_UNSET\n"));
    BOOST_TEST(mentions(ps, base + 5, "environment variable BLUBRIDGE_TEST_PG_UNSET is not set"));
    ps = problems_without_leak(s, with_state(head + "    password_file: absent\n"));
    BOOST_TEST(mentions(ps, base + 5, "cannot read " + (s.dir / "absent").string()));
    ps = problems_without_leak(s, with_state(head + "    password_credential: pg-password\n"));
    BOOST_TEST(mentions(ps, base + 5, "CREDENTIALS_DIRECTORY is not set"));

    // pool_size, in configurations written before the backend existed, set nothing: refused now.
    ps = problems_without_leak(s, with_state(head + "    pool_size: 4\n"));
    BOOST_TEST(mentions(ps, base + 5, "unknown key 'pool_size' in state.postgresql"));

    ps = problems_without_leak(s, with_state(head + "    password: " + leaked + "\n  colour: blue\n"));
    BOOST_TEST(mentions(ps, base + 5, "unknown key 'password' in state.postgresql"));
    BOOST_TEST(mentions(ps, base + 6, "unknown key 'colour' in state"));
    ps = problems_without_leak(s, valid_yaml() + "state: postgresql\n");
    BOOST_TEST(mentions(ps, base + 1, "state must be a mapping"));
}
