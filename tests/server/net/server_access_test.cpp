// Who may reach the server and what it serves: static files, Origin, Host, the token, and
// paths that try to leave the web root.
#include "server_fixture.hpp"

namespace server_test {
namespace {

TEST_F(Server, RefusesWebSocketFromAnotherOrigin) {
  WsClient client;
  EXPECT_EQ(client.connect(port(), "http://evil.example"), websocket::error::upgrade_declined);
  EXPECT_EQ(client.response.result(), http::status::forbidden);
}

TEST_F(Server, AcceptsWebSocketFromItsOwnOrigin) {
  WsClient client;
  ASSERT_FALSE(client.connect(port(), "http://127.0.0.1:" + std::to_string(port())));
  EXPECT_EQ(client.read_json()["type"], "hello");
}

TEST_F(Server, ServesStaticFilesWithTheirContentType) {
  for (const std::string target : {"/index.html", "/"}) {
    const auto reply = http_get(port(), target);
    ASSERT_FALSE(reply.error) << target << ": " << reply.error.message();
    EXPECT_EQ(reply.response.result(), http::status::ok) << target;
    EXPECT_EQ(reply.response.body(), kIndexHtml) << target;
    EXPECT_EQ(reply.response[http::field::content_type].substr(0, 9), "text/html") << target;
  }
  const auto js = http_get(port(), "/assets/app.js?v=2");
  EXPECT_EQ(js.response.result(), http::status::ok);
  EXPECT_EQ(js.response.body(), "console.log(1);\n");
  EXPECT_EQ(js.response[http::field::content_type].substr(0, 15), "text/javascript");
}

TEST_F(Server, RefusesPathsOutsideTheWebRoot) {
  for (const std::string target : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2Fsecret.txt", "/..\\secret.txt"}) {
    const auto reply = http_get(port(), target);
    ASSERT_FALSE(reply.error) << target << ": " << reply.error.message();
    EXPECT_EQ(reply.response.result(), http::status::bad_request) << target;
    EXPECT_EQ(reply.response.body().find("secret"), std::string::npos);
  }
  EXPECT_EQ(http_get(port(), "/missing.js").response.result(), http::status::not_found);
  EXPECT_EQ(http_get(port(), "/ws").response.result(), http::status::upgrade_required);
}

TEST(ServerWithoutBundle, RootSaysTheBundleIsNotBuilt) {
  const fs::path root = fs::temp_directory_path() / ("netlens_empty_" + std::to_string(std::random_device{}()));
  fs::create_directories(root);
  {
    RunningServer server(root);
    const auto reply = http_get(server.port(), "/");
    ASSERT_FALSE(reply.error) << reply.error.message();
    EXPECT_EQ(reply.response.result(), http::status::not_found);
    EXPECT_NE(reply.response.body().find("make build"), std::string::npos) << reply.response.body();
  }
  fs::remove_all(root);
}

class ServerWithToken : public Server {
 protected:
  void SetUp() override {
    Server::SetUp();
    auto options = options_for("");
    options.token = "s3cret";
    start(options);
  }
  std::string cookie() const { return "netlens-token-" + std::to_string(port()) + "=s3cret"; }
};

TEST_F(ServerWithToken, RequestsWithoutTheTokenAreRefused) {
  for (const std::string target : {"/", "/assets/app.js", "/?token=wrong", "/?token=", "/?tok=s3cret"}) {
    const auto reply = http_get(port(), target);
    EXPECT_EQ(reply.response.result(), http::status::forbidden) << target;
    EXPECT_NE(reply.response.body().find("needs its token"), std::string::npos) << reply.response.body();
    EXPECT_EQ(reply.response.body().find("s3cret"), std::string::npos);
  }
  EXPECT_EQ(http_get(port(), "/", {{http::field::cookie, "netlens-token-1=s3cret"}}).response.result(),
            http::status::forbidden);  // another server's cookie
  EXPECT_EQ(http_get(port(), "/", {{http::field::authorization, "token s3cre"}}).response.result(),
            http::status::forbidden);
  WsClient client;
  EXPECT_EQ(client.connect(port()), websocket::error::upgrade_declined);
  EXPECT_EQ(client.response.result(), http::status::forbidden);
}

TEST_F(ServerWithToken, TheUrlTokenSetsACookieThatLetsThePageAndItsSocketIn) {
  const auto page = http_get(port(), "/?token=s3cret");
  EXPECT_EQ(page.response.result(), http::status::ok);
  EXPECT_EQ(page.response.body(), kIndexHtml);
  EXPECT_EQ(std::string(page.response[http::field::set_cookie]),
            cookie() + "; Path=/; HttpOnly; SameSite=Strict");

  const auto js = http_get(port(), "/assets/app.js", {{http::field::cookie, "a=b; " + cookie()}});
  EXPECT_EQ(js.response.result(), http::status::ok);
  EXPECT_EQ(js.response[http::field::set_cookie], "");
  EXPECT_EQ(http_get(port(), "/assets/app.js", {{http::field::authorization, "token s3cret"}}).response.result(),
            http::status::ok);

  WsClient by_cookie;
  ASSERT_FALSE(by_cookie.connect(port(), "http://127.0.0.1:" + std::to_string(port()), "/ws", cookie()));
  EXPECT_EQ(by_cookie.read_json()["type"], "hello");
  WsClient by_url;
  ASSERT_FALSE(by_url.connect(port(), "", "/ws?token=s3cret"));
  EXPECT_EQ(by_url.read_json()["type"], "hello");
}

TEST_F(ServerWithToken, TheTokenStillNeedsTheOwnOrigin) {
  WsClient client;
  EXPECT_EQ(client.connect(port(), "http://evil.example", "/ws", cookie()), websocket::error::upgrade_declined);
  EXPECT_EQ(client.response.result(), http::status::forbidden);
}

TEST_F(Server, ListensUnderAUrlWithTheTokenWhenThereIsOne) {
  std::promise<std::string> url;
  auto options = options_for("");
  options.token = "abc123";
  options.on_listening = [&](const std::string& u) { url.set_value(u); };
  start(options);
  auto got = url.get_future();
  ASSERT_EQ(got.wait_for(kTimeout), std::future_status::ready);
  EXPECT_EQ(got.get(), "http://127.0.0.1:" + std::to_string(port()) + "/?token=abc123");
}

// Without a token, a page on another site could reach the server through DNS rebinding (its
// name resolved to 127.0.0.1): such requests name the server by that site's host name.
TEST_F(Server, RefusesRequestsThatNameItByAnotherHost) {
  const auto evil = http_get(port(), "/", {{http::field::host, "evil.example:" + std::to_string(port())}});
  EXPECT_EQ(evil.response.result(), http::status::forbidden);
  EXPECT_NE(evil.response.body().find("host 'evil.example:"), std::string::npos) << evil.response.body();
  for (const std::string host : {"localhost", "127.0.0.1", "[::1]"})
    EXPECT_EQ(http_get(port(), "/", {{http::field::host, host + ":" + std::to_string(port())}}).response.result(),
              http::status::ok)
        << host;
  WsClient client;  // Origin and Host agree, as they would after rebinding
  const std::string host = "evil.example:" + std::to_string(port());
  EXPECT_EQ(client.connect(port(), "http://" + host, "/ws", "", host), websocket::error::upgrade_declined);
  EXPECT_EQ(client.response.result(), http::status::forbidden);
}

TEST_F(Server, RefusesTraversalInEverySpelling) {
  fs::create_directory_symlink(dir_, dir_ / "web" / "out");  // a link leading out of the bundle
  fs::create_symlink(dir_ / "secret.txt", dir_ / "web" / "secret-link.txt");
  for (const std::string target :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/assets/..%2Fsecret.txt", "/assets/%2e./secret.txt",
        "/..\\secret.txt", "/%5c..%5csecret.txt", "/assets/../../secret.txt", "/.%2e/secret.txt", "/%00/secret.txt",
        "//etc/passwd", "/out/secret.txt", "/secret-link.txt", "/%"}) {
    const auto reply = http_get(port(), target);
    ASSERT_FALSE(reply.error) << target << ": " << reply.error.message();
    const auto status = reply.response.result();
    EXPECT_TRUE(status == http::status::bad_request || status == http::status::not_found) << target << ": " << status;
    EXPECT_EQ(reply.response.body().find("secret\n"), std::string::npos) << target;
  }
}

}  // namespace
}  // namespace server_test
