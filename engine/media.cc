#include "media.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include <ATen/ATen.h>
#include <gif_lib.h>
#include <stb/stb_image_write.h>

#include "json_file.h"

namespace lf {

at::Tensor to_rgb8(const at::Tensor& image, const std::string& what) {
  if (!image.defined() || image.dim() < 3 || image.size(-1) != 3)
    throw std::invalid_argument(what + ": expected frames [..., H, W, 3], got " +
                                (image.defined() ? std::string(image.sizes().vec().empty() ? "a scalar" : "shape ") +
                                                       c10::str(image.sizes())
                                                 : std::string("nothing")));
  const at::Tensor cpu = image.detach().cpu();
  if (cpu.scalar_type() == at::kByte) return cpu.contiguous();
  if (!cpu.is_floating_point())
    throw std::invalid_argument(what + ": expected u8 pixels or floats in [0, 1], got " + std::string(c10::toString(cpu.scalar_type())));
  return cpu.to(at::kFloat).nan_to_num(0).clamp(0, 1).mul(255).round().to(at::kByte).contiguous();
}

void write_png(const std::string& path, const at::Tensor& image) {
  const at::Tensor px = to_rgb8(image, path);
  if (px.dim() != 3) throw std::invalid_argument(path + ": a PNG is one frame [H, W, 3], got " + c10::str(px.sizes()));
  const int h = static_cast<int>(px.size(0)), w = static_cast<int>(px.size(1));
  std::string png;
  auto append = [](void* ctx, void* data, int size) { static_cast<std::string*>(ctx)->append(static_cast<char*>(data), size); };
  if (!stbi_write_png_to_func(append, &png, w, h, 3, px.data_ptr<uint8_t>(), w * 3))
    throw std::runtime_error(path + ": cannot encode the PNG");
  write_file_atomic(path, png);
}

namespace {

int append_bytes(GifFileType* gif, const GifByteType* data, int n) {
  static_cast<std::string*>(gif->UserData)->append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
  return n;
}

void check(int status, GifFileType* gif, const std::string& path) {
  if (status == GIF_OK) return;
  throw std::runtime_error(path + ": cannot encode the GIF: " + GifErrorString(gif->Error));
}

}  // namespace

void write_gif(const std::string& path, const at::Tensor& frames, int fps) {
  const at::Tensor px = to_rgb8(frames, path);
  if (px.dim() != 4 || px.size(0) == 0)
    throw std::invalid_argument(path + ": a GIF is frames [T, H, W, 3] with T >= 1, got " + c10::str(px.sizes()));
  const int t = static_cast<int>(px.size(0)), h = static_cast<int>(px.size(1)), w = static_cast<int>(px.size(2));
  std::string bytes;
  int err = 0;
  GifFileType* gif = EGifOpen(&bytes, append_bytes, &err);
  if (!gif) throw std::runtime_error(path + ": cannot start the GIF: " + GifErrorString(err));
  ColorMapObject* palette = GifMakeMapObject(256, nullptr);
  try {
    EGifSetGifVersion(gif, true);
    check(EGifPutScreenDesc(gif, w, h, 8, 0, nullptr), gif, path);
    // NETSCAPE2.0 application extension: loop forever.
    static const GifByteType kLoop[] = {1, 0, 0};
    check(EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE), gif, path);
    check(EGifPutExtensionBlock(gif, 11, "NETSCAPE2.0"), gif, path);
    check(EGifPutExtensionBlock(gif, 3, kLoop), gif, path);
    check(EGifPutExtensionTrailer(gif), gif, path);
    GraphicsControlBlock gcb{DISPOSAL_UNSPECIFIED, false, std::max(1, 100 / std::max(1, fps)), NO_TRANSPARENT_COLOR};
    GifByteType gce[4];
    const size_t gce_size = EGifGCBToExtension(&gcb, gce);
    const size_t n = static_cast<size_t>(w) * static_cast<size_t>(h);
    std::vector<GifByteType> r(n), g(n), b(n), index(n);
    for (int f = 0; f < t; ++f) {
      const uint8_t* src = px[f].data_ptr<uint8_t>();
      for (size_t i = 0; i < n; ++i) r[i] = src[3 * i], g[i] = src[3 * i + 1], b[i] = src[3 * i + 2];
      int colors = 256;
      if (GifQuantizeBuffer(static_cast<unsigned>(w), static_cast<unsigned>(h), &colors, r.data(), g.data(), b.data(),
                            index.data(), palette->Colors) != GIF_OK)
        throw std::runtime_error(path + ": cannot quantize frame " + std::to_string(f));
      check(EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(gce_size), gce), gif, path);
      check(EGifPutImageDesc(gif, 0, 0, w, h, false, palette), gif, path);
      for (int y = 0; y < h; ++y) check(EGifPutLine(gif, index.data() + static_cast<size_t>(y) * w, w), gif, path);
    }
  } catch (...) {
    GifFreeMapObject(palette);
    EGifCloseFile(gif, &err);
    throw;
  }
  GifFreeMapObject(palette);
  if (EGifCloseFile(gif, &err) != GIF_OK) throw std::runtime_error(path + ": cannot finish the GIF: " + GifErrorString(err));
  write_file_atomic(path, bytes);
}

}  // namespace lf
