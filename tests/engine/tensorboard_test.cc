// TensorBoard event files (engine/tensorboard.h) read back by a decoder written from the formats'
// specifications: TFRecord framing (tensorflow/core/lib/io/record_writer.h: little-endian uint64
// length, masked CRC-32C of it, data, masked CRC-32C of the data) and the protobuf wire format of
// tensorflow.Event (tensorflow/core/util/event.proto), Summary and Summary.Value
// (tensorflow/core/framework/summary.proto).
#include "tensorboard_events.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tensorboard.h"

namespace fs = std::filesystem;

namespace {

fs::path temp_file(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("lf_tb_" + std::to_string(::getpid()) + "_" + name);
  fs::remove(p);
  return p;
}

// The CRC-32C check value of "123456789" is 0xE3069283 (RFC 3720, B.4); TFRecord masks it as
// ((crc >> 15) | (crc << 17)) + 0xa282ead8.
TEST(TensorBoard, MaskedCrcOfTheCheckString) {
  const uint32_t crc = 0xE3069283u;
  EXPECT_EQ(lf::masked_crc32c("123456789"), ((crc >> 15) | (crc << 17)) + 0xa282ead8u);
}

TEST(TensorBoard, FileVersionThenOneEventPerWrite) {
  const fs::path p = temp_file("write");
  {
    lf::EventFileWriter w(p.string());
    w.write_scalars(10, 1700000000.5, {{"train/loss", 0.25}, {"train/return", -3}});
    w.write_scalars(300, 1700000001.0, {{"eval/return", 812.5}});
  }
  const auto events = lftest::read_events(p);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].file_version, "brain.Event:2");
  EXPECT_EQ(events[1].step, 10);
  EXPECT_DOUBLE_EQ(events[1].wall_time, 1700000000.5);
  ASSERT_EQ(events[1].values.size(), 2u);
  EXPECT_EQ(events[1].values[0].first, "train/loss");
  EXPECT_FLOAT_EQ(events[1].values[0].second, 0.25f);
  EXPECT_EQ(events[1].values[1].first, "train/return");
  EXPECT_FLOAT_EQ(events[1].values[1].second, -3.f);
  EXPECT_EQ(events[2].step, 300);
  ASSERT_EQ(events[2].values.size(), 1u);
  EXPECT_FLOAT_EQ(events[2].values[0].second, 812.5f);
}

TEST(TensorBoard, AppendingKeepsOneFileVersionEvent) {
  const fs::path p = temp_file("append");
  lf::EventFileWriter(p.string()).write_scalars(1, 0, {{"a", 1}});
  lf::EventFileWriter(p.string()).write_scalars(2, 0, {{"a", 2}});
  const auto events = lftest::read_events(p);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].step, 1);
  EXPECT_EQ(events[2].step, 2);
}

TEST(TensorBoard, UnwritablePathIsAnErrorNamingIt) {
  const std::string p = "/nonexistent-dir/events.out.tfevents.x";
  try {
    lf::EventFileWriter w(p);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write TensorBoard events to " + p);
  }
}

// A damaged frame is reported by the decoder, so the checks above do test the CRCs.
TEST(TensorBoard, DecoderRejectsAFlippedByte) {
  const fs::path p = temp_file("flip");
  lf::EventFileWriter(p.string()).write_scalars(1, 0, {{"a", 1}});
  std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(-6, std::ios::end);
  f.put('\x7f');
  f.close();
  EXPECT_THROW(lftest::read_events(p), std::runtime_error);
}

}  // namespace
