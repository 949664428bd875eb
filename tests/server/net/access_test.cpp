#include "server/net/access.hpp"

#include <gtest/gtest.h>

namespace netlens::server {
namespace {

const AccessPolicy kOpen{"", "netlens-token-8000"};
const AccessPolicy kToken{"s3cret", "netlens-token-8000"};

TEST(Access, WithoutATokenOnlyAddressesAndLocalhostMayNameTheServer) {
  for (const char* host : {"127.0.0.1:8000", "localhost:8000", "[::1]:8000", "127.0.0.1", "10.1.2.3:80"})
    EXPECT_EQ(check_access(kOpen, "/", host, "", ""), Access::Allowed) << host;
  for (const char* host : {"evil.example:8000", "evil.example", "", "localhost.evil.example:8000", "[::1:8000"})
    EXPECT_EQ(check_access(kOpen, "/", host, "", ""), Access::BadHost) << host;
}

TEST(Access, WithATokenEveryRequestCarriesIt) {
  EXPECT_EQ(check_access(kToken, "/", "evil.example", "", ""), Access::NeedsToken);
  EXPECT_EQ(check_access(kToken, "/?token=s3cret", "any.host:1", "", ""), Access::AllowedByUrl);
  EXPECT_EQ(check_access(kToken, "/ws?a=1&token=s3cret#x", "h", "", ""), Access::AllowedByUrl);
  EXPECT_EQ(check_access(kToken, "/", "h", "token s3cret", ""), Access::Allowed);
  EXPECT_EQ(check_access(kToken, "/", "h", "", "a=1; netlens-token-8000=s3cret"), Access::Allowed);
  for (const char* target : {"/?token=s3cre", "/?token=s3cretx", "/?xtoken=s3cret", "/?token=", "/s3cret"})
    EXPECT_EQ(check_access(kToken, target, "h", "", ""), Access::NeedsToken) << target;
  EXPECT_EQ(check_access(kToken, "/", "h", "Bearer s3cret", ""), Access::NeedsToken);
  EXPECT_EQ(check_access(kToken, "/", "h", "", "netlens-token-9000=s3cret"), Access::NeedsToken);
}

TEST(Access, OriginMustBeTheServersOwn) {
  EXPECT_TRUE(origin_allowed("", "127.0.0.1:8000"));  // not a browser
  EXPECT_TRUE(origin_allowed("http://127.0.0.1:8000", "127.0.0.1:8000"));
  EXPECT_TRUE(origin_allowed("HTTP://LocalHost:8000", "localhost:8000"));
  EXPECT_FALSE(origin_allowed("http://evil.example", "127.0.0.1:8000"));
  EXPECT_FALSE(origin_allowed("null", "127.0.0.1:8000"));
  EXPECT_FALSE(origin_allowed("http://127.0.0.1:8000.evil.example", "127.0.0.1:8000"));
  EXPECT_FALSE(origin_allowed("http://127.0.0.1:8000", ""));
}

TEST(Access, CookieIsHttpOnlyAndSameSiteStrict) {
  EXPECT_EQ(token_cookie(kToken), "netlens-token-8000=s3cret; Path=/; HttpOnly; SameSite=Strict");
}

TEST(Access, LoopbackHosts) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "localhost"}) EXPECT_TRUE(is_loopback_host(host)) << host;
  for (const char* host : {"0.0.0.0", "::", "192.168.1.2", "example.com", ""}) EXPECT_FALSE(is_loopback_host(host)) << host;
}

TEST(Access, GeneratedTokensAre48HexDigitsAndDiffer) {
  const std::string a = generate_token(), b = generate_token();
  EXPECT_EQ(a.size(), 48u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos) << a;
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace netlens::server
