// Graph-file expressions (engine/expr.h): types kept, arithmetic as documented, interpolation, errors.
#include <gtest/gtest.h>

#include "expr.h"

namespace {

using json = nlohmann::json;

json eval(const std::string& text) {
  const json vars = {{"deter", 200}, {"stoch", 30}, {"task", "cheetah_run"}, {"lr", 0.5}, {"units", json::array({4, 4})},
                     {"q", {{"type", "nn.mlp"}, {"dropout", 0.01}}}, {"no_dropout", {{"dropout", 0}}}};
  return lf::eval_expr(text, [&](const std::string& name) -> json {
    if (!vars.contains(name)) throw lf::ExprError("unknown var '" + name + "'");
    return vars[name];
  });
}

TEST(Expr, IntArithmeticStaysInt) {
  EXPECT_EQ(eval("deter + stoch"), json(230));
  EXPECT_TRUE(eval("deter + stoch").is_number_integer());
  EXPECT_EQ(eval("2 * (deter - 50)"), json(300));
  EXPECT_EQ(eval("-7 // 2"), json(-4));  // floors, as Python
  EXPECT_EQ(eval("-7 % 3"), json(2));
  EXPECT_EQ(eval("7 // 2"), json(3));
}

TEST(Expr, DivisionAndFloatsGiveFloats) {
  EXPECT_TRUE(eval("deter / 100").is_number_float());
  EXPECT_DOUBLE_EQ(eval("deter / 100").get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(eval("lr * 3").get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(eval("1e-3 * 2").get<double>(), 0.002);
  EXPECT_DOUBLE_EQ(eval("7.5 // 2").get<double>(), 3.0);
}

TEST(Expr, ComparisonsConditionalsStringsAndLists) {
  EXPECT_EQ(eval("deter > stoch"), json(true));
  EXPECT_EQ(eval("task == 'cheetah_run' ? 4 : 8"), json(4));
  EXPECT_EQ(eval("task != 'cheetah_run' ? 4 : 8"), json(8));
  EXPECT_EQ(eval("task + '_x'"), json("cheetah_run_x"));
  EXPECT_EQ(eval("units + units"), json::array({4, 4, 4, 4}));
  EXPECT_EQ(eval("units"), json::array({4, 4}));
  // objects: the left one's keys, overridden and extended by the right one's
  EXPECT_EQ(eval("q + no_dropout"), json({{"type", "nn.mlp"}, {"dropout", 0}}));
  EXPECT_EQ(eval("q"), json({{"type", "nn.mlp"}, {"dropout", 0.01}}));
}

TEST(Expr, ExpandStringKeepsTypeOrInterpolates) {
  auto lookup = [](const std::string& n) -> json { return n == "d" ? json(200) : json("walker"); };
  EXPECT_EQ(lf::expand_string("${d + 30}", lookup), json(230));
  EXPECT_EQ(lf::expand_string("runs/${t}-${d}", lookup), json("runs/walker-200"));
  EXPECT_FALSE(lf::expand_string("$h", lookup).has_value());  // a flow input, not an expression
  EXPECT_THROW(lf::expand_string("${d", lookup), lf::ExprError);
}

TEST(Expr, ErrorsSayWhat) {
  auto message = [](const std::string& text) {
    try {
      eval(text);
    } catch (const lf::ExprError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("deter / 0").find("division by zero"), std::string::npos);
  EXPECT_NE(message("deter // (stoch - 30)").find("division by zero"), std::string::npos);
  EXPECT_NE(message("task + 1").find("cannot apply '+' to string and int"), std::string::npos);
  EXPECT_NE(message("task * 2").find("cannot apply '*' to string and int"), std::string::npos);
  EXPECT_NE(message("deter +").find("expected a value"), std::string::npos);
  EXPECT_NE(message("(deter").find("expected ')'"), std::string::npos);
  EXPECT_NE(message("deter ? 1 : 2").find("not a bool"), std::string::npos);
  EXPECT_NE(message("detr").find("unknown var 'detr'"), std::string::npos);
  EXPECT_NE(message("deter $").find("unexpected"), std::string::npos);
}

}  // namespace
