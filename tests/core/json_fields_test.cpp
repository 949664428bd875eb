#include "core/json_fields.hpp"

#include <gtest/gtest.h>

#include <climits>
#include <functional>

namespace netlens {
namespace {

using nlohmann::json;

// The message of the Error `read` throws, or "" if it throws none.
std::string refusal(const std::function<void()>& read) {
  try {
    read();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

enum class Fruit { Apple, Pear };
constexpr NameTable<Fruit, 2> kFruitNames{{{Fruit::Apple, "apple"}, {Fruit::Pear, "pear"}}};

TEST(Fields, AnIntegerIsANumberWithNoFraction) {
  const json j = json::parse(R"({"a":3,"b":3.0,"c":2.5,"d":"3","e":-0.0,"f":null})");
  const Fields f(j, "x");
  EXPECT_EQ(f.integer("a"), 3);
  EXPECT_EQ(f.integer("b"), 3);
  EXPECT_EQ(f.integer("e", INT_MIN), 0);
  EXPECT_EQ(refusal([&] { f.integer("c"); }), "x.c: must be an integer of at least 0, got 2.5");
  EXPECT_EQ(refusal([&] { f.integer("d"); }), "x.d: must be an integer of at least 0, got a string");
  EXPECT_EQ(refusal([&] { f.integer("f"); }), "x.f: must be an integer of at least 0, got null");
  EXPECT_EQ(refusal([&] { f.integer("c", INT_MIN, Fields::kIntMax); }), "x.c: must be an integer, got 2.5");
}

TEST(Fields, AnIntegerBeyondAnIntIsRefusedNotWrapped) {
  const json j = json::parse(R"({"big":3000000000,"huge":1e300,"max":18446744073709551615,"low":-3000000000})");
  const Fields f(j, "x");
  EXPECT_EQ(refusal([&] { f.integer("big"); }), "x.big: must be an integer of at least 0, got 3000000000");
  EXPECT_EQ(refusal([&] { f.integer("huge"); }), "x.huge: must be an integer of at least 0, got 1e+300");
  EXPECT_EQ(refusal([&] { f.integer("max"); }), "x.max: must be an integer of at least 0, got 18446744073709551615");
  EXPECT_EQ(refusal([&] { f.integer("low", INT_MIN); }), "x.low: must be an integer, got -3000000000");
}

TEST(Fields, RangesAreCheckedAndNamedInTheError) {
  const json j = json::parse(R"({"n":10,"zero":0,"r":1.5})");
  const Fields f(j, "x");
  EXPECT_EQ(f.integer("n", 0, 10), 10);  // both ends included
  EXPECT_EQ(f.integer("zero", 0, 10), 0);
  EXPECT_EQ(refusal([&] { f.integer("n", 0, 9); }), "x.n: must be an integer 0..9, got 10");
  EXPECT_EQ(refusal([&] { f.integer("zero", 1); }), "x.zero: must be an integer of at least 1, got 0");
  EXPECT_EQ(refusal([&] { f.integer("n", INT_MIN, 9); }), "x.n: must be an integer of at most 9, got 10");
  EXPECT_EQ(f.number("r", 0, 1.5), 1.5);
  EXPECT_EQ(refusal([&] { f.number("r", 0, 1); }), "x.r: must be a number 0..1, got 1.5");
  EXPECT_EQ(refusal([&] { f.number("r", 2); }), "x.r: must be a number of at least 2, got 1.5");
  EXPECT_EQ(refusal([&] { f.number("r", -Fields::kInf, 1); }), "x.r: must be a number of at most 1, got 1.5");
  EXPECT_EQ(refusal([&] { f.number("r", 0.25, 0.75); }), "x.r: must be a number 0.25..0.75, got 1.5");
  EXPECT_EQ(refusal([&] { f.number("r", 1e6, 2e6); }), "x.r: must be a number 1000000..2000000, got 1.5");
}

// The ranges a person reads: no 4.29497e+09 (six digits of a seed's limit) or 1e-06.
TEST(Fields, RangesAreWrittenInPlainDigits) {
  const json j = json::parse(R"({"r":-1})");
  const Fields f(j, "x");
  EXPECT_EQ(refusal([&] { f.number("r", 0, 4294967295.0); }), "x.r: must be a number 0..4294967295, got -1");
  EXPECT_EQ(refusal([&] { f.number("r", 1e-6, 10); }), "x.r: must be a number 0.000001..10, got -1");
  EXPECT_EQ(plain_number(0.1), "0.1");
  EXPECT_EQ(plain_number(-2.5), "-2.5");
  EXPECT_EQ(plain_number(0), "0");
  EXPECT_EQ(plain_number(1e300), "1e+300");  // beyond the typed range: an exponent, not 301 digits
}

TEST(Fields, ANumberIsAnyJsonNumber) {
  const json j = json::parse(R"({"i":3,"f":-2.5,"s":"1","b":true})");
  const Fields f(j, "x");
  EXPECT_EQ(f.number("i"), 3.0);
  EXPECT_EQ(f.number("f"), -2.5);
  EXPECT_EQ(refusal([&] { f.number("s"); }), "x.s: must be a number, got a string");
  EXPECT_EQ(refusal([&] { f.number("b"); }), "x.b: must be a number, got a boolean");
}

TEST(Fields, AMissingFieldIsNamed) {
  const json j = json::object();
  const Fields f(j, "spec");
  EXPECT_FALSE(f.has("n"));
  EXPECT_EQ(f.find("n"), nullptr);
  EXPECT_EQ(refusal([&] { f.integer("n"); }), "spec.n: is missing");
  EXPECT_EQ(refusal([&] { f.number("n"); }), "spec.n: is missing");
  EXPECT_EQ(refusal([&] { f.string("n"); }), "spec.n: is missing");
  EXPECT_EQ(refusal([&] { f.boolean("n"); }), "spec.n: is missing");
  EXPECT_EQ(refusal([&] { f.array("n"); }), "spec.n: is missing");
  EXPECT_EQ(refusal([&] { f.object("n"); }), "spec.n: is missing");
}

TEST(Fields, OptionalFieldsAreEmptyWhenAbsentAndCheckedWhenPresent) {
  const json j = json::parse(R"({"n":4,"r":0.5,"s":"hi","b":false,"fruit":"pear","bad":"x"})");
  const Fields f(j, "x");
  EXPECT_EQ(f.optional_integer("n"), 4);
  EXPECT_EQ(f.optional_integer("absent"), std::nullopt);
  EXPECT_EQ(f.optional_number("r", 0, 1), 0.5);
  EXPECT_EQ(f.optional_number("absent"), std::nullopt);
  EXPECT_EQ(f.optional_string("s"), "hi");
  EXPECT_EQ(f.optional_string("absent"), std::nullopt);
  EXPECT_EQ(f.optional_boolean("b"), false);
  EXPECT_EQ(f.optional_boolean("absent"), std::nullopt);
  EXPECT_EQ(f.optional_name("fruit", kFruitNames, "fruit"), Fruit::Pear);
  EXPECT_EQ(f.optional_name("absent", kFruitNames, "fruit"), std::nullopt);
  EXPECT_EQ(refusal([&] { f.optional_integer("n", 5, 9); }), "x.n: must be an integer 5..9, got 4");
  EXPECT_EQ(refusal([&] { f.optional_number("bad"); }), "x.bad: must be a number, got a string");
  EXPECT_EQ(refusal([&] { f.optional_string("n"); }), "x.n: must be a string, got a number");
  EXPECT_EQ(refusal([&] { f.optional_boolean("s"); }), "x.s: must be true or false, got a string");
}

TEST(Fields, StringsBooleansAndNames) {
  const json j = json::parse(R"({"s":"apple","n":1,"b":true,"fruit":"plum"})");
  const Fields f(j, "x");
  EXPECT_EQ(f.string("s"), "apple");
  EXPECT_EQ(f.name("s", kFruitNames, "fruit"), Fruit::Apple);
  EXPECT_EQ(refusal([&] { f.string("n"); }), "x.n: must be a string, got a number");
  EXPECT_TRUE(f.boolean("b"));
  EXPECT_EQ(refusal([&] { f.boolean("n"); }), "x.n: must be true or false, got 1");
  EXPECT_EQ(refusal([&] { f.name("fruit", kFruitNames, "fruit"); }), "x.fruit: unknown fruit 'plum' (known: apple, pear)");
  EXPECT_EQ(refusal([&] { f.name("n", kFruitNames, "fruit"); }), "x.n: must be a string, got a number");
}

TEST(Fields, NestedObjectsExtendThePath) {
  const json j = json::parse(R"({"layer":{"units":0,"act":{"name":7}},"list":[1]})");
  const Fields f(j, "spec");
  EXPECT_EQ(f.path(), "spec");
  EXPECT_EQ(f.path("layer"), "spec.layer");
  const Fields layer = f.object("layer");
  EXPECT_EQ(layer.path(), "spec.layer");
  EXPECT_EQ(refusal([&] { layer.integer("units", 1, 1024); }), "spec.layer.units: must be an integer 1..1024, got 0");
  EXPECT_EQ(refusal([&] { layer.object("act").string("name"); }), "spec.layer.act.name: must be a string, got a number");
  EXPECT_EQ(refusal([&] { f.object("list"); }), "spec.list: must be an object, got an array");
  EXPECT_EQ(refusal([&] { Fields(j["list"], "spec"); }), "spec: must be an object, got an array");
  EXPECT_EQ(refusal([&] { Fields(json("x"), "model"); }), "model: must be an object, got a string");
  EXPECT_EQ(refusal([&] { Fields(json(nullptr), "model"); }), "model: must be an object, got null");
}

TEST(Fields, RefuseUnknownListsTheKnownKeys) {
  const json j = json::parse(R"({"a":1,"b":2,"c":3})");
  const Fields f(j, "spec");
  f.integer("a");
  f.optional_integer("b");
  f.optional_string("z");  // asked for, though absent: a known key
  EXPECT_EQ(refusal([&] { f.refuse_unknown(); }), "spec.c: unknown key (known: a, b, z)");
  f.has("c");
  EXPECT_EQ(refusal([&] { f.refuse_unknown(); }), "") << "every key was asked for";
  // Each object refuses its own keys, under its own path; a key asked for twice is listed once.
  const json nested = json::parse(R"({"layer":{"units":3,"activaton":"relu"}})");
  const Fields outer(nested, "spec");
  const Fields layer = outer.object("layer");
  layer.integer("units");
  layer.integer("units");
  layer.optional_string("activation");
  EXPECT_EQ(refusal([&] { outer.refuse_unknown(); }), "");
  EXPECT_EQ(refusal([&] { layer.refuse_unknown(); }), "spec.layer.activaton: unknown key (known: units, activation)");
  // A long key is quoted in part.
  const json long_key{{std::string(500, 'k'), 1}};
  const Fields l(long_key, "m");
  const std::string why = refusal([&] { l.refuse_unknown(); });
  EXPECT_EQ(why.rfind("m.kkk", 0), 0u) << why;
  EXPECT_LT(why.size(), 120u) << why;
}

TEST(Fields, ArraysAndTheirElements) {
  const json j = json::parse(R"({"xs":[1,2.5,"3"],"o":{},"empty":[]})");
  const Fields f(j, "spec");
  const json& xs = f.array("xs");
  ASSERT_EQ(xs.size(), 3u);
  EXPECT_EQ(Fields::to_integer(xs[0], f.path("xs") + "[0]", 0, 9), 1);
  EXPECT_EQ(refusal([&] { Fields::to_integer(xs[1], f.path("xs") + "[1]", 0, 9); }),
            "spec.xs[1]: must be an integer 0..9, got 2.5");
  EXPECT_EQ(Fields::to_number(xs[1], "spec.xs[1]", 0, 9), 2.5);
  EXPECT_EQ(refusal([&] { Fields::to_number(xs[2], "spec.xs[2]"); }), "spec.xs[2]: must be a number, got a string");
  EXPECT_TRUE(f.array("empty").empty());
  EXPECT_EQ(refusal([&] { f.array("o"); }), "spec.o: must be an array, got an object");
}

TEST(Fields, ASeedIsAnyIntegerFrom0To2To64) {
  const json parsed = json::parse(R"({"u":18446744073709551615,"f":5.0,"neg":-1,"half":2.5,"s":"5"})");
  const Fields p(parsed, "x");
  EXPECT_EQ(p.optional_seed("u"), 18446744073709551615u);
  EXPECT_EQ(p.optional_seed("f"), 5u);
  EXPECT_EQ(p.optional_seed("absent"), std::nullopt);
  EXPECT_EQ(refusal([&] { p.optional_seed("neg"); }), "x.neg: must be an integer of at least 0, got -1");
  EXPECT_EQ(refusal([&] { p.optional_seed("half"); }), "x.half: must be an integer of at least 0, got 2.5");
  EXPECT_EQ(refusal([&] { p.optional_seed("s"); }), "x.s: must be an integer of at least 0, got a string");
  // json built in C++ from an int holds a signed integer; a parsed text holds the same value unsigned.
  const json built{{"seed", 5}, {"neg", -1}};
  const Fields b(built, "x");
  EXPECT_EQ(b.optional_seed("seed"), 5u);
  EXPECT_EQ(refusal([&] { b.optional_seed("neg"); }), "x.neg: must be an integer of at least 0, got -1");
}

TEST(Fields, JsonKindSaysWhatAValueIs) {
  EXPECT_EQ(json_kind(json(1)), "a number");
  EXPECT_EQ(json_kind(json(1.5)), "a number");
  EXPECT_EQ(json_kind(json(nullptr)), "null");
  EXPECT_EQ(json_kind(json::array()), "an array");
  EXPECT_EQ(json_kind(json::object()), "an object");
  EXPECT_EQ(json_kind(json(true)), "a boolean");
  EXPECT_EQ(json_kind(json("s")), "a string");
}

}  // namespace
}  // namespace netlens
