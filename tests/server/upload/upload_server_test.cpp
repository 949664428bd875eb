// POST /api/upload/v1/model over a real socket: only this server's own pages may upload (their
// Origin, the token), a model is checked before it is written, each bad upload is answered with a
// sentence and nothing on disk, and the server stays up.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "nn/image_network.hpp"
#include "nn/model_file.hpp"
#include "nn/onnx/export.hpp"
#include "server/net/server_fixture.hpp"
#include "server/upload/service.hpp"

namespace {

using namespace server_test;
namespace nn = netlens::nn;

// A small CNN of 28 × 28 grey images and ten classes, as a .nlmodel's bytes.
std::string cnn_bytes() {
  const json config{{"in_channels", 1},
                    {"input_size", 28},
                    {"num_classes", 10},
                    {"layers",
                     {{{"type", "conv"}, {"out_channels", 4}, {"filter_size", 3}, {"stride", 1}, {"padding", 1}},
                      {{"type", "relu"}},
                      {{"type", "maxpool"}, {"filter_size", 2}, {"stride", 2}},
                      {{"type", "flatten"}},
                      {{"type", "dense"}, {"out_features", 10}},
                      {{"type", "softmax"}}}}};
  nn::Network network = nn::build_image_network(nn::parse_image_network(config), 7);
  return nn::model_bytes({{"config", config}}, network);
}

class Upload : public ::testing::Test {
 protected:
  void SetUp() override {
    views_ = test_views();
    views_.models_dir = netlens::test::scratch_dir() / ("upload_models_" + std::to_string(std::random_device{}()));
    start("");
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(views_.models_dir);
  }
  void start(const std::string& token) {
    server_.reset();
    auto options = options_for("");
    options.token = token;
    server_.emplace(options, endpoints_for(views_));
  }
  std::string own_origin() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  HttpReply post(const std::string& target, const std::string& body, const std::string& origin, HeaderFields fields = {}) {
    if (!origin.empty()) fields.emplace_back(http::field::origin, origin);
    return http_post(server_->port(), target, body, "application/octet-stream", fields);
  }
  std::vector<std::string> saved() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(views_.models_dir, ec)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

  netlens::server::ViewOptions views_;
  std::optional<RunningServer> server_;
};

TEST_F(Upload, APagesModelIsCheckedSavedUnderItsUploadNameAndListed) {
  const std::string bytes = cnn_bytes();
  const auto r = post("/api/upload/v1/model?name=my-cnn.nlmodel", bytes, own_origin());
  ASSERT_FALSE(r.error) << r.error.message();
  ASSERT_EQ(r.response.result_int(), 200) << r.response.body();
  const json a = json::parse(r.response.body());
  EXPECT_EQ(a["file"], "uploaded-my-cnn.nlmodel");
  EXPECT_EQ(a["layers"], 5);
  EXPECT_EQ(saved(), std::vector<std::string>{"uploaded-my-cnn.nlmodel"});
  std::ifstream in(views_.models_dir / "uploaded-my-cnn.nlmodel", std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), bytes) << "the bytes as sent";

  // An ONNX file is read as ONNX (the exporter's bytes of the same network).
  const nn::Model model = nn::parse_model(bytes, "cnn");
  nn::OnnxExport how;
  how.final_op = "Softmax";
  const auto onnx = post("/api/upload/v1/model?name=uploaded-theirs.onnx", nn::export_onnx(model.network, how), own_origin());
  ASSERT_EQ(onnx.response.result_int(), 200) << onnx.response.body();
  EXPECT_EQ(json::parse(onnx.response.body())["file"], "uploaded-theirs.onnx") << "the prefix is not doubled";

  // The Lurk view lists both in its hello.
  WsClient lurk;
  ASSERT_FALSE(lurk.connect(server_->port(), "", "/ws/lurk"));
  const auto hello = lurk.read();
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->parsed()["models"], json({"uploaded-my-cnn.nlmodel", "uploaded-theirs.onnx"}));
}

TEST_F(Upload, OnlyThisServersOwnPagesMayUpload) {
  const std::string bytes = cnn_bytes();
  const auto none = post("/api/upload/v1/model?name=a.nlmodel", bytes, "");
  EXPECT_EQ(none.response.result_int(), 403) << none.response.body();
  const auto foreign = post("/api/upload/v1/model?name=a.nlmodel", bytes, "http://evil.example");
  EXPECT_EQ(foreign.response.result_int(), 403);
  EXPECT_NE(foreign.response.body().find("own pages only"), std::string::npos) << foreign.response.body();
  EXPECT_TRUE(saved().empty());

  start("s3cret");
  const auto no_token = post("/api/upload/v1/model?name=a.nlmodel", bytes, own_origin());
  EXPECT_EQ(no_token.response.result_int(), 403);
  const auto cookie = post("/api/upload/v1/model?name=a.nlmodel", bytes, own_origin(),
                           {{http::field::cookie, "netlens-token-" + std::to_string(server_->port()) + "=s3cret"}});
  EXPECT_EQ(cookie.response.result_int(), 200) << cookie.response.body();
  EXPECT_EQ(saved(), std::vector<std::string>{"uploaded-a.nlmodel"});
}

TEST_F(Upload, ABadUploadIsRefusedWithASentenceAndNothingIsWritten) {
  const std::string bytes = cnn_bytes();
  const auto expect_refused = [&](const std::string& target, const std::string& body, int status, const std::string& words) {
    const auto r = post(target, body, own_origin());
    ASSERT_FALSE(r.error) << r.error.message();
    EXPECT_EQ(r.response.result_int(), status) << target << ": " << r.response.body();
    const json a = json::parse(r.response.body());
    EXPECT_FALSE(a["ok"]);
    EXPECT_NE(a["error"].get<std::string>().find(words), std::string::npos) << a["error"];
  };
  expect_refused("/api/upload/v1/model?name=a.nlmodel", "not a model at all", 400, "uploaded-a.nlmodel: not a netlens model file");
  expect_refused("/api/upload/v1/model?name=a.nlmodel", bytes.substr(0, bytes.size() - 4), 400, "truncated");
  expect_refused("/api/upload/v1/model?name=b.onnx", "\x08\x07garbage", 400, "uploaded-b.onnx: onnx");
  expect_refused("/api/upload/v1/model?name=a.nlmodel", "", 400, "empty");
  expect_refused("/api/upload/v1/model?name=../../etc/x.nlmodel", bytes, 400, "name: must be a model file's name");
  expect_refused("/api/upload/v1/model?name=notes.txt", bytes, 400, "name: must be");
  expect_refused("/api/upload/v1/model", bytes, 400, "name: must be");
  EXPECT_TRUE(saved().empty());
  {  // a body over the limit is answered as its header ends, unread
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    ASSERT_FALSE(await(ioc, stream, [&](auto handler) {
      stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()), handler);
    }));
    const std::string header = "POST /api/upload/v1/model?name=big.nlmodel HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + own_origin() +
                               "\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
                               std::to_string(netlens::server::upload::kMaxModelBytes + 1) + "\r\n\r\n";
    ASSERT_FALSE(await(ioc, stream, [&](auto handler) { net::async_write(stream, net::buffer(header), handler); }));
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    ASSERT_FALSE(await(ioc, stream, [&](auto handler) { http::async_read(stream, buffer, response, handler); }));
    EXPECT_EQ(response.result_int(), 413);
    EXPECT_NE(response.body().find("send a smaller file"), std::string::npos) << response.body();
  }

  // The server is still up, and a good upload goes through.
  EXPECT_EQ(post("/api/upload/v1/model?name=a.nlmodel", bytes, own_origin()).response.result_int(), 200);
}

}  // namespace
