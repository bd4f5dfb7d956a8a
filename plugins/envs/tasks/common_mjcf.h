// The MJCF pieces that DMC's models share through suite/common/{visual,skybox,materials}.xml, as
// text for the tasks' self-contained models. A task's mjcf() composes its model from these and its
// own parts:
//
//   dmc::model("walker", {kOptions, dmc::visual(),
//                         dmc::asset({dmc::skybox_texture("skybox"), dmc::grid_material("grid"),
//                                     dmc::kSelfMaterial}),
//                         kBody});
//
// The models name their textures differently ("skybox"/"grid" or "sky"/"floor"), so texture names
// are arguments; everything else is the same in every model. MuJoCo 2.2 also merges repeated
// <visual> and <asset> sections, but the models keep one of each.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace lf::envs::dmc {

// common/visual.xml: headlight, near clipping plane and shadow map size. ball_in_cup, finger and
// reacher also set <map shadowclip=".5"/> (with_shadowclip).
std::string visual(bool with_shadowclip = false);

// common/skybox.xml: the blue gradient skybox texture, named `name`.
std::string skybox_texture(std::string_view name);

// common/materials.xml: the checker texture (named `texture_name`) and the "grid" floor material
// that uses it.
std::string grid_material(std::string_view texture_name);

// common/materials.xml: the body colours. Inside <asset>, in this order where a model uses several.
inline constexpr std::string_view kSelfMaterial = R"(<material name="self" rgba=".7 .5 .3 1"/>)";
inline constexpr std::string_view kEffectorMaterial = R"(<material name="effector" rgba=".7 .4 .2 1"/>)";
inline constexpr std::string_view kDecorationMaterial =
    R"(<material name="decoration" rgba=".3 .5 .7 1"/>)";
inline constexpr std::string_view kSiteMaterial = R"(<material name="site" rgba=".5 .5 .5 .3"/>)";

// <asset> holding `parts` in order.
std::string asset(std::initializer_list<std::string_view> parts);

// <mujoco model="name"> holding `sections` in order.
std::string model(std::string_view name, std::initializer_list<std::string_view> sections);

}  // namespace lf::envs::dmc
