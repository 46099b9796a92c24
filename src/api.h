// A loaded PJRT plugin's function table, with version and slot checks before every call,
// and the conversion of PJRT errors into JS exceptions.
#pragma once

#include <napi.h>

#include <string>

#include "pjrt_api.h"

namespace jaxts {

class Api {
 public:
  // dlopens `path` once per process (never dlclose: that tears down the plugin's static
  // registries), calls GetPjrtApi, checks the version and runs Plugin_Initialize once.
  // Throws a JS Error on failure.
  static const Api* Load(Napi::Env env, const std::string& path);

  const std::string& path() const { return path_; }
  int major() const { return head_->pjrt_api_version.major_version; }
  int minor() const { return head_->pjrt_api_version.minor_version; }
  size_t struct_size() const { return head_->struct_size; }

  // The function at `ordinal`, or nullptr when this plugin's table does not reach it.
  void* Slot(pjrt::Ordinal ordinal) const;

  // Calls the entry at `ordinal` with `args` (its struct_size already set). Returns the
  // PJRT error (owned by the caller) or nullptr. Throws if the plugin lacks the entry.
  template <typename Args>
  pjrt::Error* Call(Napi::Env env, pjrt::Ordinal ordinal, Args* args) const {
    using Fn = pjrt::Error* (*)(Args*);
    return reinterpret_cast<Fn>(Require(env, ordinal))(args);
  }
  // Same, for use off the JS thread: returns nullptr and sets `missing` instead of throwing.
  template <typename Args>
  pjrt::Error* CallNoThrow(pjrt::Ordinal ordinal, Args* args, bool* missing) const {
    using Fn = pjrt::Error* (*)(Args*);
    void* fn = Slot(ordinal);
    *missing = fn == nullptr;
    return fn ? reinterpret_cast<Fn>(fn)(args) : nullptr;
  }

  // Message and code of an error; does not destroy it.
  std::string ErrorMessage(pjrt::Error* error) const;
  pjrt::ErrorCode ErrorCode(pjrt::Error* error) const;
  void DestroyError(pjrt::Error* error) const;
  void DestroyEvent(pjrt::Event* event) const;

  // Throws a PjrtError built from `error` (destroying it) when it is non-null.
  void Check(Napi::Env env, pjrt::Error* error, const char* what) const;
  // Builds (and destroys) the JS error for `error`.
  Napi::Error MakeError(Napi::Env env, pjrt::Error* error, const char* what) const;

  static const char* OrdinalName(pjrt::Ordinal ordinal);

 private:
  Api(std::string path, const pjrt::ApiHead* head) : path_(std::move(path)), head_(head) {}
  void* Require(Napi::Env env, pjrt::Ordinal ordinal) const;

  std::string path_;
  const pjrt::ApiHead* head_;
};

// The PjrtError class registered by the TypeScript layer (falls back to Error).
Napi::Error MakePjrtError(Napi::Env env, const std::string& message, int code, const char* code_name);
const char* ErrorCodeName(int code);

// Zero-initialised args struct with its struct_size set.
template <typename Args>
Args MakeArgs(size_t struct_size) {
  Args args{};
  args.struct_size = struct_size;
  return args;
}
#define JAXTS_ARGS(type, last_field) ::jaxts::MakeArgs<type>(JAXTS_PJRT_SIZE(type, last_field))

}  // namespace jaxts
