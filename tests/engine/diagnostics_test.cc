// Messages for users (engine/diagnostics.h): LibTorch's backtraces dropped, long text clipped,
// did-you-mean that stays fast on huge input.
#include <gtest/gtest.h>

#include <string>

#include "diagnostics.h"

namespace diagnostics_test {

TEST(Diagnostics, BacktraceLinesAreDropped) {
  const std::string c10 =
      "flow 'train' node 'lin': mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)\n"
      "Exception raised from meta at /build/aten/src/ATen/native/LinearAlgebra.cpp:190 (most recent call first):\n"
      "frame #0: c10::Error::Error(c10::SourceLocation, std::string) + 0x58 (0x7f in /lib/libc10.so)\n"
      "frame #1: <unknown function> + 0x1a (0x7f in /lib/libtorch_cpu.so)\n";
  EXPECT_EQ(lf::without_backtrace(c10), "flow 'train' node 'lin': mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
  EXPECT_EQ(lf::without_backtrace("two\nlines"), "two\nlines");
}

TEST(Diagnostics, LongMessagesAreClipped) {
  const auto clipped = lf::clip_text(std::string(5000, 'x'), 100);
  EXPECT_EQ(clipped, std::string(100, 'x') + "... (4900 more characters)");
  lf::Diagnostics d;
  d.error("/" + std::string(10000, 'p'), "unknown node type '" + std::string(100000, 'n') + "'");
  EXPECT_LT(d.format("g.json").size(), 3000u);
}

TEST(Diagnostics, SuggestionsSkipChoicesOfAnotherLength) {
  EXPECT_EQ(lf::suggest("nn.linaer", {"nn.linear", "nn.mlp"}), " (did you mean 'nn.linear'?)");
  EXPECT_EQ(lf::suggest(std::string(1000000, 'n'), {"nn.linear", "nn.mlp"}), " (valid: nn.linear, nn.mlp)");
}

}  // namespace diagnostics_test
