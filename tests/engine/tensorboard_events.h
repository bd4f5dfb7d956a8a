// Test-side reader of TensorBoard event files, written from the format specifications (see
// tensorboard_test.cc) rather than from engine/tensorboard.cc. Throws std::runtime_error on a
// frame whose CRC does not match or a field it does not expect.
#pragma once

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tensorboard.h"

namespace lftest {

struct Event {
  double wall_time = 0;
  int64_t step = 0;
  std::string file_version;
  std::vector<std::pair<std::string, float>> values;
};

class WireReader {
 public:
  explicit WireReader(std::string_view bytes) : b_(bytes) {}
  bool done() const { return i_ == b_.size(); }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      const auto byte = static_cast<uint8_t>(next(1)[0]);
      v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
  }
  template <typename T>
  T fixed() {
    T v;
    std::memcpy(&v, next(sizeof(T)).data(), sizeof(T));
    return v;
  }
  std::string_view bytes() { return next(varint()); }

 private:
  std::string_view next(size_t n) {
    if (i_ + n > b_.size()) throw std::runtime_error("truncated protobuf");
    const auto s = b_.substr(i_, n);
    i_ += n;
    return s;
  }
  std::string_view b_;
  size_t i_ = 0;
};

inline std::pair<std::string, float> decode_value(std::string_view bytes) {
  WireReader r(bytes);
  std::pair<std::string, float> v;
  while (!r.done()) {
    const auto key = r.varint();
    if (key == (1 << 3 | 2)) v.first = std::string(r.bytes());
    else if (key == (2 << 3 | 5)) v.second = r.fixed<float>();
    else throw std::runtime_error("unexpected Summary.Value field " + std::to_string(key));
  }
  return v;
}

inline Event decode_event(std::string_view bytes) {
  WireReader r(bytes);
  Event e;
  while (!r.done()) {
    const auto key = r.varint();
    if (key == (1 << 3 | 1)) {
      e.wall_time = r.fixed<double>();
    } else if (key == (2 << 3 | 0)) {
      e.step = static_cast<int64_t>(r.varint());
    } else if (key == (3 << 3 | 2)) {
      e.file_version = std::string(r.bytes());
    } else if (key == (5 << 3 | 2)) {
      WireReader summary(r.bytes());
      while (!summary.done()) {
        if (summary.varint() != (1 << 3 | 2)) throw std::runtime_error("unexpected Summary field");
        e.values.push_back(decode_value(summary.bytes()));
      }
    } else {
      throw std::runtime_error("unexpected Event field " + std::to_string(key));
    }
  }
  return e;
}

inline std::vector<Event> read_events(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<Event> events;
  size_t i = 0;
  auto u32 = [&](size_t at) {
    uint32_t v;
    std::memcpy(&v, file.data() + at, 4);
    return v;
  };
  while (i < file.size()) {
    if (i + 12 > file.size()) throw std::runtime_error("truncated frame header");
    uint64_t n;
    std::memcpy(&n, file.data() + i, 8);
    if (u32(i + 8) != lf::masked_crc32c(std::string_view(file).substr(i, 8))) throw std::runtime_error("bad length CRC");
    if (i + 12 + n + 4 > file.size()) throw std::runtime_error("truncated frame");
    const std::string_view data = std::string_view(file).substr(i + 12, n);
    if (u32(i + 12 + n) != lf::masked_crc32c(data)) throw std::runtime_error("bad data CRC");
    events.push_back(decode_event(data));
    i += 12 + n + 4;
  }
  return events;
}

}  // namespace lftest
