#include "server/net/static_files.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <random>

namespace netlens::server {
namespace {

namespace fs = std::filesystem;

std::string resolved(std::string_view target) {
  const TargetPath p = target_to_path(target);
  EXPECT_TRUE(p.ok()) << target << ": " << p.refusal;
  return p.relative;
}

bool refused(std::string_view target) { return !target_to_path(target).ok(); }

TEST(StaticFiles, RootMapsToIndexHtml) {
  EXPECT_EQ(resolved("/"), "index.html");
  EXPECT_EQ(resolved("/?tab=timeline"), "index.html");
  EXPECT_EQ(resolved("/index.html"), "index.html");
  EXPECT_EQ(resolved("/assets/"), "assets/index.html");
}

TEST(StaticFiles, PathsAreRelativeToTheRootWithQueryDropped) {
  EXPECT_EQ(resolved("/assets/index-4f2a.js?v=3#top"), "assets/index-4f2a.js");
  EXPECT_EQ(resolved("/a%20b.txt"), "a b.txt");
  EXPECT_EQ(resolved("/./assets//app.css"), "assets/app.css");
}

TEST(StaticFiles, RefusesDotDotSegments) {
  EXPECT_TRUE(refused("/../secret"));
  EXPECT_TRUE(refused("/assets/../../etc/passwd"));
  EXPECT_TRUE(refused("/assets/.."));
  EXPECT_NE(target_to_path("/../secret").refusal.find(".."), std::string::npos);
  EXPECT_EQ(resolved("/a..b/..c"), "a..b/..c");  // only whole ".." segments are special
}

TEST(StaticFiles, RefusesPercentEncodedDotsAndSlashes) {
  EXPECT_TRUE(refused("/%2e%2e/secret"));
  EXPECT_TRUE(refused("/%2E%2E/secret"));
  EXPECT_TRUE(refused("/.%2e/secret"));
  EXPECT_TRUE(refused("/assets%2Fapp.js"));
  EXPECT_TRUE(refused("/%2fetc/passwd"));
  EXPECT_TRUE(refused("/assets%5capp.js"));
}

TEST(StaticFiles, RefusesBackslashes) {
  EXPECT_TRUE(refused("/..\\secret"));
  EXPECT_TRUE(refused("/assets\\app.js"));
}

TEST(StaticFiles, RefusesTargetsThatAreNotRootedPaths) {
  EXPECT_TRUE(refused(""));
  EXPECT_TRUE(refused("etc/passwd"));
  EXPECT_TRUE(refused("http://evil.example/index.html"));
  EXPECT_TRUE(refused("C:/Windows/win.ini"));
  // An absolute-looking path stays under the root: empty segments are dropped.
  EXPECT_EQ(resolved("//etc/passwd"), "etc/passwd");
}

TEST(StaticFiles, RefusesBadEscapesAndControlBytes) {
  EXPECT_TRUE(refused("/%zz"));
  EXPECT_TRUE(refused("/index.html%2"));
  EXPECT_TRUE(refused("/index.html%00.png"));
  EXPECT_TRUE(refused(std::string_view("/a\0b", 4)));
}

class StaticFilesOnDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("netlens_static_" + std::to_string(std::random_device{}()));
    root_ = dir_ / "web";
    fs::create_directories(root_ / "assets");
    write(root_ / "index.html", "<html></html>");
    write(root_ / "assets" / "app.js", "1;");
    write(dir_ / "secret.txt", "secret");
    fs::create_symlink(dir_ / "secret.txt", root_ / "link.txt");
  }
  void TearDown() override { fs::remove_all(dir_); }
  static void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

  fs::path dir_, root_;
};

TEST_F(StaticFilesOnDisk, FindsFilesAndFolderIndexes) {
  EXPECT_EQ(find_static_file(root_, "index.html"), fs::canonical(root_ / "index.html"));
  EXPECT_EQ(find_static_file(root_, "assets/app.js"), fs::canonical(root_ / "assets" / "app.js"));
  EXPECT_EQ(find_static_file(root_, "assets/missing.js"), std::nullopt);
  EXPECT_EQ(find_static_file(root_, "assets"), std::nullopt);  // a folder without index.html
  write(root_ / "assets" / "index.html", "x");
  EXPECT_EQ(find_static_file(root_, "assets"), fs::canonical(root_ / "assets" / "index.html"));
}

TEST_F(StaticFilesOnDisk, NeverLeavesTheRoot) {
  EXPECT_EQ(find_static_file(root_, "link.txt"), std::nullopt);  // a symlink to a file outside
  EXPECT_EQ(find_static_file(root_, "../secret.txt"), std::nullopt);
  EXPECT_EQ(find_static_file(root_, ""), std::nullopt);
  EXPECT_EQ(find_static_file(dir_ / "no-such-root", "index.html"), std::nullopt);
}

TEST(StaticFiles, MimeTypesByExtension) {
  EXPECT_EQ(mime_type("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(mime_type("assets/index-4f2a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(mime_type("assets/index.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(mime_type("logo.svg"), "image/svg+xml");
  EXPECT_EQ(mime_type("/srv/web/logo.png"), "image/png");
  EXPECT_EQ(mime_type("examples/circle.json"), "application/json");
  EXPECT_EQ(mime_type("favicon.ico"), "image/x-icon");
  EXPECT_EQ(mime_type("README"), "application/octet-stream");
  EXPECT_EQ(mime_type("a.dir/README"), "application/octet-stream");
}

}  // namespace
}  // namespace netlens::server
