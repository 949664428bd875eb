#include "nn/model_file.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "support/scratch.hpp"

using namespace netlens;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json small_config(int hidden = 16) {
  return {{"input_size", 6},
          {"layers", {{{"type", "conv"}, {"out_channels", 2}, {"filter_size", 3}}, {{"type", "relu"}}, {{"type", "flatten"}},
                      {{"type", "dense"}, {"out_features", hidden}}, {{"type", "relu"}}, {{"type", "dense"}, {"out_features", 10}},
                      {{"type", "softmax"}}}}};
}

fs::path temp_file(const std::string& name) {
  return test::scratch_dir() / ("model_" + name);
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_all(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary) << bytes; }

std::string refusal(const fs::path& p) {
  try {
    nn::load_model(p);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ModelFile, SavesAndLoadsConfigAndWeightsExactly) {
  nn::Network net = nn::build_image_network(nn::parse_image_network(small_config()), 42);
  const fs::path path = temp_file("roundtrip.nlmodel");
  nn::save_model(path, {{"config", small_config()}, {"dataset", "mnist"}}, net);
  nn::Model m = nn::load_model(path);
  EXPECT_EQ(m.header["dataset"], "mnist");
  EXPECT_EQ(m.header["config"], small_config());
  auto a = net.params(), b = m.network.params();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].value->values(), b[i].value->values());
  fs::remove(path);
}

TEST(ModelFile, CorruptTruncatedAndUnknownVersionFilesAreRefusedNamingTheFile) {
  nn::Network net = nn::build_image_network(nn::parse_image_network(small_config()), 1);
  const std::string good = nn::model_bytes({{"config", small_config()}}, net);
  const fs::path path = temp_file("bad.nlmodel");
  const std::string name = path.string() + ": ";

  write_all(path, good.substr(0, good.size() - 5));
  EXPECT_EQ(refusal(path).rfind(name + "truncated: ", 0), 0u) << refusal(path);
  write_all(path, good.substr(0, 30));
  EXPECT_EQ(refusal(path).rfind(name + "truncated or corrupt: the JSON header's length", 0), 0u) << refusal(path);
  write_all(path, good + "xx");
  EXPECT_EQ(refusal(path).rfind(name + "corrupt: ", 0), 0u) << refusal(path);
  write_all(path, "PK\x03\x04 not a model at all, a zip file perhaps");
  EXPECT_EQ(refusal(path), name + "not a netlens model file (no NLMODEL magic; ONNX models are read from .onnx files)");

  std::string v2 = good;
  v2[8] = 2;
  write_all(path, v2);
  EXPECT_EQ(refusal(path), name + "model format version 2 is not supported (this netlens reads version 1)");

  std::string bad_json = good;
  bad_json[20] = '[';
  write_all(path, bad_json);
  EXPECT_EQ(refusal(path).rfind(name + "corrupt JSON header: ", 0), 0u) << refusal(path);

  // A header whose config needs a different number of weights than the file holds.
  nn::Network bigger = nn::build_image_network(nn::parse_image_network(small_config(17)), 1);
  std::string swapped = nn::model_bytes({{"config", small_config()}}, bigger);
  write_all(path, swapped);
  EXPECT_NE(refusal(path).find("weights recorded but the config needs"), std::string::npos) << refusal(path);

  EXPECT_EQ(refusal(temp_file("missing.nlmodel")), temp_file("missing.nlmodel").string() + ": cannot open model file");
  fs::remove(path);
}

// A small file whose header describes a huge network is refused from the sizes alone: nothing
// the size of the network is allocated (this would be 16 GiB of weights).
TEST(ModelFile, AHeaderPromisingAHugeNetworkIsRefusedBeforeBuildingIt) {
  json huge = small_config();
  huge["input_size"] = 256;
  huge["layers"] = {{{"type", "flatten"}}, {{"type", "dense"}, {"out_features", 65536}}, {{"type", "dense"}, {"out_features", 10}}};
  nn::Network net = nn::build_image_network(nn::parse_image_network(small_config()), 1);
  const std::string good = nn::model_bytes({{"config", small_config()}}, net);
  const std::string weights = good.substr(20 + json{{"config", small_config()}}.dump().size());  // count, then weights
  const std::string header = json{{"config", huge}}.dump();
  const std::uint64_t length = header.size();
  std::string hostile = good.substr(0, 12);  // magic and version
  hostile.append(reinterpret_cast<const char*>(&length), 8);
  hostile += header + weights;
  try {
    nn::parse_model(hostile, "hostile.nlmodel");
    FAIL() << "a huge network was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("hostile.nlmodel: corrupt config: layers[1] dense: the network is too large here: ", 0), 0u)
        << e.what();
  }
}

TEST(ModelFile, ASaveKilledMidwayLeavesTheOldModel) {
  const fs::path dir = temp_file("killed");
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path path = dir / "model.nlmodel";
  nn::Network old_net = nn::build_image_network(nn::parse_image_network(small_config()), 1);
  nn::save_model(path, {{"config", small_config()}}, old_net);
  const std::string old_bytes = read_all(path);

  // A child saves a large model (about 100 MB) and is killed while writing it.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const json big{{"input_size", 64}, {"layers", {{{"type", "flatten"}}, {{"type", "dense"}, {"out_features", 6000}},
                                                   {{"type", "dense"}, {"out_features", 10}}}}};
    nn::Network net = nn::build_image_network(nn::parse_image_network(big), 1);
    nn::save_model(path, {{"config", big}}, net);
    ::_exit(0);
  }
  // Kill it once its temporary file (".model.nlmodel.XXXXXX" beside the target) has bytes in it.
  bool seen_partial = false;
  for (int i = 0; i < 30000 && !seen_partial; ++i) {
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path() != path && fs::file_size(entry.path()) > 0) seen_partial = true;
    if (!seen_partial) ::usleep(1000);
  }
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_TRUE(seen_partial) << "the child never started writing";
  // The old model or, had the child finished in between, the whole new one: it always loads.
  const std::string after = read_all(path);
  EXPECT_TRUE(after == old_bytes || after.size() > 90'000'000u) << after.size();
  EXPECT_NO_THROW(nn::load_model(path));
  fs::remove_all(dir);
}
