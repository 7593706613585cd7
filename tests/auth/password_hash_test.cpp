#define BOOST_TEST_MODULE auth_password_hash
#include <boost/test/unit_test.hpp>

#include <blubridge/auth/basic_authenticator.hpp>
#include <blubridge/auth/password_hash.hpp>

#include <boost/beast/core/detail/base64.hpp>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace auth = blubridge::auth;

namespace {
constexpr std::uint32_t fast = 1000;  // the minimum, so tests stay quick

std::string basic(const std::string& user, const std::string& password) {
    namespace b64 = boost::beast::detail::base64;
    const std::string plain = user + ":" + password;
    std::string out(b64::encoded_size(plain.size()), '\0');
    out.resize(b64::encode(out.data(), plain.data(), plain.size()));
    return "Basic " + out;
}
}  // namespace

BOOST_AUTO_TEST_CASE(hash_round_trips_through_its_text_form) {
    const auto h = auth::hash_password("s3cret!", fast);
    const auto text = h.to_string();
    BOOST_TEST(text.rfind("pbkdf2-sha256$1000$", 0) == 0u);
    BOOST_TEST(text.find("s3cret") == std::string::npos);
    const auto parsed = auth::parse_password_hash(text);
    BOOST_TEST_REQUIRE(parsed.has_value());
    BOOST_TEST(auth::verify_password(*parsed, "s3cret!"));
    BOOST_TEST(!auth::verify_password(*parsed, "s3cret"));
    BOOST_TEST(!auth::verify_password(*parsed, ""));
}

BOOST_AUTO_TEST_CASE(same_password_gets_a_different_salt_each_time) {
    BOOST_TEST(auth::hash_password("x", fast).to_string() != auth::hash_password("x", fast).to_string());
}

BOOST_AUTO_TEST_CASE(malformed_stored_hashes_are_refused) {
    const auto good = auth::hash_password("x", fast).to_string();
    BOOST_TEST(auth::parse_password_hash(good).has_value());
    for (const std::string& bad : {std::string(""), std::string("plaintext"),
                                  "md5$1000$c2FsdHNhbHQ=$" + good.substr(good.rfind('$') + 1),
                                  std::string("pbkdf2-sha256$10$c2FsdHNhbHQ=$AAAA"),
                                  std::string("pbkdf2-sha256$1000$!!!$AAAA"),
                                  good.substr(0, good.size() - 4), good + "$extra"}) {
        BOOST_TEST(!auth::parse_password_hash(bad).has_value(), bad);
    }
}

BOOST_AUTO_TEST_CASE(basic_header_parsing) {
    auto c = auth::parse_basic_credentials(basic("legacy", "pa:ss word"));
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_TEST(c->first == "legacy");
    BOOST_TEST(c->second == "pa:ss word");  // only the first colon separates
    BOOST_TEST(auth::parse_basic_credentials("basic " + basic("a", "b").substr(6)).has_value());
    BOOST_TEST(!auth::parse_basic_credentials("Bearer abc").has_value());
    BOOST_TEST(!auth::parse_basic_credentials("Basic !!!notbase64").has_value());
    BOOST_TEST(!auth::parse_basic_credentials("Basic bm9jb2xvbg==").has_value());  // "nocolon"
    BOOST_TEST(!auth::parse_basic_credentials("").has_value());
}

BOOST_AUTO_TEST_CASE(authenticator_accepts_only_the_right_pair) {
    auth::basic_authenticator a({{"alice", auth::hash_password("wonder", fast)},
                                 {"bob", auth::hash_password("builder", fast)}});
    BOOST_TEST(a.authenticate(basic("alice", "wonder")).value_or(99) == 0u);
    BOOST_TEST(a.authenticate(basic("bob", "builder")).value_or(99) == 1u);
    // Again: now served from the verified-credentials memory, with the same answers.
    BOOST_TEST(a.authenticate(basic("alice", "wonder")).value_or(99) == 0u);
    BOOST_TEST(!a.authenticate(basic("alice", "builder")).has_value());
    BOOST_TEST(!a.authenticate(basic("bob", "wonder")).has_value());
    BOOST_TEST(!a.authenticate(basic("carol", "wonder")).has_value());
    BOOST_TEST(!a.authenticate("").has_value());
}

BOOST_AUTO_TEST_CASE(made_headers_parse_back) {
    BOOST_TEST(auth::make_basic_authorization("1001", "key") == "Basic MTAwMTprZXk=");
    auto c = auth::parse_basic_credentials(auth::make_basic_authorization("user", "p:w d"));
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_TEST(c->first == "user");
    BOOST_TEST(c->second == "p:w d");
}

BOOST_AUTO_TEST_CASE(unknown_users_take_the_slow_check_like_wrong_passwords) {
    auth::basic_authenticator a({{"alice", auth::hash_password("wonder", fast)}});
    // Neither is answered from the cheap check: an unknown name must cost a PBKDF2 as a
    // wrong password does, or the time to answer would tell which names exist.
    BOOST_TEST(!a.check_remembered(basic("carol", "wonder")).has_value());
    BOOST_TEST(!a.check_remembered(basic("alice", "nope")).has_value());
    BOOST_TEST(!a.authenticate(basic("carol", "wonder")).has_value());
    BOOST_TEST(!a.authenticate(basic("carol", "")).has_value());
    // Malformed headers name no user: refused at once.
    const auto malformed = a.check_remembered("Basic !!!");
    BOOST_TEST_REQUIRE(malformed.has_value());
    BOOST_TEST(!malformed->has_value());
    BOOST_TEST(!a.check_remembered("").value_or(std::size_t{7}).has_value());
    // A verified password is remembered; an unknown user's other password is not.
    BOOST_TEST(a.authenticate(basic("alice", "wonder")).value_or(99) == 0u);
    BOOST_TEST(a.check_remembered(basic("alice", "wonder")).value_or(std::nullopt).value_or(99) == 0u);
    BOOST_TEST(!a.check_remembered(basic("carol", "other")).has_value());
}

BOOST_AUTO_TEST_CASE(credentials_that_failed_the_full_check_are_known_wrong_after) {
    auth::basic_authenticator a({{"alice", auth::hash_password("wonder", fast)}});
    // Resent, the same wrong credentials are refused by the cheap check: one PBKDF2 each,
    // not one per request. Both kinds, so the cheap answer tells nothing the first did not.
    for (const auto& wrong : {basic("alice", "nope"), basic("carol", "wonder")}) {
        BOOST_TEST(!a.check_remembered(wrong).has_value());
        BOOST_TEST(!a.authenticate(wrong).has_value());
        const auto again = a.check_remembered(wrong);
        BOOST_TEST_REQUIRE(again.has_value());
        BOOST_TEST(!again->has_value());
    }
    // The right password is not shadowed by a wrong one remembered for the same user.
    BOOST_TEST(!a.check_remembered(basic("alice", "wonder")).has_value());
    BOOST_TEST(a.authenticate(basic("alice", "wonder")).value_or(99) == 0u);
}

BOOST_AUTO_TEST_CASE(the_memory_of_wrong_credentials_is_bounded) {
    auth::basic_authenticator a({{"alice", auth::hash_password("wonder", fast)}});
    const auto first = basic("alice", "wrong-0");
    (void)a.authenticate(first);
    BOOST_TEST(a.check_remembered(first).has_value());
    // When full, the memory starts again: the oldest wrong guess costs a full check again.
    for (std::size_t i = 1; i <= auth::basic_authenticator::max_remembered_wrong; ++i) {
        (void)a.authenticate(basic("alice", "wrong-" + std::to_string(i)));
    }
    BOOST_TEST(!a.check_remembered(first).has_value());
    BOOST_TEST(a.check_remembered(basic("alice", "wrong-4096")).has_value());
}

BOOST_AUTO_TEST_CASE(fingerprints_tell_credentials_apart_without_holding_them) {
    auth::basic_authenticator a({{"alice", auth::hash_password("wonder", fast)}});
    auth::basic_authenticator b({{"alice", auth::hash_password("wonder", fast)}});
    BOOST_TEST(a.fingerprint(basic("alice", "wonder")) == a.fingerprint(basic("alice", "wonder")));
    BOOST_TEST(a.fingerprint(basic("alice", "wonder")) != a.fingerprint(basic("alice", "wonde")));
    // Keyed per authenticator: nothing to look up across processes or reloads.
    BOOST_TEST(a.fingerprint(basic("alice", "wonder")) != b.fingerprint(basic("alice", "wonder")));
}

// Every digest starts from a copy of one keyed HMAC context: copies made on several threads
// at once give each the same fingerprint, and a remembered password stays remembered.
BOOST_AUTO_TEST_CASE(fingerprints_and_remembered_checks_agree_across_threads) {
    auth::basic_authenticator a({{"alice", auth::hash_password("wonder", fast)}});
    const auto right = basic("alice", "wonder");
    const auto expected = a.fingerprint(right);
    BOOST_REQUIRE(a.authenticate(right) == std::optional<std::size_t>(0));
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 500; ++i) {
                if (a.fingerprint(right) != expected) ++mismatches;
                const auto other = basic("alice", "guess-" + std::to_string(t) + "-" + std::to_string(i));
                if (a.fingerprint(other) == expected) ++mismatches;
                const auto quick = a.check_remembered(right);
                if (!quick || *quick != std::optional<std::size_t>(0)) ++mismatches;
            }
        });
    }
    for (auto& th : threads) th.join();
    BOOST_TEST(mismatches.load() == 0);
}
