#include "tensorboard.h"

#include <bit>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <boost/crc.hpp>

namespace lf {

namespace {

// Protobuf wire format: a key is (field number << 3 | wire type).
enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_key(std::string& out, uint32_t field, WireType type) { put_varint(out, field << 3 | type); }

template <typename T>
void put_little_endian(std::string& out, T v) {
  static_assert(std::endian::native == std::endian::little, "event files are little-endian");
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out.append(bytes, sizeof(T));
}

void put_bytes(std::string& out, uint32_t field, std::string_view bytes) {
  put_key(out, field, kLengthDelimited);
  put_varint(out, bytes.size());
  out.append(bytes);
}

// tensorflow.Event: wall_time = 1 (double), step = 2 (int64), file_version = 3 (string),
// summary = 5 (Summary). Summary: value = 1 (repeated Value). Value: tag = 1 (string),
// simple_value = 2 (float).
std::string event(double wall_time, int64_t step) {
  std::string e;
  put_key(e, 1, kFixed64);
  put_little_endian(e, wall_time);
  put_key(e, 2, kVarint);
  put_varint(e, static_cast<uint64_t>(step));
  return e;
}

}  // namespace

uint32_t masked_crc32c(std::string_view data) {
  boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> crc;
  crc.process_bytes(data.data(), data.size());
  const uint32_t c = crc.checksum();
  return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}

EventFileWriter::EventFileWriter(std::string path) : path_(std::move(path)) {
  std::error_code ec;
  const bool fresh = !std::filesystem::exists(path_, ec) || std::filesystem::file_size(path_, ec) == 0;
  out_.open(path_, std::ios::binary | std::ios::app);
  if (!out_) throw std::runtime_error("cannot write TensorBoard events to " + path_);
  if (fresh) {
    const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::string e = event(now, 0);
    put_bytes(e, 3, "brain.Event:2");
    write_record(e);
  }
}

void EventFileWriter::write_scalars(int64_t step, double wall_time, const std::vector<std::pair<std::string, double>>& values) {
  std::string summary;
  for (const auto& [tag, v] : values) {
    std::string value;
    put_bytes(value, 1, tag);
    put_key(value, 2, kFixed32);
    put_little_endian(value, static_cast<float>(v));
    put_bytes(summary, 1, value);
  }
  std::string e = event(wall_time, step);
  put_bytes(e, 5, summary);
  write_record(e);
}

void EventFileWriter::write_record(const std::string& event) {
  std::string length;
  put_little_endian(length, static_cast<uint64_t>(event.size()));
  std::string frame = length;
  put_little_endian(frame, masked_crc32c(length));
  frame += event;
  put_little_endian(frame, masked_crc32c(event));
  out_.write(frame.data(), static_cast<std::streamsize>(frame.size()));
  out_.flush();
  if (!out_) throw std::runtime_error("cannot write TensorBoard events to " + path_);
}

}  // namespace lf
