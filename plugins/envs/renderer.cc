#include "renderer.h"

#include <EGL/egl.h>
#include <EGL/eglext.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "env.h"

namespace lf::envs {

namespace {

const char* kInstall = " (offscreen rendering needs Mesa's EGL: apt-get install libegl-mesa0 libgl1-mesa-dri; "
                       "tools/setup.sh installs them)";

// One EGL display for the process, initialized once.
EGLDisplay display() {
  static EGLDisplay dpy = EGL_NO_DISPLAY;
  static std::string error;
  static std::once_flag once;
  std::call_once(once, [] {
    // Mesa's llvmpipe starts rendering threads of its own; frames of 64x64 are too small to gain
    // from them, and they would compete with the environment workers (a user's setting wins).
    setenv("LP_NUM_THREADS", "0", 0);
    auto get_platform_display =
        reinterpret_cast<PFNEGLGETPLATFORMDISPLAYEXTPROC>(eglGetProcAddress("eglGetPlatformDisplayEXT"));
    if (!get_platform_display) {
      error = "EGL has no eglGetPlatformDisplayEXT";
      return;
    }
    // The surfaceless platform needs no X server; the default display would try X11 and fail.
    EGLDisplay d = get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
    EGLint major = 0, minor = 0;
    if (d == EGL_NO_DISPLAY || !eglInitialize(d, &major, &minor)) {
      error = "cannot initialize an EGL display on the surfaceless platform";
      return;
    }
    dpy = d;
  });
  if (dpy == EGL_NO_DISPLAY) throw std::runtime_error(error + kInstall);
  return dpy;
}

}  // namespace

struct Renderer::Gl {
  EGLDisplay dpy = EGL_NO_DISPLAY;
  EGLContext ctx = EGL_NO_CONTEXT;
  mjvScene scene;
  mjvCamera camera;
  mjvOption option;
  mjrContext context;
  bool made = false;
  void make_current() const {
    if (!eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx)) {
      throw std::runtime_error("eglMakeCurrent failed");
    }
  }
};

Renderer::Renderer(const mjModel* model, int width, int height, Look look)
    : gl_(std::make_unique<Gl>()), model_(model), width_(width), height_(height) {
  if (width < 1 || height < 1) throw std::invalid_argument("image size must be positive");
  install_mujoco_error_handler();
  gl_->dpy = display();
  const EGLint config_attribs[] = {EGL_RED_SIZE, 8, EGL_GREEN_SIZE, 8, EGL_BLUE_SIZE, 8, EGL_DEPTH_SIZE, 24,
                                   EGL_SURFACE_TYPE, EGL_PBUFFER_BIT,  // the default (window) has no config here
                                   EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE};
  EGLConfig config;
  EGLint n = 0;
  if (!eglChooseConfig(gl_->dpy, config_attribs, &config, 1, &n) || n < 1) {
    throw std::runtime_error(std::string("no suitable EGL config") + kInstall);
  }
  if (!eglBindAPI(EGL_OPENGL_API)) throw std::runtime_error(std::string("EGL cannot bind OpenGL") + kInstall);
  gl_->ctx = eglCreateContext(gl_->dpy, config, EGL_NO_CONTEXT, nullptr);
  if (gl_->ctx == EGL_NO_CONTEXT) throw std::runtime_error(std::string("cannot create an EGL context") + kInstall);
  gl_->make_current();

  // mjr_makeContext reads the speed settings and the buffer size from the model's visual options,
  // which only rendering reads. They go in a shallow copy (the model's own arrays, our options):
  // the model itself stays read-only, as the environments that share it need.
  mjModel options = *model_;
  if (look == Look::Fast) {
    options.vis.quality.shadowsize = 0;
    options.vis.quality.offsamples = 0;
  }
  options.vis.global.offwidth = std::max(model_->vis.global.offwidth, width);
  options.vis.global.offheight = std::max(model_->vis.global.offheight, height);

  mjv_defaultScene(&gl_->scene);
  mjv_defaultCamera(&gl_->camera);
  mjv_defaultOption(&gl_->option);
  mjr_defaultContext(&gl_->context);
  mjv_makeScene(model_, &gl_->scene, 2000);
  gl_->scene.flags[mjRND_REFLECTION] = look == Look::Dmc ? 1 : 0;
  mjr_makeContext(&options, &gl_->context, mjFONTSCALE_100);
  mjr_setBuffer(mjFB_OFFSCREEN, &gl_->context);
  eglMakeCurrent(gl_->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
  gl_->made = true;
}

Renderer::~Renderer() {
  if (gl_->made) {
    gl_->make_current();
    mjr_freeContext(&gl_->context);
    mjv_freeScene(&gl_->scene);
  }
  if (gl_->ctx != EGL_NO_CONTEXT) {
    eglMakeCurrent(gl_->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    eglDestroyContext(gl_->dpy, gl_->ctx);
  }
}

void Renderer::render(const mjData* data, int camera, uint8_t* rgb) {
  gl_->make_current();
  if (camera >= 0) {
    gl_->camera.type = mjCAMERA_FIXED;
    gl_->camera.fixedcamid = camera;
  } else {
    gl_->camera.type = mjCAMERA_FREE;
  }
  mjv_updateScene(model_, const_cast<mjData*>(data), &gl_->option, nullptr, &gl_->camera, mjCAT_ALL, &gl_->scene);
  const mjrRect viewport{0, 0, width_, height_};
  mjr_render(viewport, &gl_->scene, &gl_->context);
  mjr_readPixels(rgb, nullptr, viewport, &gl_->context);
  // Release the context: a context current in one thread cannot be made current in another, and
  // the next call may come from another worker. Releasing the thread's EGL state too keeps Mesa's
  // per-thread state from outliving the worker (freed twice at exit otherwise).
  eglMakeCurrent(gl_->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
  eglReleaseThread();
  // GL rows come bottom-up.
  const size_t row = static_cast<size_t>(width_) * 3;
  std::vector<uint8_t> tmp(row);
  for (int y = 0; y < height_ / 2; ++y) {
    uint8_t* a = rgb + static_cast<size_t>(y) * row;
    uint8_t* b = rgb + static_cast<size_t>(height_ - 1 - y) * row;
    std::memcpy(tmp.data(), a, row);
    std::memcpy(a, b, row);
    std::memcpy(b, tmp.data(), row);
  }
}

RendererPool::RendererPool(const mjModel* model, int width, int height, Look look, int count) {
  if (count < 1) throw std::invalid_argument("a renderer pool needs at least one renderer");
  for (int i = 0; i < count; ++i) {
    all_.push_back(std::make_unique<Renderer>(model, width, height, look));
    free_.push_back(all_.back().get());
  }
}

void RendererPool::render(const mjData* data, int camera, uint8_t* rgb) {
  Renderer* r;
  {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [&] { return !free_.empty(); });
    r = free_.back();
    free_.pop_back();
  }
  // Given back even when rendering throws, so that the other threads do not wait for it forever.
  struct GiveBack {
    RendererPool& pool;
    Renderer* r;
    ~GiveBack() {
      {
        std::lock_guard lock(pool.mutex_);
        pool.free_.push_back(r);
      }
      pool.returned_.notify_one();
    }
  } give_back{*this, r};
  r->render(data, camera, rgb);
}

}  // namespace lf::envs
