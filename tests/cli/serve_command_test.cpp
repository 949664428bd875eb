// Runs the real `netlens serve` binary (NETLENS_BIN) as a user would: which hosts need a
// token, the URL it prints, and a clean exit on SIGINT and SIGTERM.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

using namespace std::chrono_literals;

// `netlens serve ARGS`, with its first stdout line and its stderr (a file per process and call).
class Serve {
 public:
  explicit Serve(std::vector<std::string> args) {
    static int calls = 0;
    err_path_ = ::testing::TempDir() + "netlens_serve_stderr_" + std::to_string(getpid()) + "_" + std::to_string(++calls);
    int out[2];
    EXPECT_EQ(pipe(out), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char*> argv{const_cast<char*>(NETLENS_BIN), const_cast<char*>("serve")};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    EXPECT_EQ(posix_spawn(&pid_, NETLENS_BIN, &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') first_line += c;
    close(out[0]);
  }
  ~Serve() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    std::remove(err_path_.c_str());
  }

  // Sends `signal`; the exit status, or -1 if the process did not exit within 10 s.
  int stop(int signal) {
    if (signal) kill(pid_, signal);
    for (int i = 0; i < 1000; ++i) {
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(10ms);
    }
    return -1;
  }

  std::string err() const {
    std::stringstream ss;
    ss << std::ifstream(err_path_).rdbuf();
    return ss.str();
  }

  // The port in "netlens: serving http://HOST:PORT/...", or -1.
  int port() const {
    const auto host = first_line.find("http://");
    const auto colon = host == std::string::npos ? host : first_line.find(':', host + 7);
    return colon == std::string::npos ? -1 : std::atoi(first_line.c_str() + colon + 1);
  }

  // The line after "netlens: serving http://HOST:PORT/", or "?" when it does not start so.
  std::string after_url_of(const std::string& host) const {
    const std::string prefix = "netlens: serving http://" + host + ":" + std::to_string(port()) + "/";
    return port() > 0 && first_line.rfind(prefix, 0) == 0 ? first_line.substr(prefix.size()) : "?";
  }

  std::string first_line;

 private:
  pid_t pid_ = -1;
  std::string err_path_;
};

// The status line of GET `target` from 127.0.0.1:port, e.g. "HTTP/1.1 403 Forbidden".
std::string status_of_get(int port, const std::string& target) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "connect failed";
  }
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                              "\r\nConnection: close\r\n\r\n";
  EXPECT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
  std::string reply;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) reply.append(buf, static_cast<std::size_t>(n));
  close(fd);
  return reply.substr(0, reply.find("\r\n"));
}

TEST(Serve, LoopbackNeedsNoToken) {
  Serve serve({"--port", "0"});
  EXPECT_EQ(serve.after_url_of("127.0.0.1"), "") << serve.first_line;
  EXPECT_EQ(status_of_get(serve.port(), "/missing.js"), "HTTP/1.1 404 Not Found");
  EXPECT_EQ(serve.stop(SIGINT), 0);
  EXPECT_EQ(serve.err(), "");
}

TEST(Serve, AnyOtherHostGetsAGeneratedTokenPrintedInTheUrl) {
  Serve serve({"--host", "0.0.0.0", "--port", "0"});
  const std::string query = serve.after_url_of("0.0.0.0");
  ASSERT_EQ(query.rfind("?token=", 0), 0u) << serve.first_line;
  const std::string token = query.substr(7);
  EXPECT_EQ(token.size(), 48u);
  EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos) << token;
  EXPECT_EQ(status_of_get(serve.port(), "/missing.js"), "HTTP/1.1 403 Forbidden");
  EXPECT_EQ(status_of_get(serve.port(), "/missing.js?token=" + token), "HTTP/1.1 404 Not Found");
  EXPECT_EQ(serve.stop(SIGTERM), 0);
}

TEST(Serve, AGivenTokenIsUsedOnLoopbackToo) {
  Serve serve({"--port", "0", "--token", "mine"});
  EXPECT_NE(serve.first_line.find("/?token=mine"), std::string::npos) << serve.first_line;
  EXPECT_EQ(status_of_get(serve.port(), "/missing.js"), "HTTP/1.1 403 Forbidden");
  EXPECT_EQ(serve.stop(SIGTERM), 0);
}

TEST(Serve, AnEmptyTokenOnAnotherHostIsAnError) {
  Serve serve({"--host", "0.0.0.0", "--port", "0", "--token", ""});
  EXPECT_EQ(serve.first_line, "");
  EXPECT_EQ(serve.stop(0), 2);
  EXPECT_NE(serve.err().find("--token: an empty token would open 0.0.0.0 to anyone"), std::string::npos) << serve.err();
}

}  // namespace
